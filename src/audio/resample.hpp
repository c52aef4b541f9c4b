// Streaming sample-rate conversion with libsoxr (the resampler librosa uses by default,
// res_type='soxr_hq'). Output depends only on the input samples, not on how they are split
// into push() calls, which is what lets the CQT process audio in blocks.
#pragma once

#include <memory>
#include <span>
#include <vector>

namespace cqtcnn {

enum class ResampleQuality { hq, vhq };

class Resampler {
 public:
  Resampler(double in_rate, double out_rate, ResampleQuality quality = ResampleQuality::hq);
  ~Resampler();
  Resampler(Resampler&&) noexcept;
  Resampler& operator=(Resampler&&) noexcept;

  // Appends to `out` the samples that the input so far makes available.
  void push(std::span<const float> in, std::vector<float>& out);
  // Appends the remaining samples (the filter's tail); after this the object is spent.
  void flush(std::vector<float>& out);

  double in_rate() const { return in_rate_; }
  double out_rate() const { return out_rate_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  double in_rate_;
  double out_rate_;
};

// Whole-signal conversion, as librosa.resample(y, orig_sr, target_sr, res_type='soxr_hq'):
// the result has exactly ceil(len * out / in) samples (trimmed or zero-padded at the end).
// `scale` divides by sqrt(out / in), librosa's scale=True.
std::vector<float> resample(std::span<const float> in, double in_rate, double out_rate,
                            ResampleQuality quality = ResampleQuality::hq, bool scale = false);

}  // namespace cqtcnn
