// The libsoxr wrapper: output independent of how the input is split (what makes the CQT
// stream exact), librosa's output lengths and scale=True factor.
#include "cqt_test_util.hpp"

#include "audio/resample.hpp"

#include <gtest/gtest.h>

namespace {

TEST(SoxrHalving, ChunkingDoesNotChangeOutput) {
  const auto x = cqt_test::white_noise(50000, 2);
  for (const double in_rate : {2.0, 4.0}) {
    cqtcnn::Resampler whole(in_rate, 1.0);
    std::vector<float> a;
    whole.push(x, a);
    whole.flush(a);
    std::mt19937 rng(4);
    std::uniform_int_distribution<std::size_t> size(0, 3000);
    cqtcnn::Resampler chunked(in_rate, 1.0);
    std::vector<float> b;
    for (std::size_t at = 0; at < x.size();) {
      const std::size_t n = std::min(size(rng), x.size() - at);
      chunked.push(std::span<const float>(x).subspan(at, n), b);
      at += n;
    }
    chunked.flush(b);
    ASSERT_EQ(a.size(), (x.size() + std::size_t(in_rate) - 1) / std::size_t(in_rate));
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) ASSERT_EQ(a[i], b[i]) << "sample " << i;
  }
}

TEST(SoxrHalving, LibrosaLengthAndScale) {
  for (const std::size_t n : {1u, 2u, 517u, 33075u}) {
    const auto x = cqt_test::white_noise(n, unsigned(n));
    const auto plain = cqtcnn::resample(x, 2.0, 1.0);
    const auto scaled = cqtcnn::resample(x, 2.0, 1.0, cqtcnn::ResampleQuality::hq, true);
    ASSERT_EQ(plain.size(), (n + 1) / 2);
    ASSERT_EQ(scaled.size(), plain.size());
    // librosa: y_hat /= np.sqrt(target / orig), a float32 division
    for (std::size_t i = 0; i < plain.size(); ++i) EXPECT_EQ(scaled[i], plain[i] / float(std::sqrt(0.5)));
  }
  // A tone well inside the passband keeps its amplitude (soxr HQ: flat to 0.01 dB).
  const auto t = cqt_test::tone(1000.0, 22050.0, 22050);
  const auto h = cqtcnn::resample(t, 2.0, 1.0);
  double peak = 0.0;
  for (std::size_t i = 1000; i < h.size() - 1000; ++i) peak = std::max(peak, double(std::abs(h[i])));
  EXPECT_NEAR(peak, 0.5, 0.5 * 0.002);
}

}  // namespace
