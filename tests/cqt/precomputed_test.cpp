// Filter banks designed at build time (src/cqt/precomputed.hpp): a provided set gives a Cqt with
// its parameters bitwise the banks (and frames) that designing them gives; the Cqt really takes
// them (a changed tap changes its frames); parameters that differ in any field, or a damaged set,
// do not use them. The set is process-wide, so each test uses parameters of its own.
#include "cqt_test_util.hpp"

#include "cqt/design.hpp"
#include "cqt/filter_bank.hpp"
#include "cqt/precomputed.hpp"
#include "cqtcnn/error.hpp"

#include <gtest/gtest.h>

#include <cstring>

namespace {

using cqtcnn::Cqt;
using cqtcnn::CqtParams;
namespace cqt = cqtcnn::cqt;

CqtParams digits_like(double tuning) {  // models/digits.frontend.json's layout
  CqtParams p = CqtParams::librosa(8000);
  p.hop_length = 128;
  p.n_bins = 70;
  p.filter_scale = 0.4;
  p.tuning = tuning;
  return p;
}

bool same_frames(const cqtcnn::Spectrogram& a, const cqtcnn::Spectrogram& b) {
  return a.n_bins == b.n_bins && a.data.size() == b.data.size() &&
         std::memcmp(a.data.data(), b.data.data(), a.data.size() * sizeof(a.data[0])) == 0;
}

TEST(PrecomputedFilters, ProvidedBanksAreTheDesignedOnes) {
  for (const CqtParams& p : {digits_like(0.01), CqtParams::librosa(22050), CqtParams::brown1991(16000)}) {
    const cqt::Design d = cqt::make_design(p);
    const std::vector<cqt::FilterBank> designed = cqt::design_filter_banks(p, d);
    const auto x = cqt_test::white_noise(3 * 8000 + 17, 5);
    const cqtcnn::Spectrogram before = Cqt(p).transform(x);

    static std::vector<std::vector<unsigned char>> keep;  // a provided set must outlive its use
    keep.push_back(cqt::pack_filter_banks(p));
    cqt::provide_filter_banks(keep.back());
    const std::vector<cqt::FilterBank> provided = cqt::provided_filter_banks(p, d);
    ASSERT_EQ(provided.size(), designed.size());
    for (std::size_t i = 0; i < provided.size(); ++i) {
      ASSERT_EQ(provided[i].n_taps, designed[i].n_taps);
      ASSERT_EQ(provided[i].n_bins, designed[i].n_bins);
      ASSERT_EQ(provided[i].stride, designed[i].stride);
      EXPECT_EQ(std::memcmp(provided[i].taps(), designed[i].taps(),
                            std::size_t(provided[i].n_taps) * std::size_t(provided[i].stride) * sizeof(float)), 0)
          << "octave " << i;
    }
    EXPECT_TRUE(same_frames(Cqt(p).transform(x), before));
  }
}

TEST(PrecomputedFilters, TheCqtTakesThemOnlyForEqualParameters) {
  const CqtParams p = digits_like(0.02);
  const auto x = cqt_test::white_noise(8000, 6);
  const cqtcnn::Spectrogram designed = Cqt(p).transform(x);

  // The last value of the set is the top tap of the lowest octave's last bin (imaginary part).
  static std::vector<unsigned char> changed = cqt::pack_filter_banks(p);
  const float big = 1e3f;
  std::memcpy(changed.data() + changed.size() - sizeof(float), &big, sizeof(float));
  cqt::provide_filter_banks(changed);
  EXPECT_FALSE(same_frames(Cqt(p).transform(x), designed)) << "the provided banks were not used";

  for (auto differ : {+[](CqtParams& q) { q.tuning += 1e-12; }, +[](CqtParams& q) { q.window = "hamming"; },
                      +[](CqtParams& q) { q.scale = false; }, +[](CqtParams& q) { q.sr = 8001; }}) {
    CqtParams q = p;
    differ(q);
    EXPECT_TRUE(cqt::provided_filter_banks(q, cqt::make_design(q)).empty());
  }

  static const std::vector<unsigned char> right = cqt::pack_filter_banks(p);  // replaces the changed set
  cqt::provide_filter_banks(right);
  EXPECT_TRUE(same_frames(Cqt(p).transform(x), designed));
}

TEST(PrecomputedFilters, ADamagedSetIsRefused) {
  const std::vector<unsigned char> good = cqt::pack_filter_banks(digits_like(0.03));
  const std::vector<unsigned char> not_a_set(good.size(), 'x');
  EXPECT_THROW(cqt::provide_filter_banks(not_a_set), cqtcnn::Error);
  const std::vector<unsigned char> truncated(good.begin(), good.end() - 1);
  EXPECT_THROW(cqt::provide_filter_banks(truncated), cqtcnn::Error);
  std::vector<unsigned char> longer = good;
  longer.push_back(0);
  EXPECT_THROW(cqt::provide_filter_banks(longer), cqtcnn::Error);
  EXPECT_TRUE(cqt::provided_filter_banks(digits_like(0.03), cqt::make_design(digits_like(0.03))).empty());
}

}  // namespace
