// cqtcnn spectrogram: the CQT of one audio file as NPY (bins x frames, row 0 = fmin), CSV, a
// figure with axes and a colour bar (PNG, SVG, PDF; figure.hpp) or, with --raw-image, the bare
// image, one pixel per bin and frame. Every librosa.cqt parameter is an option spelled as in librosa, declared with its
// help, range and default in params::cqt (params.hpp). spectrogram.hpp does the work:
// write_spectrogram_npy streams NPY output as it is computed, file_spectrogram holds the whole
// spectrogram for the other formats. With --model the CQT, its rate and its values are the model's
// front end's, so the figure shows what the network sees.
#include "cli/command.hpp"
#include "base/parallel.hpp"
#include "classify/model_search.hpp"
#include "cli/output_format.hpp"
#include "cqtcnn/classifier.hpp"
#include "cqtcnn/cqt.hpp"
#include "cqtcnn/error.hpp"
#include "figure/figure.hpp"
#include "figure/image.hpp"
#include "cqtcnn/params.hpp"
#include "cqtcnn/decibels.hpp"
#include "frontend/spectrogram.hpp"
#include "io/csv.hpp"

#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cqtcnn::cli {
namespace {

struct SpectrogramOptions {
  std::string input;   // "-": standard input
  std::string raw;     // --raw RATE:ENCODING:CHANNELS for headerless standard input
  std::string output;
  std::string format;  // npy, png, svg, pdf, csv; empty: from the extension
  std::string preset = "librosa";
  std::string model;   // --model: its front end's CQT, rate and values; empty: the options below
  double sr = 0;       // 0: the file's own rate
  CqtParams cqt;       // the CQT options' values; those given override the preset's
  std::map<std::string_view, std::string> words;            // window, norm, pad_mode as given
  std::map<std::string_view, const CLI::Option*> options;   // each CQT option, by parameter name
  std::vector<const CLI::Option*> frontend_options;          // what --model sets: --preset, --sr, CQT, values
  std::string values = "db";
  double top_db = params::db::top_db.default_value;
  PcenOptions pcen;    // --values pcen
  bool complex = false;
  int width = 0;
  int height = 0;
  std::string resize = "bilinear";
  bool raw_image = false;
  std::string frequency_axis = "notes";
  int threads = default_threads();

  bool given(std::string_view name) const { return options.at(name)->count() > 0; }
};

// --help text of a parameter: its meaning and valid values.
template <typename Param>
std::string help(const Param& param) {
  return std::string(param.help) + "; " + param.range();
}

// The option of a declared parameter: numbers go straight into the member, words into `word`.
template <typename T>
CLI::Option* add_option(CLI::App& app, const NumberParam<T>& param, T& member, std::string&) {
  return app.add_option(std::string(param.option), member, help(param))->default_str(param.default_text());
}
CLI::Option* add_option(CLI::App& app, const FlagParam& param, bool& member, std::string&) {
  const std::string name(param.option);
  return app.add_flag(name + ",!--no-" + name.substr(2), member,
                      std::string(param.help) + " (default: " + (param.default_value ? "on" : "off") + ")");
}
template <typename Param, typename Member>  // ChoiceParam, NormParam
CLI::Option* add_option(CLI::App& app, const Param& param, Member&, std::string& word) {
  return app.add_option(std::string(param.option), word, help(param))->default_str(param.default_text());
}

template <typename Param, typename T>
void check_option(const Param& param, const T& value) {
  if (const std::string problem = param.check(value); !problem.empty())
    throw InvalidInput(std::string(param.option) + ": " + problem);
}

double parse_norm(const std::string& s) {
  if (s == "inf") return INFINITY;
  if (s == "none") return 0.0;
  try {
    std::size_t used = 0;
    const double v = std::stod(s, &used);
    if (used == s.size()) return v;
  } catch (const std::exception&) {
  }
  throw InvalidInput("--norm: expected a number, inf or none, got '" + s + "'");
}

// A given option's value into the parameters, checked against its declaration.
template <typename T>
void assign(const NumberParam<T>& param, T& to, T given, const std::string&) {
  check_option(param, given);
  to = given;
}
void assign(const FlagParam&, bool& to, bool given, const std::string&) { to = given; }
void assign(const ChoiceParam& param, std::string& to, const std::string&, const std::string& word) {
  check_option(param, word);
  to = word;
}
void assign(const ChoiceParam& param, PadMode& to, PadMode, const std::string& word) {
  check_option(param, word);
  to = PadMode(param.index(word));
}
void assign(const NormParam& param, double& to, double, const std::string& word) {
  to = parse_norm(word);
  check_option(param, to);
}

std::string output_format(const SpectrogramOptions& o) {
  const std::string f = choose_output_format(
      o.format, o.output, {{"npy", {"npy"}}, {"png", {"png"}}, {"svg", {"svg"}}, {"pdf", {"pdf"}}, {"csv", {"csv"}}});
  if (o.complex && f != "npy") throw InvalidInput("--complex: only the npy format holds complex values");
  if (o.raw_image && f != "png") throw InvalidInput("--raw-image: only the png format holds the raw image");
  return f;
}

// The preset's parameters with the given options in place of its values (cqt.sr is left to the audio).
CqtParams resolve_params(const SpectrogramOptions& o) {
  const double sr = params::frontend::sample_rate.default_value;
  CqtParams p;
  if (o.preset == "librosa") p = CqtParams::librosa(sr);
  else if (o.preset == "brown1991") p = o.given("bins_per_octave") ? CqtParams::brown1991(sr, o.cqt.bins_per_octave) : CqtParams::brown1991(sr);
  else throw InvalidInput("--preset: unknown preset '" + o.preset + "' (expected librosa or brown1991)");
  for_each_cqt_param([&](const auto& param, auto member) {
    if (o.given(param.name)) assign(param, p.*member, o.cqt.*member, o.words.at(param.name));
  });
  return p;
}

// CSV, a raw image or a figure of the whole spectrogram.
void write_whole(const SpectrogramOptions& o, const SpectrogramSettings& settings, const std::string& format,
                 const FileSpectrogram& s) {
  const auto n_bins = std::size_t(s.cqt.n_bins);
  if (format == "csv") {
    write_csv(o.output, s.values, n_bins, s.n_frames);
  } else if (o.raw_image) {
    const Resize resize = o.resize == "nearest" ? Resize::nearest : Resize::bilinear;
    const std::optional<double> range = settings.values == ValueScale::db ? settings.db.top_db : std::nullopt;
    write_png(o.output, spectrogram_image(s.values, int(n_bins), int(s.n_frames),
                                          {.top_db = range, .width = o.width, .height = o.height, .resize = resize}));
  } else {
    const std::string title = o.input == "-" ? "stdin" : std::filesystem::path(o.input).filename().string();
    SpectrogramFigure f = spectrogram_figure(s, title, settings.values, settings.db.top_db.value_or(o.top_db));
    f.frequency_axis = o.frequency_axis == "hz" ? FrequencyAxis::hz : FrequencyAxis::notes;
    if (o.width) f.width = o.width;
    if (o.height) f.height = o.height;
    write_figure(o.output, f);
  }
}

// The spectrogram the options ask for: the preset, with the CQT and value options given.
SpectrogramSettings option_settings(const SpectrogramOptions& o) {
  if (o.sr < 0) throw InvalidInput("--sr: must be positive");
  check_option(params::db::top_db, o.top_db);
  for_each_pcen_param([&](const auto& param, auto member) { check_option(param, o.pcen.*member); });
  SpectrogramSettings settings;
  settings.cqt = resolve_params(o);
  settings.sample_rate = o.sr > 0 ? std::optional<double>(o.sr) : std::nullopt;
  settings.fit_bins = !o.given("n_bins");  // bins an explicit --n-bins asks for must fit
  settings.values = parse_value_scale(o.values);
  settings.db.top_db = o.top_db;
  settings.pcen = o.pcen;
  return settings;
}

// What the network of --model sees: its front end's rate, CQT and values (dB with its amin and
// top_db, or PCEN). One difference: dB is relative to the file's maximum, not to each window's.
// An option that would change it is refused rather than quietly drawing something else.
SpectrogramSettings model_settings(const SpectrogramOptions& o) {
  for (const CLI::Option* option : o.frontend_options)
    if (option->count() > 0)
      throw InvalidInput(option->get_name() + ": --model sets the rate, the CQT and its values (the model's front "
                         "end); give one or the other");
  const FrontendConfig frontend = audio_frontend(load_model_or_builtin(o.model == kBuiltinModel ? "" : o.model));
  SpectrogramSettings settings;
  settings.cqt = frontend.cqt;
  settings.sample_rate = frontend.sample_rate;
  settings.values = frontend.values == FrontendValues::pcen ? ValueScale::pcen : ValueScale::db;
  settings.db.amin = frontend.amin;
  settings.db.top_db = frontend.top_db;
  settings.pcen = frontend.pcen;
  return settings;
}

int run(const SpectrogramOptions& o) {
  const std::string format = output_format(o);
  SpectrogramSettings settings = o.model.empty() ? option_settings(o) : model_settings(o);
  settings.complex = o.complex;
  settings.threads = o.threads;

  // NPY is written as the CQT is computed (constant memory); the other formats need it whole.
  const bool from_stdin = o.input == "-";
  if (!o.raw.empty() && !from_stdin) throw InvalidInput("--raw: describes standard input; give - as the input");
  AudioReader reader = from_stdin ? AudioReader::from_fd(0, "stdin", o.raw.empty() ? std::nullopt
                                                                                   : std::optional(RawFormat::parse(o.raw)),
                                                         settings.sample_rate)
                                  : AudioReader(o.input, settings.sample_rate);
  FileSpectrogram s;
  if (format == "npy") {
    const SpectrogramLayout layout = write_spectrogram_npy(reader, settings, o.output);
    s.cqt = layout.cqt;
    s.n_frames = layout.n_frames;
  } else {
    s = file_spectrogram(reader, settings);
    write_whole(o, settings, format, s);
  }
  const double sr = s.cqt.sr;
  const auto n_bins = std::size_t(s.cqt.n_bins);
  if (s.cqt.n_bins < settings.cqt.n_bins)
    std::fprintf(stderr, "cqtcnn spectrogram: %s: %g Hz: using %d of %d bins (the top bin's band must stay below %g Hz)\n",
                 o.input.c_str(), sr, s.cqt.n_bins, settings.cqt.n_bins, sr / 2);
  std::fprintf(stderr, "cqtcnn spectrogram: %s: %zu bins x %zu frames at %g Hz -> %s\n", o.input.c_str(), n_bins,
               s.n_frames, sr, o.output.c_str());
  return kExitOk;
}

const CommandRegistrar registrar{{
    "spectrogram",
    "Write the constant-Q spectrogram of an audio file as NPY, CSV or a figure (PNG, SVG, PDF)",
    30,
    [](CLI::App& app) -> std::function<int()> {
      auto o = std::make_shared<SpectrogramOptions>();
      app.add_option("input", o->input, "Audio file; - reads standard input (a pipe: WAV, AIFF, AU, OGG, MP3, or --raw PCM)")->required();
      app.add_option("--raw", o->raw, "Standard input is headerless PCM RATE:ENCODING:CHANNELS, e.g. 16000:s16le:1 (as classify --raw)");
      app.add_option("-o,--output", o->output, "Output file: .npy, .csv, or a figure .png, .svg or .pdf")->required();
      app.add_option("--format", o->format, "npy, csv, png, svg or pdf (default: from the output's extension)");
      app.add_option("-m,--model", o->model, "Draw what this model's network sees: its front end's sample rate, CQT "
                     "and values (dB with its top_db, or PCEN); built-in: the built-in model. The options that "
                     "set these (--preset, --sr, the CQT options, --values, --top-db, --pcen-*) are refused "
                     "with it");
      o->frontend_options.push_back(app.add_option("--preset", o->preset, "Base CQT parameters: librosa or brown1991 (Brown 1991: 24 bins/octave, "
                     "Hamming, Q = 1/(2^(1/B) - 1)); options given below override it")->capture_default_str());
      o->frontend_options.push_back(
          app.add_option("--sr", o->sr, "Resample to this rate first (0: the file's own rate)")->capture_default_str());
      for_each_cqt_param([&](const auto& param, auto member) {
        o->options[param.name] = add_option(app, param, o->cqt.*member, o->words[param.name]);
        o->frontend_options.push_back(o->options[param.name]);
      });
      o->frontend_options.push_back(app.add_option("--values", o->values,
                     "magnitude, power, db (librosa amplitude_to_db, ref = max) or pcen (librosa pcen of "
                     "--pcen-scale x |C|, with the --pcen-* options)")
          ->capture_default_str());
      o->frontend_options.push_back(add_option(app, params::db::top_db, o->top_db, o->words[params::db::top_db.name]));
      static std::string unused_word;  // the pcen parameters are all numbers
      for_each_pcen_param([&](const auto& param, auto member) {
        o->frontend_options.push_back(add_option(app, param, o->pcen.*member, unused_word));
      });
      app.add_option("-j,--threads", o->threads, "Threads: 2 or more computes the lower octaves (and the values) on a "
                     "second thread, the same numbers sooner; more than 2 are not used")
          ->capture_default_str()->check(CLI::Range(1, 256));
      app.add_flag("--complex", o->complex, "Write the complex CQT (complex64 NPY) instead of --values");
      app.add_option("--width", o->width, "Figure width in pixels (PNG) or points (SVG, PDF), 0: 1000; "
                     "raw image width, 0: one pixel per frame")->capture_default_str()->check(CLI::NonNegativeNumber);
      app.add_option("--height", o->height, "Figure height, 0: 500; raw image height, 0: one pixel per bin")
          ->capture_default_str()->check(CLI::NonNegativeNumber);
      app.add_option("--frequency-axis", o->frequency_axis, "Figure frequency axis: notes (C1, C2, ...) or hz")
          ->capture_default_str()->check(CLI::IsMember({"notes", "hz"}));
      app.add_flag("--raw-image", o->raw_image, "Write the bare PNG image instead of the figure: one pixel per bin "
                   "and frame (or --width x --height), no axes");
      app.add_option("--resize", o->resize, "Raw image resizing: nearest or bilinear")->capture_default_str()
          ->check(CLI::IsMember({"nearest", "bilinear"}));
      return [o] { return run(*o); };
    },
}};

}  // namespace
}  // namespace cqtcnn::cli
