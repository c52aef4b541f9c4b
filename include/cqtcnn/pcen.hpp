// Per-channel energy normalisation (PCEN; Wang et al. 2017, "Trainable frontend for robust and
// far-field keyword spotting"), as librosa 0.10.1's pcen computes it on a magnitude spectrogram:
//   M[t] = b S[t] + (1 - b) M[t - 1]          (per bin; scipy lfilter with lfilter_zi's state,
//                                              i.e. as if S had been 1 before the first frame;
//                                              `settled`: as if S had been S[0])
//   P[t] = bias^power * expm1(power * log1p(S[t] * (eps + M[t])^-gain / bias))
// (power 0: log1p(S (eps + M)^-gain); bias 0: (S (eps + M)^-gain)^power), where S = scale * |C|
// and b = (sqrt(1 + 4 T^2) - 1) / (2 T^2), T = time_constant * frame rate. The gain control
// divides each bin by its own recent loudness, so a fixed colouring of the recording chain and a
// slowly changing level cancel; the compression replaces the log. In double precision, as
// librosa's float64 result, then rounded to float.
//
// librosa's state makes M start near 0 against S = |C| * 2^31, so the first frames of a recording
// come out large in every bin, sound or not, for about time_constant seconds: on clips of half a
// second (spoken digits) that burst is most of the image. `settled` starts M at the first frame
// instead, so a steady input gives the same value from the first frame on.
//
// Usage:
//   cqtcnn::PcenOptions o;                 // librosa's defaults, scale 2^31
//   cqtcnn::Pcen pcen(n_bins, o, sr / hop);
//   pcen.apply(frame);                     // one frame of |C| in place, frames in time order
#pragma once

#include "cqtcnn/params.hpp"

#include <span>
#include <vector>

namespace cqtcnn {

// Defaults, meanings and valid ranges: params::pcen (params.hpp).
struct PcenOptions {
  double gain = params::pcen::gain.default_value;
  double bias = params::pcen::bias.default_value;
  double power = params::pcen::power.default_value;
  double time_constant = params::pcen::time_constant.default_value;  // seconds
  double eps = params::pcen::eps.default_value;
  double scale = params::pcen::scale.default_value;  // multiplies |C| before anything else
  bool settled = params::pcen::settled.default_value;

  bool operator==(const PcenOptions&) const = default;
};

// Calls f(declaration, member) for each parameter of params::pcen, in the model file's order.
template <typename F>
void for_each_pcen_param(F&& f) {
  f(params::pcen::gain, &PcenOptions::gain);
  f(params::pcen::bias, &PcenOptions::bias);
  f(params::pcen::power, &PcenOptions::power);
  f(params::pcen::time_constant, &PcenOptions::time_constant);
  f(params::pcen::eps, &PcenOptions::eps);
  f(params::pcen::scale, &PcenOptions::scale);
  f(params::pcen::settled, &PcenOptions::settled);
}

// The smoother's coefficient b for frames_per_second (sr / hop_length), as librosa derives it.
double pcen_smoothing(double time_constant, double frames_per_second);

// PCEN of a stream of frames: each frame's bins are transformed in place, with each bin's
// smoother carried from frame to frame, so a recording can be fed in any blocks.
class Pcen {
 public:
  // Throws InvalidInput for an option outside its range (params::pcen) or n_bins < 1.
  Pcen(int n_bins, const PcenOptions& options, double frames_per_second);
  // One frame of n_bins magnitudes |C| -> PCEN values.
  void apply(std::span<float> frame);
  // The value of a silent frame (|C| = 0): 0 for every setting, as S = 0 gives.
  static constexpr float silence() { return 0.0f; }

 private:
  PcenOptions o_;
  double b_ = 0.0;
  std::vector<double> state_;  // per bin: (1 - b) M[t - 1], lfilter's delay
  bool started_ = false;
};

}  // namespace cqtcnn
