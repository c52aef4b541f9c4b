// cqtcnn spectrogram: the CQT of one audio file as NPY (bins x frames, row 0 = fmin), a PNG
// image or CSV. Every librosa.cqt parameter is an option spelled as in librosa.
#include "cli/command.hpp"
#include "cli/output_format.hpp"
#include "cqtcnn/audio.hpp"
#include "cqtcnn/cqt.hpp"
#include "cqtcnn/error.hpp"
#include "cqtcnn/image.hpp"
#include "cqtcnn/npy.hpp"
#include "cqtcnn/scaling.hpp"

#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

namespace cqtcnn::cli {
namespace {

struct SpectrogramOptions {
  std::string input;
  std::string output;
  std::string format;  // npy, png, csv; empty: from the extension
  std::string preset = "librosa";
  double sr = 0;       // 0: the file's own rate
  CqtParams cqt;       // librosa defaults; given options override the preset
  std::string norm = "1";
  std::string pad_mode = "constant";
  std::string values = "db";
  double top_db = 80.0;
  bool complex = false;
  int width = 0;
  int height = 0;
  std::string resize = "bilinear";
};

// CQT options whose value replaces the preset's only when given on the command line.
struct CqtOptionHandles {
  CLI::Option *hop, *fmin, *n_bins, *bpo, *filter_scale, *gamma, *window, *norm, *sparsity, *scale, *pad, *tuning;
};

std::string output_format(const SpectrogramOptions& o) {
  const std::string f = choose_output_format(o.format, o.output, {{"npy", {"npy"}}, {"png", {"png"}}, {"csv", {"csv"}}});
  if (o.complex && f != "npy") throw InvalidInput("--complex: only the npy format holds complex values");
  return f;
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

CqtParams resolve_params(const SpectrogramOptions& o, const CqtOptionHandles& h, double sr) {
  CqtParams p;
  if (o.preset == "librosa") p = CqtParams::librosa(sr);
  else if (o.preset == "brown1991") p = h.bpo->count() ? CqtParams::brown1991(sr, o.cqt.bins_per_octave) : CqtParams::brown1991(sr);
  else throw InvalidInput("--preset: unknown preset '" + o.preset + "' (expected librosa or brown1991)");
  p.sr = sr;
  if (h.hop->count()) p.hop_length = o.cqt.hop_length;
  if (h.fmin->count()) p.fmin = o.cqt.fmin;
  if (h.n_bins->count()) p.n_bins = o.cqt.n_bins;
  if (h.bpo->count()) p.bins_per_octave = o.cqt.bins_per_octave;
  if (h.filter_scale->count()) p.filter_scale = o.cqt.filter_scale;
  if (h.gamma->count()) p.gamma = o.cqt.gamma;
  if (h.window->count()) p.window = o.cqt.window;
  if (h.norm->count()) p.norm = parse_norm(o.norm);
  if (h.sparsity->count()) p.sparsity = o.cqt.sparsity;
  if (h.scale->count()) p.scale = o.cqt.scale;
  if (h.pad->count()) {
    if (o.pad_mode == "constant") p.pad_mode = PadMode::constant;
    else if (o.pad_mode == "reflect") p.pad_mode = PadMode::reflect;
    else throw InvalidInput("--pad-mode: unknown mode '" + o.pad_mode + "' (expected constant or reflect)");
  }
  if (h.tuning->count()) p.tuning = o.cqt.tuning;
  return p;
}

// Frames x bins (the CQT's layout) to bins x frames (the outputs' layout).
template <typename T>
std::vector<T> transpose(const std::vector<T>& frames_by_bins, std::size_t n_frames, std::size_t n_bins) {
  std::vector<T> out(frames_by_bins.size());
  for (std::size_t t = 0; t < n_frames; ++t)
    for (std::size_t k = 0; k < n_bins; ++k) out[k * n_frames + t] = frames_by_bins[t * n_bins + k];
  return out;
}

int run(const SpectrogramOptions& o, const CqtOptionHandles& h) {
  const std::string format = output_format(o);
  const ValueScale scale = parse_value_scale(o.values);
  const Resize resize = o.resize == "nearest" ? Resize::nearest : Resize::bilinear;
  if (o.sr < 0) throw InvalidInput("--sr: must be positive");
  AudioReader reader(o.input, o.sr > 0 ? std::optional<double>(o.sr) : std::nullopt);
  const Cqt cqt(resolve_params(o, h, reader.sample_rate()));
  const std::size_t n_bins = std::size_t(cqt.n_bins());

  // Stream the audio; keep complex frames only when they are the output, otherwise reduce
  // each finished block to magnitude or power at once (half the memory).
  std::vector<std::complex<float>> complex_frames;
  std::vector<float> frames;
  Spectrogram block_frames;
  auto consume = [&] {
    if (o.complex) complex_frames.insert(complex_frames.end(), block_frames.data.begin(), block_frames.data.end());
    else {
      const std::vector<float> v = scale_values(block_frames.data, scale == ValueScale::power ? ValueScale::power : ValueScale::magnitude);
      frames.insert(frames.end(), v.begin(), v.end());
    }
    block_frames.data.clear();
  };
  Cqt::Stream stream = cqt.stream();
  std::vector<float> samples;
  while (reader.read(samples) > 0) {
    stream.push(samples, block_frames);
    consume();
  }
  stream.finish(block_frames);
  consume();

  const std::size_t n_frames = (o.complex ? complex_frames.size() : frames.size()) / n_bins;
  const std::int64_t shape[] = {std::int64_t(n_bins), std::int64_t(n_frames)};
  if (o.complex) {
    write_npy(o.output, shape, std::span<const std::complex<float>>(transpose(complex_frames, n_frames, n_bins)));
  } else {
    if (scale == ValueScale::db) amplitude_to_db(frames, {.ref = {}, .amin = 1e-5, .top_db = o.top_db});
    const std::vector<float> values = transpose(frames, n_frames, n_bins);
    if (format == "npy") write_npy(o.output, shape, std::span<const float>(values));
    else if (format == "csv") write_csv(o.output, values, n_bins, n_frames);
    else {
      const std::optional<double> range = scale == ValueScale::db ? std::optional<double>(o.top_db) : std::nullopt;
      write_png(o.output, spectrogram_image(values, int(n_bins), int(n_frames),
                                            {.top_db = range, .width = o.width, .height = o.height, .resize = resize}));
    }
  }
  std::fprintf(stderr, "cqtcnn spectrogram: %s: %zu bins x %zu frames at %g Hz -> %s\n", o.input.c_str(), n_bins,
               n_frames, reader.sample_rate(), o.output.c_str());
  return kExitOk;
}

const CommandRegistrar registrar{{
    "spectrogram",
    "Write the constant-Q spectrogram of an audio file as NPY, PNG or CSV",
    30,
    [](CLI::App& app) -> std::function<int()> {
      auto o = std::make_shared<SpectrogramOptions>();
      auto h = std::make_shared<CqtOptionHandles>();
      CqtParams& c = o->cqt;
      app.add_option("input", o->input, "Audio file")->required();
      app.add_option("-o,--output", o->output, "Output file (.npy, .png or .csv)")->required();
      app.add_option("--format", o->format, "npy, png or csv (default: from the output's extension)");
      app.add_option("--preset", o->preset, "Base CQT parameters: librosa or brown1991 (Brown 1991: 24 bins/octave, "
                     "Hamming, Q = 1/(2^(1/B) - 1)); options given below override it")->capture_default_str();
      app.add_option("--sr", o->sr, "Resample to this rate first (0: the file's own rate)")->capture_default_str();
      h->hop = app.add_option("--hop-length", c.hop_length, "Samples between frames")->capture_default_str();
      h->fmin = app.add_option("--fmin", c.fmin, "Centre frequency of bin 0, Hz (C1)")->capture_default_str();
      h->n_bins = app.add_option("--n-bins", c.n_bins, "Number of bins")->capture_default_str();
      h->bpo = app.add_option("--bins-per-octave", c.bins_per_octave, "Bins per octave")->capture_default_str();
      h->filter_scale = app.add_option("--filter-scale", c.filter_scale, "Filter length multiplier")->capture_default_str();
      h->gamma = app.add_option("--gamma", c.gamma, "VQT bandwidth offset, Hz (0: CQT; negative: ERB)")->capture_default_str();
      h->window = app.add_option("--window", c.window, "hann, hamming, blackman, blackmanharris, rectangular")->capture_default_str();
      h->norm = app.add_option("--norm", o->norm, "Kernel normalisation: 1, 2, inf or none")->capture_default_str();
      h->sparsity = app.add_option("--sparsity", c.sparsity, "Fraction of each kernel's L1 mass dropped")->capture_default_str();
      h->scale = app.add_flag("--scale,!--no-scale", c.scale, "Divide bin k by sqrt(filter length) (default: on)");
      h->pad = app.add_option("--pad-mode", o->pad_mode, "Padding of the centred frames: constant or reflect")->capture_default_str();
      h->tuning = app.add_option("--tuning", c.tuning, "Tuning offset in fractions of a bin")->capture_default_str();
      app.add_option("--values", o->values, "magnitude, power or db (librosa amplitude_to_db, ref = max)")->capture_default_str();
      app.add_option("--top-db", o->top_db, "dB range kept below the maximum (db values and PNG colours)")->capture_default_str()
          ->check(CLI::PositiveNumber);
      app.add_flag("--complex", o->complex, "Write the complex CQT (complex64 NPY) instead of --values");
      app.add_option("--width", o->width, "PNG width in pixels (0: one per frame)")->capture_default_str()->check(CLI::NonNegativeNumber);
      app.add_option("--height", o->height, "PNG height in pixels (0: one per bin)")->capture_default_str()->check(CLI::NonNegativeNumber);
      app.add_option("--resize", o->resize, "PNG resizing: nearest or bilinear")->capture_default_str()
          ->check(CLI::IsMember({"nearest", "bilinear"}));
      return [o, h] { return run(*o, *h); };
    },
}};

}  // namespace
}  // namespace cqtcnn::cli
