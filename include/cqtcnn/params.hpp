// The front end's parameters, each declared once, as Essentia's declareParameter(name, doc,
// range, default): its name in the model file's `frontend` object, the `cqtcnn spectrogram`
// option that sets it (if any), a one-line meaning, the valid range and the default. (A layer's
// options are declared with the same types, beside its factory: src/nn/layers/.) One table
// per JSON object of the front end:
//   params::frontend   the object's own members: sample rate and the network's windows
//   params::cqt        `cqt`: librosa.cqt's parameters, names and defaults (librosa 0.10)
//   params::db         `db`: librosa's amplitude_to_db (`values` "db")
//   params::pcen       `pcen`: librosa's pcen, per-channel energy normalisation (`values` "pcen")
//   params::normalize  `normalize`: the network input's scaling
// These declarations are the defaults of CqtParams, DbOptions and FrontendConfig, and the ranges
// that CqtParams::validate and the model-file reader (frontend_from_json) both enforce.
// The for_each_*_param visitors (cqt.hpp, frontend.hpp) pair each one with the struct member
// that holds it; they drive reading and writing the model file, the spectrogram command's
// options and --help, `cqtcnn inspect`, and the `frontend` part of docs/model.schema.json and the
// tables in docs/model-format.md (both written by cmake/model_docs.cpp; the test docs.generated
// fails when the committed files differ).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace cqtcnn {

// A number in [min, max] (an open end excludes the bound itself). T is int or double.
template <typename T>
struct NumberParam {
  std::string_view name;         // member of its JSON object, e.g. "hop_length"
  std::string_view option = {};  // the `cqtcnn spectrogram` option, e.g. "--hop-length"; empty: none
  std::string_view help;         // what it means, one line
  T min;
  T max;
  T default_value = {};
  bool required = false;  // a model file must give it (a front end's default serves the library and CLI)
  bool min_open = false;
  bool max_open = false;
  std::string_view default_from = {};  // the default is this member's value instead (docs, reader)

  // Empty if `value` is allowed, else what is wrong: "must be in [1, 1048576], got 0".
  std::string check(double value) const;
  std::string range() const;         // "[1, 1048576]", "(0, 1e9]"
  std::string default_text() const;  // "512", "32.70319566257483"
};

// One word of a fixed list. An enum field holds the word's index in `choices`.
struct ChoiceParam {
  std::string_view name;
  std::string_view option = {};
  std::string_view help;
  std::span<const std::string_view> choices;
  std::string_view default_value = {};
  bool required = false;

  std::string check(std::string_view value) const;  // "\"kaiser\" is not one of: hann, ..."
  std::string range() const;                        // "hann, hamming, ..."
  std::string default_text() const { return std::string(default_value); }
  // Index of `value` in `choices` (choices.size() if absent).
  constexpr std::size_t index(std::string_view value) const {
    std::size_t i = 0;
    while (i < choices.size() && choices[i] != value) ++i;
    return i;
  }
};

// true or false; the spectrogram option `--x` comes with `--no-x`.
struct FlagParam {
  std::string_view name;
  std::string_view option = {};
  std::string_view help;
  bool default_value;

  std::string check(bool) const { return {}; }  // either value is allowed
  std::string range() const { return "true, false"; }
  std::string default_text() const { return default_value ? "true" : "false"; }
};

// librosa's wavelet normalisation `norm`: a p-norm for p > 0, infinity (the maximum) or none,
// held as 0. JSON spells these a number, "inf" and null; the command line, a number, inf, none.
struct NormParam {
  std::string_view name;
  std::string_view option;
  std::string_view help;
  double default_value;

  std::string check(double value) const;
  std::string range() const { return "> 0, inf or none"; }
  std::string default_text() const;
};

// The shortest text that reads back as `x` ("1e-5", "1048576", "32.70319566257483").
std::string format_number(double x);

namespace params {

namespace frontend {
inline constexpr std::string_view kValues[] = {"db", "pcen"};  // FrontendValues' order
inline constexpr ChoiceParam values{
    .name = "values", .help = "what the network sees of the magnitude: dB per window (the object `db`) or PCEN (the object `pcen`); the other object is refused",
    .choices = kValues, .default_value = "db"};
inline constexpr NumberParam<double> sample_rate{
    .name = "sample_rate", .option = {}, .help = "Hz; audio is resampled to it (libsoxr HQ, as librosa's soxr_hq)",
    .min = 1, .max = 1e6, .default_value = 22050, .required = true};
inline constexpr NumberParam<int> window_frames{
    .name = "window_frames", .option = {}, .help = "the network input's width W, in CQT frames (H is cqt.n_bins)",
    .min = 1, .max = 1 << 20, .default_value = 64, .required = true};
inline constexpr NumberParam<int> window_hop_frames{
    .name = "window_hop_frames", .option = {}, .help = "frames between the starts of consecutive windows",
    .min = 1, .max = 1 << 20, .default_value = window_frames.default_value, .default_from = "window_frames"};
inline constexpr NumberParam<double> silence_floor_dbfs{
    .name = "silence_floor_dbfs", .option = {},
    .help = "a window whose loudest hop has an RMS below this (dB re full scale) is silent and gets no class",
    .min = -200, .max = 0, .default_value = -60};
}  // namespace frontend

namespace cqt {
inline constexpr std::string_view kWindows[] = {"hann", "hamming", "blackman", "blackmanharris", "rectangular"};
inline constexpr std::string_view kPadModes[] = {"constant", "reflect"};  // PadMode's order

inline constexpr NumberParam<int> hop_length{
    .name = "hop_length", .option = "--hop-length", .help = "samples between frames",
    .min = 1, .max = 1 << 20, .default_value = 512, .required = true};
inline constexpr NumberParam<double> fmin{
    .name = "fmin", .option = "--fmin", .help = "centre frequency of bin 0, Hz (the default is C1)",
    .min = 0, .max = 1e9, .default_value = 32.70319566257483, .required = true, .min_open = true};
inline constexpr NumberParam<int> n_bins{
    .name = "n_bins", .option = "--n-bins", .help = "number of bins (the network input's height H)",
    .min = 1, .max = 1 << 16, .default_value = 84, .required = true};
inline constexpr NumberParam<int> bins_per_octave{
    .name = "bins_per_octave", .option = "--bins-per-octave", .help = "bins per octave B",
    .min = 1, .max = 1 << 16, .default_value = 12, .required = true};
inline constexpr NumberParam<double> filter_scale{
    .name = "filter_scale", .option = "--filter-scale", .help = "multiplies every filter's length (Q)",
    .min = 1e-3, .max = 1e3, .default_value = 1.0};
inline constexpr NumberParam<double> gamma{
    .name = "gamma", .option = "--gamma",
    .help = "bandwidth offset, Hz: 0 the CQT, > 0 a VQT, < 0 a VQT with the ERB offset (librosa gamma=None)",
    .min = -1, .max = 1e9, .default_value = 0.0};
inline constexpr ChoiceParam window{
    .name = "window", .option = "--window", .help = "the filters' window (periodic, as scipy's get_window)",
    .choices = kWindows, .default_value = "hann"};
inline constexpr NormParam norm{
    .name = "norm", .option = "--norm", .help = "normalisation of each filter: its p-norm, its maximum (inf) or none (JSON: null)",
    .default_value = 1.0};
inline constexpr NumberParam<double> sparsity{
    .name = "sparsity", .option = "--sparsity", .help = "fraction of each filter's L1 mass dropped",
    .min = 0, .max = 1, .default_value = 0.01, .max_open = true};
inline constexpr FlagParam scale{
    .name = "scale", .option = "--scale", .help = "divide bin k by the square root of its filter length",
    .default_value = true};
inline constexpr ChoiceParam pad_mode{
    .name = "pad_mode", .option = "--pad-mode", .help = "padding of the centred first and last frames",
    .choices = kPadModes, .default_value = "constant"};
inline constexpr NumberParam<double> tuning{
    .name = "tuning", .option = "--tuning", .help = "offset of every bin, in fractions of a bin",
    .min = -0.5, .max = 0.5, .default_value = 0.0};
}  // namespace cqt

namespace db {
inline constexpr std::string_view kRefs[] = {"window_max"};
inline constexpr ChoiceParam ref{
    .name = "ref", .help = "the dB reference: each window's maximum (librosa's ref=np.max)", .choices = kRefs,
    .default_value = "window_max"};
inline constexpr NumberParam<double> amin{
    .name = "amin", .option = {}, .help = "amplitude floor of the dB conversion",
    .min = 1e-20, .max = 1, .default_value = 1e-5};
inline constexpr NumberParam<double> top_db{
    .name = "top_db", .option = "--top-db", .help = "dB range kept below the maximum",
    .min = 1, .max = 400, .default_value = 80};
}  // namespace db

namespace pcen {
// librosa.pcen's defaults (those of Wang et al. 2017), and the input scaling librosa's
// documentation recommends for audio in [-1, 1]: |C| * 2^31.
inline constexpr NumberParam<double> gain{
    .name = "gain", .option = "--pcen-gain", .help = "exponent of the automatic gain control: S / (eps + M)^gain",
    .min = 0, .max = 1e3, .default_value = 0.98};
inline constexpr NumberParam<double> bias{
    .name = "bias", .option = "--pcen-bias", .help = "offset of the compression: (S / (eps + M)^gain + bias)^power - bias^power",
    .min = 0, .max = 1e9, .default_value = 2};
inline constexpr NumberParam<double> power{
    .name = "power", .option = "--pcen-power", .help = "exponent of the compression (0: log1p)",
    .min = 0, .max = 1e3, .default_value = 0.5};
inline constexpr NumberParam<double> time_constant{
    .name = "time_constant", .option = "--pcen-time-constant", .help = "seconds of the smoother M's memory (its one-pole coefficient follows from the frame rate)",
    .min = 0, .max = 1e6, .default_value = 0.4, .min_open = true};
inline constexpr NumberParam<double> eps{
    .name = "eps", .option = "--pcen-eps", .help = "floor of the gain control's denominator",
    .min = 0, .max = 1e9, .default_value = 1e-6, .min_open = true};
inline constexpr NumberParam<double> scale{
    .name = "scale", .option = "--pcen-scale", .help = "multiplies the magnitude first (librosa's advice for audio in [-1, 1]: 2^31)",
    .min = 0, .max = 1e30, .default_value = 2147483648.0, .min_open = true};
inline constexpr FlagParam settled{
    .name = "settled", .option = "--pcen-settled",
    .help = "start each bin's smoother at its first frame (M before the start = S[0]: no burst over every bin at "
            "the start of a recording) instead of librosa's state (M before the start = 1)",
    .default_value = false};
}  // namespace pcen

namespace normalize {
inline constexpr NumberParam<double> mean{
    .name = "mean", .option = {}, .help = "subtracted from the values (dB or PCEN): network input = (value - mean) / std",
    .min = -1e6, .max = 1e6, .default_value = -40};
inline constexpr NumberParam<double> std_dev{
    .name = "std", .option = {}, .help = "divides them: network input = (value - mean) / std",
    .min = 1e-9, .max = 1e6, .default_value = 40};
inline constexpr FlagParam subtract_bin_mean{
    .name = "subtract_bin_mean", .option = {},
    .help = "first subtract from each bin its mean value over the window's audio frames (per-bin cepstral mean "
            "normalisation: a fixed channel colouring cancels)",
    .default_value = false};
}  // namespace normalize

}  // namespace params
}  // namespace cqtcnn
