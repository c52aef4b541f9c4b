// dB scaling against librosa: A_chirp_db.npy and C_digit_db.npy are librosa 0.10.1's
// amplitude_to_db(|C|, ref=np.max, amin=1e-5, top_db=80) of A_chirp_mag.npy / C_digit_mag.npy
// (copied from /work/shared/reference/cqt).
#include "cqtcnn/error.hpp"
#include "io/npy.hpp"
#include "cqtcnn/decibels.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
#include <cstring>
#include <random>
#include <span>
#include <string>
#include <vector>

namespace {

std::string fixture(const std::string& name) { return std::string(CQTCNN_TEST_DATA) + "/io/" + name; }

void expect_matches_librosa(const std::string& mag_file, const std::string& db_file) {
  const cqtcnn::NpyArray mag = cqtcnn::read_npy(fixture(mag_file));
  const cqtcnn::NpyArray ref = cqtcnn::read_npy(fixture(db_file));
  ASSERT_EQ(mag.shape, ref.shape);
  std::vector<float> db = mag.data;
  cqtcnn::amplitude_to_db(db);
  float worst = 0;
  std::size_t floored = 0;
  for (std::size_t i = 0; i < db.size(); ++i) {
    worst = std::max(worst, std::abs(db[i] - ref.data[i]));
    floored += ref.data[i] == *std::min_element(ref.data.begin(), ref.data.end());
  }
  EXPECT_LT(worst, 2e-5f) << db_file;  // float32 log10 may differ from numpy's by an ulp
  EXPECT_GT(floored, 0u) << "the fixture should exercise top_db clipping";
  EXPECT_NEAR(*std::max_element(db.begin(), db.end()), 0.0f, 3e-6f);
}

}  // namespace

TEST(Decibels, AmplitudeToDbMatchesLibrosaChirp) { expect_matches_librosa("A_chirp_mag.npy", "A_chirp_db.npy"); }

TEST(Decibels, AmplitudeToDbMatchesLibrosaDigit) { expect_matches_librosa("C_digit_mag.npy", "C_digit_db.npy"); }

// Fixed reference, floor and no top_db, against the formula evaluated in double.
TEST(Decibels, FixedReferenceAgainstFormula) {
  std::vector<float> m{0.0f, 1e-7f, 1e-5f, 0.001f, 0.5f, 2.0f};
  std::vector<float> db = m;
  cqtcnn::amplitude_to_db(db, {.ref = 0.5, .amin = 1e-5, .top_db = std::nullopt});
  for (std::size_t i = 0; i < m.size(); ++i)
    EXPECT_NEAR(db[i], 20 * std::log10(std::max(1e-5, double(m[i])) / 0.5), 1e-4) << i;
  EXPECT_NEAR(db[0], -20 * std::log10(0.5 / 1e-5), 1e-4);  // 0 is floored at amin
}

TEST(Decibels, TopDbClipsBelowTheMaximum) {
  std::vector<float> p{1.0f, 1e-2f, 1e-6f, 1e-12f};
  cqtcnn::power_to_db(p, {.ref = 1.0, .amin = 1e-10, .top_db = 30.0});
  EXPECT_NEAR(p[0], 0.0f, 1e-6);
  EXPECT_NEAR(p[1], -20.0f, 1e-5);
  EXPECT_NEAR(p[2], -30.0f, 1e-5);  // -60 clipped to max - 30
  EXPECT_NEAR(p[3], -30.0f, 1e-5);
}

TEST(Decibels, MagnitudePowerAndDbOfComplexValues) {
  const std::vector<std::complex<float>> c{{3.f, 4.f}, {0.f, -1.f}, {0.f, 0.f}};
  EXPECT_EQ(cqtcnn::scale_values(c, cqtcnn::ValueScale::magnitude), (std::vector<float>{5.f, 1.f, 0.f}));
  EXPECT_EQ(cqtcnn::scale_values(c, cqtcnn::ValueScale::power), (std::vector<float>{25.f, 1.f, 0.f}));
  const std::vector<float> db = cqtcnn::scale_values(c, cqtcnn::ValueScale::db);
  EXPECT_NEAR(db[0], 0.0f, 1e-6);
  EXPECT_NEAR(db[1], float(20 * std::log10(1.0 / 5.0)), 1e-5);
  EXPECT_NEAR(db[2], -80.0f, 1e-5);  // amin would give -114 dB; top_db clips to -80
}

TEST(Decibels, RejectsBadOptions) {
  std::vector<float> v{1.f};
  EXPECT_THROW(cqtcnn::amplitude_to_db(v, {.ref = {}, .amin = 0.0, .top_db = 80.0}), cqtcnn::InvalidInput);
  EXPECT_THROW(cqtcnn::amplitude_to_db(v, {.ref = {}, .amin = 1e-5, .top_db = -1.0}), cqtcnn::InvalidInput);
  EXPECT_THROW(cqtcnn::parse_value_scale("loud"), cqtcnn::InvalidInput);
  EXPECT_EQ(cqtcnn::parse_value_scale("power"), cqtcnn::ValueScale::power);
}

namespace {

float bits_to_float(std::uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

bool same_bits(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

// The vectorised modulus is std::abs (libm's hypotf) to the bit: random bit patterns over the
// whole range (subnormals, huge values that overflow), and the special values.
TEST(Decibels, MagnitudeIsStdAbsToTheBit) {
  std::mt19937 rng(4);
  std::vector<std::complex<float>> c;
  for (int i = 0; i < 200000; ++i) {
    float re = bits_to_float(std::uint32_t(rng())), im = bits_to_float(std::uint32_t(rng()));
    if (!std::isfinite(re)) re = 0.5f;
    if (!std::isfinite(im)) im = -3.0f;
    c.emplace_back(re, im);
  }
  const float inf = INFINITY, nan = NAN, big = 3e38f;
  for (const float a : {0.0f, -0.0f, 1e-45f, 1.0f, big, -big, inf, -inf, nan})
    for (const float b : {0.0f, 1e-45f, -1.0f, big, inf, -inf, nan}) c.emplace_back(a, b);
  const std::vector<float> m = cqtcnn::magnitude(c);
  ASSERT_EQ(m.size(), c.size());
  for (std::size_t i = 0; i < c.size(); ++i)
    ASSERT_TRUE(same_bits(m[i], std::abs(c[i])) || (std::isnan(m[i]) && std::isnan(std::abs(c[i]))))
        << c[i] << ": " << m[i] << " against " << std::abs(c[i]);
}

// levels() as the values come, then from_levels() once the reference is known: bitwise
// convert() and clip(), in any order of the blocks; and with an infinite reference (a magnitude
// that overflowed), where the peak cannot be predicted, expect_peak() says so and the two-pass
// route gives convert()'s values.
TEST(Decibels, LevelsThenReferenceEqualConvertAndClip) {
  std::mt19937 rng(8);
  std::lognormal_distribution<float> magnitude(-4.0f, 3.0f);
  for (const bool infinite : {false, true}) {
    std::vector<float> m(5000);
    for (float& v : m) v = magnitude(rng);
    m[17] = 0.0f;
    if (infinite) m[99] = INFINITY;
    const double ref = *std::max_element(m.begin(), m.end());
    std::vector<float> power = m;
    for (float& v : power) v *= v;

    std::vector<float> want = power;
    cqtcnn::PowerToDb one(ref * ref, 1e-10, 80.0);
    one.convert(want);
    one.clip(want);

    std::vector<float> got = power;
    float max_level = -INFINITY;
    for (std::size_t at = 0; at < got.size(); at += 777)
      cqtcnn::PowerToDb::levels(std::span(got).subspan(at, std::min<std::size_t>(777, got.size() - at)), 1e-10,
                                max_level);
    cqtcnn::PowerToDb two(ref * ref, 1e-10, 80.0);
    ASSERT_EQ(two.expect_peak(max_level), !infinite);
    if (!infinite) {
      for (std::size_t at = got.size(); at > 0; at -= std::min<std::size_t>(at, 1000)) {  // back to front
        const std::size_t from = at - std::min<std::size_t>(at, 1000);
        two.from_levels(std::span(got).subspan(from, at - from));
      }
    } else {
      two.subtract_reference(got);
      two.clip(got);
    }
    for (std::size_t i = 0; i < got.size(); ++i)
      ASSERT_TRUE(same_bits(got[i], want[i]) || (std::isnan(got[i]) && std::isnan(want[i])))
          << "value " << i << ": " << got[i] << " against " << want[i];
  }
}
