// Synthetic signals made here: tones peak in their bin, white noise and impulses give flat
// responses, frame counts follow librosa's centred framing.
#include "cqt_test_util.hpp"

#include "cqtcnn/cqt.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace {

using cqtcnn::CqtParams;

class TonePeak : public ::testing::TestWithParam<int> {};

// Tones at random offsets within +-0.35 bin of a centre peak in that bin (frame in the middle
// of a 2 s tone, long enough for the longest window at fmin = C2 and 36 bpo: 1.2 s).
TEST_P(TonePeak, PeakIsNearestBin) {
  CqtParams p;
  p.bins_per_octave = GetParam();
  p.fmin = 65.40639132514966;  // C2
  p.n_bins = 6 * p.bins_per_octave;
  const cqtcnn::Cqt cqt(p);
  std::mt19937 rng(unsigned(p.bins_per_octave));
  std::uniform_real_distribution<double> where(0.0, double(p.n_bins - 1));
  std::uniform_real_distribution<double> offset(-0.35, 0.35);
  for (int trial = 0; trial < 12; ++trial) {
    const int bin = int(std::lround(where(rng)));
    const double f = p.fmin * std::pow(2.0, (bin + offset(rng)) / p.bins_per_octave);
    const auto c = cqt.transform(cqt_test::tone(f, p.sr, std::size_t(2 * p.sr)));
    const std::size_t mid = c.n_frames() / 2;
    int best = 0;
    for (int k = 1; k < p.n_bins; ++k)
      if (std::abs(c.at(mid, k)) > std::abs(c.at(mid, best))) best = k;
    EXPECT_EQ(best, int(std::lround(p.bins_per_octave * std::log2(f / p.fmin)))) << "f = " << f;
  }
}

INSTANTIATE_TEST_SUITE_P(BinsPerOctave, TonePeak, ::testing::Values(12, 24, 36));

// White noise of variance s^2: with L1-normalised hann filters and scale=True,
// E|C_k|^2 = s^2 L_k sum(w^2) / (sum w)^2 = 1.5 s^2 in every bin (the octave halvings keep the
// noise density). The estimate from a signal of duration D averages about D / (L_k / sr)
// independent windows, so its relative standard deviation is sqrt(L_k / (sr D)); we allow
// 4 of those (at most 0.38 for the longest filter here).
TEST(Noise, FlatMeanPower) {
  CqtParams p;
  p.sr = 8000;
  p.hop_length = 128;
  p.fmin = 65.40639132514966;
  p.n_bins = 60;
  const double sigma = 0.1, seconds = 30.0;
  const auto c = cqtcnn::Cqt(p).transform(cqt_test::white_noise(std::size_t(seconds * p.sr), 7));
  const auto lengths = p.filter_lengths();
  for (int k = 0; k < p.n_bins; ++k) {
    double power = 0.0;
    for (std::size_t t = 0; t < c.n_frames(); ++t) power += std::norm(c.at(t, k)) / double(c.n_frames());
    const double tolerance = 4.0 * std::sqrt(lengths[std::size_t(k)] / (p.sr * seconds));
    EXPECT_NEAR(power / (1.5 * sigma * sigma), 1.0, tolerance) << "bin " << k;
  }
}

// An impulse at a frame centre: without length scaling, each L1-normalised filter returns
// L * w_centre / sum(w) = 2 L / taps, within 1% of 2 for every bin; lower octaves see the
// impulse through the halvings, whose passband is flat, so they must give 2 as well.
TEST(Impulse, FlatResponseWithoutScaling) {
  CqtParams p;
  p.scale = false;
  std::vector<float> x(std::size_t(p.sr * 3), 0.0f);
  const std::size_t t0 = 64;
  x[t0 * std::size_t(p.hop_length)] = 1.0f;
  const auto c = cqtcnn::Cqt(p).transform(x);
  for (int k = 0; k < p.n_bins; ++k) EXPECT_NEAR(std::abs(c.at(t0, k)), 2.0, 0.03) << "bin " << k;
}

TEST(Frames, CountIsOnePlusLengthOverHop) {
  CqtParams p;
  const cqtcnn::Cqt cqt(p);
  for (const std::size_t n : {1u, 511u, 512u, 513u, 1000u, 12345u, 33075u}) {
    EXPECT_EQ(cqt.n_frames(n), 1 + n / 512);
    EXPECT_EQ(cqt.transform(std::vector<float>(n, 0.25f)).n_frames(), 1 + n / 512);
  }
  // An odd hop never resamples.
  p.hop_length = 1001;
  EXPECT_EQ(cqtcnn::Cqt(p).transform(std::vector<float>(30000, 0.1f)).n_frames(), 1 + 30000u / 1001);
}

}  // namespace
