// CqtParams::bins_below_nyquist: the most bins that validate() accepts at a rate, which is how
// `cqtcnn spectrogram` fits librosa's default 84 bins to 8 and 16 kHz audio.
#include "cqtcnn/cqt.hpp"
#include "cqtcnn/error.hpp"

#include <gtest/gtest.h>

namespace {

using cqtcnn::CqtParams;

// n bins fit (validate accepts them) and n + 1 do not.
void expect_exact_fit(CqtParams p) {
  const int n = p.bins_below_nyquist();
  ASSERT_GT(n, 0);
  p.n_bins = n;
  EXPECT_NO_THROW(p.validate()) << "sr " << p.sr << ": " << n << " bins";
  p.n_bins = n + 1;
  EXPECT_THROW(p.validate(), cqtcnn::InvalidInput) << "sr " << p.sr << ": " << n + 1 << " bins";
}

TEST(BinsBelowNyquist, LibrosaDefaultsAtSpeechRates) {
  // The top band reaches f_k (1 + 0.5 * 1.50018 * alpha), alpha = 0.0577 at 12 bpo: at 8 kHz
  // (Nyquist 4 kHz) bin 82 (3729 Hz, band to 3890 Hz) fits and bin 83 (3951 Hz, to 4122 Hz) does not.
  EXPECT_EQ(CqtParams::librosa(8000).bins_below_nyquist(), 83);
  expect_exact_fit(CqtParams::librosa(8000));
  CqtParams p = CqtParams::librosa(11025);
  p.n_bins = 200;
  expect_exact_fit(p);
  p = CqtParams::brown1991(8000);
  p.gamma = -1;  // ERB bandwidths widen the top band
  expect_exact_fit(p);
}

TEST(BinsBelowNyquist, NeverMoreThanAskedOrBelowZero) {
  EXPECT_EQ(CqtParams::librosa(16000).bins_below_nyquist(), 84);  // all of them fit
  EXPECT_EQ(CqtParams::librosa(22050).bins_below_nyquist(), 84);
  CqtParams p = CqtParams::librosa(8000);
  p.fmin = 5000;  // above Nyquist: not one bin
  EXPECT_EQ(p.bins_below_nyquist(), 0);
  p.hop_length = 0;
  EXPECT_THROW(p.bins_below_nyquist(), cqtcnn::InvalidInput);
}

}  // namespace
