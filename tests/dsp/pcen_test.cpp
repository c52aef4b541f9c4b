// PCEN (pcen.hpp) against librosa 0.10.1's pcen on its own CQT magnitudes (tests/data/io:
// A_chirp_pcen.npy and C_digit_pcen.npy, made by tests/cqt/make_librosa_fixtures.py), and against a
// direct transcription of librosa's steps (lfilter with lfilter_zi's state, then the gain control
// and compression) for the settings the fixtures do not cover.
#include "cqtcnn/error.hpp"
#include "io/npy.hpp"
#include "cqtcnn/pcen.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace cqtcnn {
namespace {

std::string fixture(const std::string& name) { return std::string(CQTCNN_TEST_DATA) + "/io/" + name; }

// [bins][frames] row-major, as read_npy gives librosa's (bins, frames) arrays.
struct Matrix {
  std::size_t bins = 0, frames = 0;
  std::vector<double> v;
  double at(std::size_t k, std::size_t t) const { return v[k * frames + t]; }
};

// librosa.pcen(S * scale, ...) written out step by step over the whole matrix, in double.
Matrix pcen_reference(const Matrix& mag, const PcenOptions& o, double frames_per_second) {
  const double t_frames = o.time_constant * frames_per_second;
  const double b = (std::sqrt(1 + 4 * t_frames * t_frames) - 1) / (2 * t_frames * t_frames);
  Matrix out = mag;
  for (std::size_t k = 0; k < mag.bins; ++k) {
    double z = 1 - b;  // scipy.signal.lfilter_zi([b], [1, b - 1])
    if (o.settled) z *= double(float(mag.at(k, 0) * o.scale));  // as if S[0] forever before
    for (std::size_t t = 0; t < mag.frames; ++t) {
      const double s = double(float(mag.at(k, t) * o.scale));
      const double m = b * s + z;  // y[n] = b x[n] + (1 - b) y[n - 1]
      z = (1 - b) * m;
      const double smooth = std::exp(-o.gain * (std::log(o.eps) + std::log1p(m / o.eps)));
      double p = 0;
      if (o.power == 0) p = std::log1p(s * smooth);
      else if (o.bias == 0) p = std::exp(o.power * (std::log(s) + std::log(smooth)));
      else p = std::pow(o.bias, o.power) * std::expm1(o.power * std::log1p(s * smooth / o.bias));
      out.v[k * mag.frames + t] = p;
    }
  }
  return out;
}

// Pcen fed one frame at a time.
Matrix run(const Matrix& mag, const PcenOptions& o, double frames_per_second) {
  Pcen pcen(int(mag.bins), o, frames_per_second);
  Matrix out = mag;
  std::vector<float> frame(mag.bins);
  for (std::size_t t = 0; t < mag.frames; ++t) {
    for (std::size_t k = 0; k < mag.bins; ++k) frame[k] = float(mag.at(k, t));
    pcen.apply(frame);
    for (std::size_t k = 0; k < mag.bins; ++k) out.v[k * mag.frames + t] = frame[k];
  }
  return out;
}

Matrix read(const std::string& name) {
  const NpyArray a = read_npy(fixture(name));
  EXPECT_EQ(a.shape.size(), 2u) << name;
  return {std::size_t(a.shape[0]), std::size_t(a.shape[1]), std::vector<double>(a.data.begin(), a.data.end())};
}

void expect_matches_librosa(const std::string& case_id, double sr, int hop) {
  const Matrix mag = read(case_id + "_mag.npy"), ref = read(case_id + "_pcen.npy");
  ASSERT_EQ(mag.bins, ref.bins);
  ASSERT_EQ(mag.frames, ref.frames);
  const Matrix ours = run(mag, {}, sr / hop);
  double worst = 0;
  for (std::size_t i = 0; i < ref.v.size(); ++i) worst = std::max(worst, std::abs(ours.v[i] - ref.v[i]) / std::abs(ref.v[i]));
  std::cout << "[ measured ] " << case_id << ": largest relative difference from librosa.pcen " << worst << "\n";
  EXPECT_LE(worst, 2.5e-7);  // two float32 steps: both are float64 results rounded to float32
  EXPECT_GT(*std::max_element(ref.v.begin(), ref.v.end()), 1.0) << "the fixture should leave the floor";
}

TEST(Pcen, MatchesLibrosaChirp) { expect_matches_librosa("A_chirp", 22050, 512); }
TEST(Pcen, MatchesLibrosaDigit) { expect_matches_librosa("C_digit", 8000, 64); }

TEST(Pcen, EveryBranchMatchesTheDirectSteps) {
  std::mt19937 rng(3);
  std::exponential_distribution<double> level(20.0);
  Matrix mag{5, 300, {}};
  for (std::size_t i = 0; i < mag.bins * mag.frames; ++i) mag.v.push_back(double(float(level(rng))));
  mag.v[7] = 0.0;  // silence inside the signal
  PcenOptions settings[6];
  settings[1].power = 0;          // log1p
  settings[2].bias = 0;           // a pure power law
  settings[3] = {.gain = 0.8, .bias = 10, .power = 0.25, .time_constant = 0.06, .eps = 1e-3, .scale = 1000};
  settings[4].settled = true;
  settings[5] = settings[3];
  settings[5].settled = true;
  for (const PcenOptions& o : settings) {
    const Matrix ours = run(mag, o, 8000.0 / 128), ref = pcen_reference(mag, o, 8000.0 / 128);
    for (std::size_t i = 0; i < ref.v.size(); ++i)
      ASSERT_NEAR(ours.v[i], ref.v[i], 1.2e-7 * std::abs(ref.v[i]) + 1e-30) << "power " << o.power << " bias " << o.bias << " value " << i;
  }
}

// What PCEN is for: a bin 20 dB louder throughout (a coloured recording chain) reads almost the
// same, where dB would move by 20. The smoother starts near 0 (lfilter_zi's state is for an input
// of 1, against |C| * 2^31 here), so the first frame is already divided by its own level.
TEST(Pcen, AFixedColouringAlmostCancels) {
  std::mt19937 rng(4);
  std::uniform_real_distribution<double> noise(0.5, 1.5);
  Matrix plain{1, 400, {}}, coloured{1, 400, {}};
  for (std::size_t t = 0; t < 400; ++t) {
    const double v = 1e-3 * noise(rng);
    plain.v.push_back(v);
    coloured.v.push_back(10 * v);
  }
  const double rate = 8000.0 / 128;  // 0.4 s is 25 frames
  const Matrix a = run(plain, {}, rate), b = run(coloured, {}, rate);
  double worst = 0;
  for (std::size_t t = 0; t < 400; ++t) worst = std::max(worst, std::abs(b.v[t] / a.v[t] - 1));
  std::cout << "[ measured ] 20 dB of colouring moves PCEN by at most " << 100 * worst << "%\n";
  EXPECT_LT(worst, 0.05);
  EXPECT_GT(worst, 0.0);
}

// librosa's state puts a burst over every bin at the start of a recording; `settled` does not:
// a steady input reads the same from its first frame, and a silent start stays at 0.
TEST(Pcen, SettledStartsWithoutABurst) {
  const double rate = 8000.0 / 128;
  const std::size_t n = 250;  // 10 time constants: librosa's start has faded by the end
  Matrix steady{2, n, {}};
  for (std::size_t i = 0; i < 2 * n; ++i) steady.v.push_back(i < n ? 1e-3 : 0.0);  // a tone bin, a silent bin
  PcenOptions settled;
  settled.settled = true;
  const Matrix a = run(steady, {}, rate), b = run(steady, settled, rate);
  EXPECT_GT(a.at(0, 0), 3 * a.at(0, n - 1)) << "librosa's start should burst";
  for (std::size_t t = 0; t < n; ++t) {
    EXPECT_NEAR(b.at(0, t), b.at(0, n - 1), 1e-6 * b.at(0, n - 1)) << "frame " << t;
    EXPECT_EQ(b.at(1, t), 0.0);
  }
  EXPECT_NEAR(a.at(0, n - 1), b.at(0, n - 1), 1e-3 * b.at(0, n - 1)) << "both settle to the same level";
}

TEST(Pcen, RefusesBadOptions) {
  const auto refuses = [](PcenOptions o, const std::string& what) {
    try {
      Pcen(4, o, 10.0);
      ADD_FAILURE() << "accepted " << what;
    } catch (const InvalidInput& e) {
      EXPECT_NE(std::string(e.what()).find("pcen: " + what), std::string::npos) << e.what();
    }
  };
  refuses({.gain = -1}, "gain");
  refuses({.time_constant = 0}, "time_constant");
  refuses({.eps = 0}, "eps");
  refuses({.scale = -2}, "scale");
  EXPECT_THROW(Pcen(4, {}, 0.0), InvalidInput);
  Pcen pcen(4, {}, 10.0);
  std::vector<float> wrong(3);
  EXPECT_THROW(pcen.apply(wrong), Error);
  std::vector<float> silent(4, 0.0f);
  pcen.apply(silent);
  for (const float v : silent) EXPECT_EQ(v, Pcen::silence());
}

}  // namespace
}  // namespace cqtcnn
