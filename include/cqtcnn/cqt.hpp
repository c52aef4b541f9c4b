// Constant-Q transform (Brown 1991, "Calculation of a constant Q spectral transform"; the
// efficient spectral-kernel form of Brown & Puckette 1992, computed octave by octave with
// downsampling as in Schoerkhuber & Klapuri 2010 and librosa 0.10). Each octave's sparse
// spectral kernel is designed exactly as librosa's and then applied as the equivalent
// time-domain filter bank (one dense product per frame, no FFT at run time; src/cqt/filter_bank.hpp).
//
// Bin k has centre frequency f_k = fmin * 2^((k + tuning) / B) and a window of fractional
// length L_k = Q * sr / (f_k + gamma / alpha), Q = filter_scale / alpha,
// alpha = (2^(2/B) - 1) / (2^(2/B) + 1). gamma = 0 gives the CQT, gamma > 0 the VQT.
// With the defaults the result equals librosa.cqt(y, sr=sr, ...) to float32 precision
// (librosa.vqt with gamma != 0), including its libsoxr HQ octave halving.
//
// Usage:
//   cqtcnn::CqtParams p;            // librosa defaults (params.hpp)
//   p.sr = 22050;
//   cqtcnn::Cqt cqt(p);              // builds the filter banks once; share it freely
//   cqtcnn::Spectrogram s = cqt.transform(samples);          // whole signal
//   auto stream = cqt.stream();                               // or block by block:
//   stream.push(block1, frames); stream.push(block2, frames); stream.finish(frames);
#pragma once

#include "cqtcnn/params.hpp"

#include <complex>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace cqtcnn {

enum class PadMode { constant, reflect };  // as params::cqt::kPadModes

// Limits on what a parameter set may ask for (an option or an untrusted model file), checked when
// a Cqt is built (InvalidInput otherwise; docs/security.md). Far above any useful layout: librosa's
// default needs filters of at most 256 samples, 43 k floats of filters and 1.9 M multiply-adds per
// second of audio (1.7e10 with hop_length 1, which stops the octave halving).
inline constexpr double kMaxCqtFilterLength = 1 << 20;          // samples, at an octave's own rate
inline constexpr double kMaxCqtFilterValues = double(1 << 28);  // floats of filter banks (1 GiB)
inline constexpr double kMaxCqtWorkPerSecond = 2e10;            // multiply-adds per second of audio

// Defaults, meanings and valid ranges: params::cqt (params.hpp); validate() enforces the ranges.
struct CqtParams {
  double sr = params::frontend::sample_rate.default_value;  // sample rate of the input, Hz
  int hop_length = params::cqt::hop_length.default_value;
  double fmin = params::cqt::fmin.default_value;            // centre of bin 0, Hz
  int n_bins = params::cqt::n_bins.default_value;
  int bins_per_octave = params::cqt::bins_per_octave.default_value;  // B
  double filter_scale = params::cqt::filter_scale.default_value;     // multiplies Q
  // VQT bandwidth offset, Hz; 0 = CQT; negative = ERB (librosa gamma=None: gamma_k = 24.7 alpha_k / 0.108)
  double gamma = params::cqt::gamma.default_value;
  std::string window{params::cqt::window.default_value};  // params::cqt::kWindows
  // wavelet normalisation: p-norm for p > 0 (1, 2, ...), inf, or 0 for none (librosa norm=None)
  double norm = params::cqt::norm.default_value;
  double sparsity = params::cqt::sparsity.default_value;  // fraction of each kernel row's L1 mass dropped
  bool scale = params::cqt::scale.default_value;          // divide bin k by sqrt(L_k)
  PadMode pad_mode = PadMode(params::cqt::pad_mode.index(params::cqt::pad_mode.default_value));
  double tuning = params::cqt::tuning.default_value;      // offset in fractions of a bin

  // librosa defaults at a given rate.
  static CqtParams librosa(double sr);
  // Brown (1991): Q = 1 / (2^(1/B) - 1), N[k] = sr * Q / f_k exactly, Hamming window.
  static CqtParams brown1991(double sr, int bins_per_octave = 24);

  // Throws InvalidInput naming the parameter and the problem: a value outside its range in
  // params::cqt (sr: params::frontend::sample_rate's), the top bin's band above Nyquist, or a
  // layout beyond the kMaxCqt* limits.
  void validate() const;

  // The most bins, at most n_bins, whose top band stays below the Nyquist frequency (librosa's
  // limit, which validate() applies); 0 if not even one does. Throws as validate() for a value
  // outside its range.
  int bins_below_nyquist() const;

  double bin_frequency(int k) const;
  std::vector<double> frequencies() const;
  std::vector<double> filter_lengths() const;  // L_k at sr

  bool operator==(const CqtParams&) const = default;  // every field equal (doubles exactly)
};

// Calls f(declaration, member) for each parameter of params::cqt and the CqtParams member that
// holds it, in the model file's order: f(params::cqt::hop_length, &CqtParams::hop_length), ...
template <typename F>
void for_each_cqt_param(F&& f) {
  f(params::cqt::hop_length, &CqtParams::hop_length);
  f(params::cqt::fmin, &CqtParams::fmin);
  f(params::cqt::n_bins, &CqtParams::n_bins);
  f(params::cqt::bins_per_octave, &CqtParams::bins_per_octave);
  f(params::cqt::filter_scale, &CqtParams::filter_scale);
  f(params::cqt::gamma, &CqtParams::gamma);
  f(params::cqt::window, &CqtParams::window);
  f(params::cqt::norm, &CqtParams::norm);
  f(params::cqt::sparsity, &CqtParams::sparsity);
  f(params::cqt::scale, &CqtParams::scale);
  f(params::cqt::pad_mode, &CqtParams::pad_mode);
  f(params::cqt::tuning, &CqtParams::tuning);
}

// Frames x bins, row-major by frame: at(t, k) is frame t, bin k.
template <typename T>
struct FrameMatrix {
  int n_bins = 0;
  std::vector<T> data;  // n_frames * n_bins
  std::size_t n_frames() const { return n_bins ? data.size() / std::size_t(n_bins) : 0; }
  T& at(std::size_t t, int k) { return data[t * std::size_t(n_bins) + std::size_t(k)]; }
  const T& at(std::size_t t, int k) const { return data[t * std::size_t(n_bins) + std::size_t(k)]; }
};
using Spectrogram = FrameMatrix<std::complex<float>>;

class Cqt {
 public:
  explicit Cqt(const CqtParams& params);  // validates, builds the filter banks
  ~Cqt();
  Cqt(Cqt&&) noexcept;
  Cqt& operator=(Cqt&&) noexcept;

  const CqtParams& params() const;
  int n_bins() const;
  // Frames librosa returns: 1 + n_samples / hop_length (integer division), except that with
  // early downsampling an octave may round up to one more (librosa takes the minimum over
  // octaves of 1 + len_i / hop_i; this does the same).
  std::size_t n_frames(std::size_t n_samples) const;

  // The whole signal at once. Equal, frame for frame, to pushing it in any blocks.
  Spectrogram transform(std::span<const float> samples) const;

  // Block processing with constant memory: push samples, receive finished frames in order.
  class Stream {
   public:
    ~Stream();
    Stream(Stream&&) noexcept;
    Stream& operator=(Stream&&) noexcept;
    // Appends every frame that the samples so far complete to `out` (its n_bins is set).
    void push(std::span<const float> samples, Spectrogram& out);
    // Ends the signal: appends the remaining frames. The total is n_frames(total samples).
    void finish(Spectrogram& out);
    // For live input. push() computes frames in whole tiles of a few dozen (the fast path), so a
    // frame may wait for the next ones' samples; this computes the frames before `n_frames` as
    // soon as every sample they cover has arrived, appends them (and any others due) to `out`
    // and returns true, or returns false and does nothing while some are still missing. The
    // values are bitwise those push() gives.
    bool complete(std::size_t n_frames, Spectrogram& out);

   private:
    friend class Cqt;
    struct State;
    explicit Stream(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
  };
  // Streams are independent: one Cqt can serve many threads, each with its own Stream.
  // A Stream refers to its Cqt, which must outlive it. push() after finish() throws Error.
  // threads >= 2: push() runs the top octave's halving on the calling thread and hands the
  // lower octaves and the frames to a second thread (one, whatever the number), so a long signal
  // takes about half the time; frames then come a push or two later. The values are bitwise
  // those of one thread.
  Stream stream(int threads = 1) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Direct time-domain reference (slow, obviously correct; for tests): each bin's windowed,
// normalised complex exponential correlated with the (octave-downsampled, as the fast path)
// signal at each frame centre, without the spectral kernel, sparsity or FFT.
Spectrogram cqt_reference(std::span<const float> samples, const CqtParams& params);

}  // namespace cqtcnn
