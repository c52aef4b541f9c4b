// Invalid parameters are refused with InvalidInput naming the parameter; frequencies and
// lengths follow the formulas in cqt.hpp.
#include "cqtcnn/cqt.hpp"
#include "cqtcnn/error.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>

namespace {

using cqtcnn::CqtParams;

void expect_refused(const std::function<void(CqtParams&)>& change, const std::string& words) {
  CqtParams p;
  change(p);
  try {
    cqtcnn::Cqt cqt(p);
    ADD_FAILURE() << "accepted; expected an error mentioning " << words;
  } catch (const cqtcnn::InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
  }
}

TEST(CqtParams, InvalidValuesThrowInvalidInput) {
  expect_refused([](CqtParams& p) { p.hop_length = 0; }, "hop_length");
  expect_refused([](CqtParams& p) { p.hop_length = -512; }, "hop_length");
  expect_refused([](CqtParams& p) { p.fmin = 0; }, "fmin");
  expect_refused([](CqtParams& p) { p.fmin = -30; }, "fmin");
  expect_refused([](CqtParams& p) { p.n_bins = 0; }, "n_bins");
  expect_refused([](CqtParams& p) { p.bins_per_octave = 0; }, "bins_per_octave");
  expect_refused([](CqtParams& p) { p.sr = 0; }, "sr");
  expect_refused([](CqtParams& p) { p.window = "kaiser"; }, "window \"kaiser\"");
  expect_refused([](CqtParams& p) { p.sparsity = 1.0; }, "sparsity");
  expect_refused([](CqtParams& p) { p.filter_scale = 0; }, "filter_scale");
  expect_refused([](CqtParams& p) { p.norm = -1; }, "norm");
  expect_refused([](CqtParams& p) { p.gamma = std::numeric_limits<double>::quiet_NaN(); }, "gamma");
  // 8 octaves from C1 at 22050 Hz: the top bin's band (~8.2 kHz * 1.04) is still below
  // Nyquist, but 9 octaves reach 16.5 kHz.
  expect_refused([](CqtParams& p) { p.n_bins = 108; }, "Nyquist");
  EXPECT_NO_THROW(cqtcnn::Cqt(CqtParams{}));
}

TEST(CqtParams, AbsurdWorkIsRefusedBeforeAnyIsDone) {
  // fmin 1e-4 Hz: even after decimating to 43 Hz, a filter of ~7 M samples (limit 2^20)
  expect_refused([](CqtParams& p) { p.fmin = 1e-4; p.n_bins = 12; }, "samples long");
  // 2^16 bins per octave: 2^16 x 2 x n_fft floats of filters (limit 2^28)
  expect_refused([](CqtParams& p) { p.fmin = 4000; p.bins_per_octave = 1 << 16; p.n_bins = 1 << 16;
                   p.filter_scale = 0.01; p.hop_length = 1 << 20; }, "values");
  // hop 1 with filters of 2^19 samples: 22050 frames/s x 2^19 x 24 multiply-adds
  expect_refused([](CqtParams& p) { p.fmin = 1; p.n_bins = 12; p.hop_length = 1; }, "per second of audio");
  // heavy but useful layouts stay accepted: hop 1 on the default layout, 36 bins per octave
  // from A0 with filter_scale 2 at 44.1 kHz
  EXPECT_NO_THROW([] { CqtParams p; p.hop_length = 1; p.validate(); }());
  EXPECT_NO_THROW([] { CqtParams p = CqtParams::librosa(44100); p.fmin = 27.5; p.bins_per_octave = 36;
                       p.n_bins = 36 * 8; p.filter_scale = 2; p.hop_length = 64; p.validate(); }());
}

TEST(CqtParams, NyquistLimitIsLibrosas) {
  // librosa refuses when f_top * (1 + 0.5 * bandwidth / Q) exceeds sr / 2 (hann bandwidth
  // 1.50018 bins, Q = 1 / alpha = 17.33 at 12 bpo): the highest accepted top bin is
  // 11025 / 1.0432779 = 10567.7 Hz, i.e. bin 12 log2(10567.7 / 32.703) = 100.03: bin 100 fits
  // (n_bins = 101), bin 101 does not.
  CqtParams p;
  p.n_bins = 101;
  EXPECT_NO_THROW(p.validate());
  p.n_bins = 102;
  EXPECT_THROW(p.validate(), cqtcnn::InvalidInput);
}

TEST(CqtParams, FrequenciesAndLengths) {
  CqtParams p;
  p.tuning = 0.25;
  const auto f = p.frequencies();
  const auto len = p.filter_lengths();
  ASSERT_EQ(f.size(), 84u);
  const double alpha = (std::pow(2.0, 2.0 / 12) - 1) / (std::pow(2.0, 2.0 / 12) + 1);
  for (int k = 0; k < 84; ++k) {
    EXPECT_NEAR(f[std::size_t(k)], p.fmin * std::pow(2.0, (k + 0.25) / 12.0), 1e-12 * f[std::size_t(k)]);
    EXPECT_NEAR(len[std::size_t(k)], p.sr / alpha / f[std::size_t(k)], 1e-9 * len[std::size_t(k)]);
  }
}

}  // namespace
