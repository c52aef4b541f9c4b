// Direct time-domain reference: the same octave layout and wavelets as the fast path, but the
// levels come from whole-signal librosa-style resample() calls and each bin is a plain sum
// over the frame, with no spectral kernel, sparsity or FFT.
//
// The fast path computes sum_{j <= N/2} K[j] X[j] with K = FFT(L/N * b). Summed over all N
// bins this is, by the DFT convolution theorem, L * sum_n b[n] x[(-n) mod N]: the frame
// convolved with the wavelet at its centre. The two differ only by the wavelet's tiny
// negative-frequency content, which librosa's half-spectrum kernel leaves out.
#include "cqtcnn/cqt.hpp"
#include "audio/resample.hpp"
#include "cqt/design.hpp"

#include <cmath>

namespace cqtcnn {
namespace {

double padded_sample(const std::vector<float>& y, long long j, PadMode mode) {
  const long long n = static_cast<long long>(y.size());
  if (j >= 0 && j < n) return y[std::size_t(j)];
  if (mode == PadMode::constant || n == 0) return 0.0;
  if (n == 1) return y[0];
  const long long period = 2 * (n - 1);  // numpy.pad reflect, repeated as far as needed
  j %= period;
  if (j < 0) j += period;
  return y[std::size_t(j < n ? j : period - j)];
}

std::vector<std::vector<float>> level_signals(std::span<const float> samples, const CqtParams& p,
                                              const cqt::Design& d) {
  std::vector<std::vector<float>> levels;
  if (d.early_count > 0) {
    const double factor = double(1 << d.early_count);
    levels.push_back(resample(samples, factor, 1.0, ResampleQuality::hq, true));
    if (!p.scale)
      for (float& v : levels.back()) v *= float(std::sqrt(factor));
  } else {
    levels.emplace_back(samples.begin(), samples.end());
  }
  while (int(levels.size()) < d.n_levels) levels.push_back(resample(levels.back(), 2.0, 1.0, ResampleQuality::hq, true));
  return levels;
}

}  // namespace

Spectrogram cqt_reference(std::span<const float> samples, const CqtParams& params) {
  const cqt::Design d = cqt::make_design(params);
  const auto levels = level_signals(samples, params, d);
  const std::size_t n_frames = cqt::frame_count(d, samples.size());
  Spectrogram out;
  out.n_bins = params.n_bins;
  out.data.assign(n_frames * std::size_t(params.n_bins), {});
  for (const cqt::Octave& o : d.octaves) {
    std::vector<double> lengths;
    const auto wavelets = cqt::octave_wavelets(params, d, o, lengths);
    const auto& y = levels[std::size_t(o.level)];
    for (int r = 0; r < o.n_bins; ++r) {
      const int k = o.first_bin + r;
      const double gain = lengths[std::size_t(r)] * o.gain *
                          (params.scale ? 1.0 / std::sqrt(d.scale_lengths[std::size_t(k)]) : 1.0);
      for (std::size_t t = 0; t < n_frames; ++t) {
        const long long start = static_cast<long long>(t) * o.hop - o.n_fft / 2;
        std::complex<double> acc = 0.0;
        for (int n = 0; n < o.n_fft; ++n)
          acc += wavelets[std::size_t(r)][std::size_t(n)] * padded_sample(y, start + (o.n_fft - n) % o.n_fft, params.pad_mode);
        out.at(t, k) = std::complex<float>(acc * gain);
      }
    }
  }
  return out;
}

}  // namespace cqtcnn
