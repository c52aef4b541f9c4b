// cqtcnn classify: audio files (or folders of them) -> the most likely classes.
// The model is loaded and its CQT filter banks are built once, then shared by the
// worker threads; rows are written in input order as files finish, and flushed, so a killed run
// leaves a valid prefix that --resume continues. Standard input ("-") and --stream go through
// run_streams: one input at a time, each window's (or event's) line written as soon as it exists.
#include "cli/batch.hpp"
#include "cli/command.hpp"
#include "cli/inputs.hpp"
#include "cli/interrupt.hpp"
#include "classify/model_search.hpp"
#include "cli/report.hpp"
#include "cqtcnn/classifier.hpp"
#include "cqtcnn/error.hpp"
#include "classify/events.hpp"
#include "base/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>
#include <optional>

namespace cqtcnn::cli {
namespace {

struct ClassifyOptions {
  InputOptions inputs;
  std::string model;
  std::string output;
  std::string format;  // empty: from the output's extension
  std::string extensions;
  std::string shard;
  std::string raw;     // --raw RATE:ENCODING:CHANNELS for headerless standard input
  std::string labels;  // --labels a,b,c
  std::size_t top_k = 1;
  bool segments = false;
  bool stream = false;
  bool events = false;
  float min_score = 0.0f;
  double window_hop_s = 0.0;
  int threads = default_threads();
  bool resume = false;
  bool quiet = false;
};

// What a file's result does not cover, "" when it covers the whole file: the audio is cut short
// (AudioReader::truncation), or --window-hop `hop_s` is longer than the recording, so that one
// window (from its start) stands for all of it.
std::string coverage_warning(const AudioReader& reader, double hop_s) {
  std::string warning = reader.truncation();
  const double seconds = double(reader.frames()) / reader.sample_rate();
  if (hop_s > seconds) {
    char text[160];
    std::snprintf(text, sizeof text, "--window-hop %g s is longer than the recording (%.3f s): only its first window is classified",
                  hop_s, seconds);
    warning += (warning.empty() ? reader.name() + ": " : "; ") + text;
  }
  return warning;
}

// Writes rows as they come, each flushed at once. A closed pipe (EPIPE: the reader went away)
// ends the run quietly; any other failed write is an error. `wrote` says that the output already
// holds rows (--resume), so the next one needs a separator.
class LineWriter {
 public:
  LineWriter(std::ostream& out, const Report& report, std::string name, bool wrote = false)
      : out_(out), report_(report), name_(std::move(name)), wrote_(wrote) {}
  // Read by every worker of a batch while one of them writes.
  bool closed() const { return closed_.load(); }
  void write(const std::string& rows) {
    if (rows.empty() || closed_) return;
    errno = 0;
    out_ << (wrote_ ? report_.separator() : "") << report_.numbered(rows, next_selection_);
    out_.flush();
    wrote_ = true;
    check();
  }
  void raw(const std::string& text) {
    if (closed_) return;
    errno = 0;
    out_ << text;
    out_.flush();
    check();
  }

 private:
  void check() {
    if (out_) return;
    if (errno != EPIPE) throw Error(name_ + ": write failed");
    closed_.store(true);
  }
  std::ostream& out_;
  const Report& report_;
  std::string name_;
  std::size_t next_selection_ = 1;
  bool wrote_;
  std::atomic<bool> closed_{false};
};

// Standard input or --stream: the inputs one after another, on this thread. With --stream each
// window's row (or each event, when its last window is in) is written as soon as the front end
// has the window; without, a recording's rows come when it ends, as for files.
int run_streams(const ClassifyOptions& o, const std::optional<RawFormat>& raw, const Classifier& classifier,
                const Report& report, const std::vector<std::filesystem::path>& files, int hop_frames,
                std::ostream& out) {
  const StreamSignals signals;
  const std::vector<bool> kept = select_labels(classifier.labels(), o.labels);
  const double rate = classifier.frontend().config().sample_rate;
  LineWriter writer(out, report, o.output.empty() ? "stdout" : o.output);
  writer.raw(report.header());
  const StreamOptions options{hop_frames, o.stream,
                              [&] { return StreamSignals::interrupted() || writer.closed(); }};
  int failures = 0;
  for (const std::filesystem::path& file : files) {
    const bool is_stdin = file == "-";
    std::string warning;  // a truncated file: in its rows, when they are written at its end
    try {
      AudioReader reader = is_stdin ? AudioReader::from_fd(0, "stdin", raw, rate) : AudioReader(file, rate);
      const std::string path = file.string();
      if (!o.stream) {
        const FileResult result = classifier.classify(reader, options);
        warning = coverage_warning(reader, o.window_hop_s);
        writer.write(report.rows(path, result, warning));
      } else if (o.events) {
        EventDetector events(o.min_score, kept, none_class(classifier.labels()));
        classifier.classify_stream(reader, [&](const WindowResult& w) {
          for (const Event& e : events.add(w)) writer.write(report.event_rows(path, e));
        }, options);
        for (const Event& e : events.finish()) writer.write(report.event_rows(path, e));
      } else {
        classifier.classify_stream(reader, [&](const WindowResult& w) { writer.write(report.window_rows(path, w)); },
                                   options);
      }
      warning = coverage_warning(reader, o.window_hop_s);  // known at the end of a pipe
    } catch (const Error& e) {
      if (StreamSignals::interrupted()) break;  // a decoder cut off mid-block by Ctrl-C
      if (is_stdin && dynamic_cast<const InvalidInput*>(&e)) throw;
      ++failures;
      if (!o.quiet) std::fprintf(stderr, "cqtcnn classify: %s\n", e.what());
      writer.write(report.error_row(file.string(), e.what()));
    }
    if (!warning.empty() && !o.quiet) std::fprintf(stderr, "cqtcnn classify: warning: %s\n", warning.c_str());
    if (StreamSignals::interrupted() || writer.closed()) break;
  }
  writer.raw(report.footer());
  if (StreamSignals::interrupted()) return kExitInterrupted;
  return failures ? kExitFailure : kExitOk;
}

// Recordings at least this long (by their header) get the threads the batch leaves idle.
constexpr double kThreadedSeconds = 10.0;

// One file's rows, and what a message on stderr says of it.
struct FileRows {
  std::string rows, error, warning;
};

FileRows classify_file(const Classifier& classifier, const Report& report, const std::filesystem::path& file,
                       const StreamOptions& options, double hop_s) {
  const std::string path = file.string();
  try {
    AudioReader reader(file, classifier.frontend().config().sample_rate);
    // A second thread pays off from a few blocks of audio on; a short file keeps to one.
    StreamOptions own = options;
    if (double(reader.frames()) < kThreadedSeconds * reader.sample_rate()) own.threads = 1;
    const FileResult result = classifier.classify(reader, own);
    std::string warning = coverage_warning(reader, hop_s);
    return {report.rows(path, result, warning), "", warning};
  } catch (const std::exception& e) {
    return {report.error_row(path, e.what()), e.what(), ""};
  }
}

// Files, `threads` at a time (Batch); rows are written in input order as files finish. Ctrl-C,
// or the reader of the output going away, ends the batch at the first file not finished: what
// follows it is dropped (a file cut short is never written as if whole) and the output is closed
// as its format needs (JSON's "]"), so what was written is a complete document. `resumed`: the
// output already holds rows (--resume).
int run_batch(const ClassifyOptions& o, const Classifier& classifier, const Report& report,
              const std::vector<std::filesystem::path>& files, int hop_frames, bool resumed, std::ostream& out) {
  Batch batch("classify", files.size(), o.quiet, true);
  LineWriter writer(out, report, o.output.empty() ? "stdout" : o.output, resumed);
  if (!resumed) writer.raw(report.header());
  const auto closed = [&] { return writer.closed(); };
  // Threads the files leave idle go to each file: one long recording uses them all.
  const int per_file = std::max<int>(1, o.threads / int(std::max<std::size_t>(1, files.size())));
  const StreamOptions options{hop_frames, false, [&] { return batch.interrupted() || writer.closed(); }, per_file};
  // Results on the terminal that shows the progress: the progress line is erased before each,
  // and drawn again only at the start of a line (a JSON row waits for its comma). The rows say
  // what a message would: once is enough.
  const bool results_under_progress = o.output.empty() && batch.progress_on_stdout();
  const bool said_in_row = results_under_progress && report.holds_notes();
  int failures = 0;
  const std::size_t written = batch.run(
      o.threads, closed,
      [&](std::size_t i) { return classify_file(classifier, report, files[i], options, o.window_hop_s); },
      [&](std::size_t, const FileRows& file) {
        failures += !file.error.empty();
        if (!said_in_row && !file.error.empty()) batch.say(file.error);
        if (!said_in_row && !file.warning.empty()) batch.say("warning: " + file.warning);
        if (file.rows.empty()) return;
        if (results_under_progress) batch.clear_progress();
        writer.write(file.rows);
        batch.hold_progress(results_under_progress && file.rows.back() != '\n');
      });
  writer.raw(report.footer());
  if (batch.interrupted()) {
    batch.say("interrupted: " + std::to_string(written) + " of " + std::to_string(files.size()) + " files written");
    return kExitInterrupted;
  }
  return failures ? kExitFailure : kExitOk;
}

int run(ClassifyOptions o) {
  if (!o.extensions.empty()) o.inputs.extensions = parse_extensions(o.extensions);
  const bool from_stdin = std::count(o.inputs.paths.begin(), o.inputs.paths.end(), "-") > 0;
  if (from_stdin && (o.inputs.paths.size() > 1 || !o.inputs.files_from.empty()))
    throw InvalidInput("-: standard input must be the only input");
  if (!o.raw.empty() && !from_stdin) throw InvalidInput("--raw: describes standard input; give - as the input");
  if (o.stream && o.resume) throw InvalidInput("--resume: not with --stream");
  if (o.events && o.top_k > 1) throw InvalidInput("-k: an event has one label; leave -k out with --events");
  if (from_stdin && o.resume) throw InvalidInput("--resume: not with standard input");
  const std::optional<RawFormat> raw = o.raw.empty() ? std::nullopt : std::optional(RawFormat::parse(o.raw));
  const std::string format = report_format(o.format, o.output);
  if (o.resume && o.output.empty()) throw InvalidInput("--resume: needs -o FILE");
  if (o.resume && !make_row_writer({.format = format})->resumable())
    throw InvalidInput("--resume: needs csv, tsv or jsonl output (-o " + o.output + " is written as " + format + ")");
  const Classifier classifier(load_model_or_builtin(o.model));
  const std::vector<double> freqs = classifier.frontend().config().cqt.frequencies();
  const ReportOptions report_options{.format = format,
                                     .top_k = o.top_k,
                                     .segments = o.segments || o.stream,
                                     .min_score = o.min_score,
                                     .events = o.events,
                                     .kept = select_labels(classifier.labels(), o.labels),
                                     .stream = o.stream || from_stdin,
                                     .low_hz = freqs.front(),
                                     .high_hz = freqs.back()};
  Report report(report_options, classifier.labels());

  auto files = from_stdin ? std::vector<std::filesystem::path>{"-"} : collect_inputs(o.inputs, "classify", o.quiet);
  if (!o.shard.empty()) files = select_shard(std::move(files), o.shard);
  const std::string previous =
      o.resume ? resume_output(o.output, [&](const std::string& rows) { return report.paths_in(rows, o.output); }, files)
               : "";  // paths_in refuses an output with other columns

  std::ofstream file_out;
  if (!o.output.empty()) {
    file_out.open(o.output, std::ios::binary | (o.resume ? std::ios::app : std::ios::trunc));
    if (!file_out) throw Error(o.output + ": cannot open for writing: " + std::strerror(errno));
  }
  std::ostream& out = o.output.empty() ? std::cout : file_out;

  int hop_frames = 0;
  const FrontendConfig& config = classifier.frontend().config();
  if (o.window_hop_s > 0) hop_frames = std::max(1, int(std::lround(o.window_hop_s / config.frame_seconds())));
  if (hop_frames > config.window_frames && !o.quiet)
    std::fprintf(stderr, "cqtcnn classify: note: --window-hop %g s is longer than the model's windows (%.3f s): the %.3f s "
                 "after each window are not classified\n", o.window_hop_s, config.window_frames * config.frame_seconds(),
                 (hop_frames - config.window_frames) * config.frame_seconds());
  if (from_stdin || o.stream) return run_streams(o, raw, classifier, report, files, hop_frames, out);
  return run_batch(o, classifier, report, files, hop_frames, !previous.empty(), out);
}

const CommandRegistrar registrar{{
    "classify",
    "Classify audio files with a model (the built-in spoken-digit model by default)",
    10,
    [](CLI::App& app) -> std::function<int()> {
      auto o = std::make_shared<ClassifyOptions>();
      app.add_option("files", o->inputs.paths, "Audio files or folders; - reads standard input (a pipe: WAV, AIFF, AU, OGG, MP3, or --raw PCM)");
      app.add_option("-m,--model", o->model, "Model file (default: the built-in spoken-digit model)");
      app.add_option("-f,--format", o->format, "Output format: text, csv, tsv, jsonl, json, audacity (label track), raven (selection table) (default: from -o's extension, else text)");
      app.add_option("-o,--output", o->output, "Write results to FILE instead of stdout");
      app.add_option("-k,--top-k", o->top_k, "Classes to report per row")->capture_default_str()->check(CLI::Range(1, 1000));
      app.add_flag("--segments", o->segments, "One row per window (start_s, end_s) instead of per file");
      app.add_flag("--stream", o->stream, "Write each window's row (or each event) as soon as its audio has arrived, one flushed line each");
      app.add_flag("--events", o->events, "One row per event: a stretch of time with one label, won by windows scoring at least --min-score (the stronger where they overlap; silence and _none_ end events); start, end, label, mean and max score");
      app.add_option("--labels", o->labels, "Report only these classes (comma-separated labels; default: all)");
      app.add_option("--raw", o->raw, "Standard input is headerless PCM RATE:ENCODING:CHANNELS, e.g. 16000:s16le:1 (encodings u8, s8, s16le/be, s24le/be, s32le/be, f32le/be, f64le/be, ulaw, alaw)");
      app.add_option("--min-score", o->min_score, "Report only classes scoring at least this (with --events: the windows that make events)")->capture_default_str()->check(CLI::Range(0.0, 1.0));
      app.add_option("--window-hop", o->window_hop_s, "Seconds between windows of long recordings (0: the model's)")->capture_default_str()->check(CLI::NonNegativeNumber);
      app.add_option("-j,--threads", o->threads, "Threads: files processed in parallel; fewer files than threads share "
                     "them out (one long recording uses them all)")
          ->capture_default_str()->check(CLI::Range(1, 256));
      app.add_flag("-r,--recursive", o->inputs.recursive, "Walk sub-folders of folder arguments");
      std::string audio;
      for (const std::string& e : audio_extensions()) audio += (audio.empty() ? "" : ",") + e;
      app.add_option("--ext", o->extensions, "Extensions taken from folders (default: what libsndfile reads, " + audio + ")");
      app.add_option("--files-from", o->inputs.files_from, "Read input paths from FILE, one per line ('-': stdin)");
      app.add_flag("-0,--null", o->inputs.null_separated, "The --files-from list is NUL-separated");
      app.add_flag("--resume", o->resume, "Skip files already in the -o output (csv, tsv or jsonl) and append");
      app.add_option("--shard", o->shard, "Process only shard K of N (K/N), chosen by a stable hash of the path");
      app.add_flag("-q,--quiet", o->quiet, "No progress or per-file error messages on stderr");
      return [o] { return run(*o); };
    },
}};

}  // namespace
}  // namespace cqtcnn::cli
