// The front end against an independent route to the same numbers: the whole-signal CQT, then
// librosa's amplitude_to_db (decibels.hpp) on each window, or PCEN of the whole signal (pcen.hpp),
// then the normalisation.
#include "cqtcnn/error.hpp"
#include "cqtcnn/frontend.hpp"
#include "frontend/window_reference.hpp"
#include "frontend/frontend_json.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <numbers>
#include <random>

namespace cqtcnn {
namespace {

nlohmann::json small_frontend() {
  return nlohmann::json::parse(R"({
    "sample_rate": 8000,
    "cqt": {"hop_length": 64, "fmin": 65.40639132514966, "n_bins": 48, "bins_per_octave": 12},
    "window_frames": 20, "window_hop_frames": 8
  })");
}

std::vector<float> test_signal(std::size_t n) {
  std::mt19937 rng(7);
  std::normal_distribution<float> noise(0.0f, 0.01f);
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = double(i) / 8000.0;
    x[i] = float(0.3 * std::sin(2 * std::numbers::pi * (200.0 + 300.0 * t) * t)) + noise(rng);
  }
  return x;
}

// What a window should hold, computed the slow way from the whole spectrogram.
std::vector<float> expected_window(const Spectrogram& s, const FrontendConfig& c, std::size_t start) {
  const auto magnitude = [&](std::size_t frame, std::size_t bin) { return std::abs(s.at(frame, int(bin))); };
  return testing::expected_window(magnitude, s.n_frames(), c, start);
}

TEST(Frontend, WindowsMatchWholeSignalCqtWithLibrosaDb) {
  const FrontendConfig config = frontend_from_json(small_frontend(), "test");
  const Frontend frontend(config);
  const std::vector<float> x = test_signal(8000 + 123);
  std::vector<FeatureWindow> windows;
  frontend.process_samples(x, [&](const FeatureWindow& w) { windows.push_back(w); });

  const Spectrogram whole = Cqt(config.cqt).transform(x);
  const std::size_t n_frames = whole.n_frames();
  ASSERT_EQ(n_frames, 1 + x.size() / 64);
  // Windows every 8 frames until one reaches the end: ceil((n - W) / hop) + 1 of them.
  const std::size_t expected_count = (n_frames - 20 + 7) / 8 + 1;
  ASSERT_EQ(windows.size(), expected_count);
  for (const FeatureWindow& w : windows) {
    EXPECT_EQ(w.start_frame, w.index * 8);
    EXPECT_DOUBLE_EQ(w.start_s, double(w.start_frame) * 64 / 8000.0);
    const std::vector<float> expected = expected_window(whole, config, w.start_frame);
    ASSERT_EQ(w.values.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) ASSERT_NEAR(w.values[i], expected[i], 2e-5) << "window " << w.index << " value " << i;
  }
  EXPECT_NEAR(windows.back().end_s, double(x.size()) / 8000.0, 1e-12);
  // The last window runs past the end: its missing frames hold the padding value.
  const std::size_t last_real = n_frames - windows.back().start_frame;
  ASSERT_LT(last_real, 20u);
  EXPECT_EQ(windows.back().values[last_real], config.pad_value());
}

TEST(Frontend, ShortRecordingGivesOnePaddedWindow) {
  const FrontendConfig config = frontend_from_json(small_frontend(), "test");
  const std::vector<float> x = test_signal(500);  // 1 + 500/64 = 8 frames < 20
  std::vector<FeatureWindow> windows;
  Frontend(config).process_samples(x, [&](const FeatureWindow& w) { windows.push_back(w); });
  ASSERT_EQ(windows.size(), 1u);
  const auto& v = windows[0].values;
  float max_value = -1e9f;
  for (int k = 0; k < 48; ++k) {
    for (int t = 0; t < 8; ++t) max_value = std::max(max_value, v[std::size_t(k * 20 + t)]);
    for (int t = 8; t < 20; ++t) EXPECT_EQ(v[std::size_t(k * 20 + t)], config.pad_value());
  }
  EXPECT_FLOAT_EQ(max_value, float(40.0 / 40.0));  // the window's maximum is 0 dB -> (0 + 40) / 40
  EXPECT_NEAR(windows[0].end_s, 500 / 8000.0, 1e-12);
}

TEST(Frontend, SubtractBinMeanMatchesWholeSignalCqt) {
  auto j = small_frontend();
  j["normalize"] = {{"mean", 0}, {"std", 20}, {"subtract_bin_mean", true}};
  const FrontendConfig config = frontend_from_json(j, "test");
  ASSERT_TRUE(config.subtract_bin_mean);
  const Frontend frontend(config);
  const Spectrogram whole_long = Cqt(config.cqt).transform(test_signal(8000 + 123));
  const Spectrogram whole_short = Cqt(config.cqt).transform(test_signal(500));  // 8 frames < 20
  for (const auto& [n, whole] : {std::pair{8000 + 123, &whole_long}, std::pair{500, &whole_short}}) {
    std::vector<FeatureWindow> windows;
    frontend.process_samples(test_signal(std::size_t(n)), [&](const FeatureWindow& w) { windows.push_back(w); });
    ASSERT_FALSE(windows.empty());
    for (const FeatureWindow& w : windows) {
      const std::vector<float> expected = expected_window(*whole, config, w.start_frame);
      for (std::size_t i = 0; i < expected.size(); ++i)
        ASSERT_NEAR(w.values[i], expected[i], 2e-5) << n << " samples, window " << w.index << " value " << i;
    }
  }
  // Each bin of a full window averages to zero (norm mean 0): the bin's mean is gone.
  std::vector<FeatureWindow> windows;
  frontend.process_samples(test_signal(8000 + 123), [&](const FeatureWindow& w) { windows.push_back(w); });
  for (int k = 0; k < 48; ++k) {
    double sum = 0.0;
    for (int t = 0; t < 20; ++t) sum += windows[0].values[std::size_t(k * 20 + t)];
    EXPECT_NEAR(sum / 20, 0.0, 1e-5) << "bin " << k;
  }
}

TEST(Frontend, LevelDoesNotChangeTheWindows) {
  const FrontendConfig config = frontend_from_json(small_frontend(), "test");
  const Frontend frontend(config);
  std::vector<float> x = test_signal(4000), quiet = x;
  for (float& v : quiet) v *= 0.1f;  // -20 dB: the 80 dB range stays above amin (-100 dB)
  std::vector<FeatureWindow> a, b;
  frontend.process_samples(x, [&](const FeatureWindow& w) { a.push_back(w); });
  frontend.process_samples(quiet, [&](const FeatureWindow& w) { b.push_back(w); });
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = 0; j < a[i].values.size(); ++j) ASSERT_NEAR(a[i].values[j], b[i].values[j], 1e-3);
}

// values "pcen": PCEN runs over the whole recording (its smoothers carry across windows), so each
// window is a slice of pcen(|C|) of the whole signal, normalised; padding is PCEN's silence, 0.
// The loudest hop's RMS of a window, the slow way: every hop of its samples, mean removed.
double loudest_hop_dbfs(const std::vector<float>& x, std::size_t first_hop, std::size_t hops, std::size_t hop) {
  double loudest = 0.0;
  for (std::size_t b = first_hop; b < first_hop + hops && b * hop < x.size(); ++b) {
    const std::size_t end = std::min(x.size(), (b + 1) * hop);
    double mean = 0.0, power = 0.0;
    for (std::size_t i = b * hop; i < end; ++i) mean += x[i] / double(end - b * hop);
    for (std::size_t i = b * hop; i < end; ++i) power += (x[i] - mean) * (x[i] - mean) / double(end - b * hop);
    loudest = std::max(loudest, power);
  }
  return 10 * std::log10(loudest);
}

std::vector<float> sine(std::size_t n, double amplitude, double hz = 440.0) {
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = float(amplitude * std::sin(2 * std::numbers::pi * hz * double(i) / 8000.0));
  return x;
}

TEST(Frontend, WindowsBelowTheSilenceFloorAreSilent) {
  const FrontendConfig config = frontend_from_json(small_frontend(), "test");
  EXPECT_EQ(config.silence_floor_dbfs, -60.0);  // the default: the front end does not give it
  const Frontend frontend(config);
  // 0.5 s of a sine at -20 dBFS RMS (amplitude 0.1 sqrt 2), 1 s of digital silence, 0.5 s of a sine
  // at -70 dBFS RMS with a DC offset of 0.1 (-20 dBFS), then 0.3 s of the loud sine.
  std::vector<float> x = sine(4000, 0.1 * std::sqrt(2.0));
  x.resize(12000, 0.0f);
  for (float v : sine(4000, std::pow(10.0, -70.0 / 20) * std::sqrt(2.0))) x.push_back(v + 0.1f);
  for (float v : sine(2400, 0.1 * std::sqrt(2.0))) x.push_back(v);
  std::vector<FeatureWindow> windows;
  frontend.process_samples(x, [&](const FeatureWindow& w) { windows.push_back(w); });
  ASSERT_EQ(windows.size(), 35u);  // 18400 samples, 288 frames: windows of 20 every 8
  std::vector<bool> silent;
  for (const FeatureWindow& w : windows) {
    const double expected = loudest_hop_dbfs(x, w.start_frame, 20, 64);
    if (std::isinf(expected)) EXPECT_TRUE(std::isinf(w.level_dbfs) && w.level_dbfs < 0) << "window " << w.index;
    else EXPECT_NEAR(w.level_dbfs, expected, 1e-3) << "window " << w.index;
    EXPECT_EQ(w.silent, expected < -60.0) << "window " << w.index;
    silent.push_back(w.silent);
  }
  // Window i covers hops 8i to 8i + 19. Windows 0-7 reach into the loud sine (samples 0-3999:
  // hops 0-62), 8-28 lie in the silence and the quiet sine, 29-34 reach the loud sine again
  // (samples 16000-: hops 250-). The DC offset's onset at sample 12000, in the middle of hop 187,
  // is a step of 0.1: a click, which makes windows 21-23 sound.
  for (std::size_t i = 0; i < windows.size(); ++i)
    EXPECT_EQ(silent[i], (i >= 8 && i <= 20) || (i >= 24 && i <= 28)) << "window " << i;
  EXPECT_NEAR(windows[0].level_dbfs, -20.0, 0.3);  // hops of 3.52 periods: their mean is not quite 0
  EXPECT_TRUE(std::isinf(windows[15].level_dbfs));  // hops 120-139: digital silence
  EXPECT_NEAR(windows[26].level_dbfs, -70.0, 0.3);  // hops 208-227: the DC offset does not count
}

TEST(Frontend, TheSilenceFloorComesFromTheModelFile) {
  auto j = small_frontend();
  j["silence_floor_dbfs"] = -80;
  const FrontendConfig config = frontend_from_json(j, "test");
  EXPECT_EQ(config.silence_floor_dbfs, -80.0);
  EXPECT_EQ(frontend_from_json(frontend_to_json(config), "test").silence_floor_dbfs, -80.0);
  // A sine at -70 dBFS RMS is silent at the default floor, sound at -80.
  const std::vector<float> quiet = sine(8000, std::pow(10.0, -70.0 / 20) * std::sqrt(2.0));
  for (const double floor : {-60.0, -80.0}) {
    FrontendConfig c = config;
    c.silence_floor_dbfs = floor;
    Frontend(c).process_samples(quiet, [&](const FeatureWindow& w) { EXPECT_EQ(w.silent, floor == -60.0); });
  }
  // Digital silence is silent at any floor.
  FrontendConfig lowest = config;
  lowest.silence_floor_dbfs = -200;
  Frontend(lowest).process_samples(std::vector<float>(4000, 0.0f), [](const FeatureWindow& w) { EXPECT_TRUE(w.silent); });
}

TEST(Frontend, PcenWindowsAreSlicesOfTheWholeSignalsPcen) {
  auto j = small_frontend();
  j["values"] = "pcen";
  j["pcen"] = {{"time_constant", 0.1}, {"gain", 0.9}};
  j["normalize"] = {{"mean", 1}, {"std", 2}};
  const FrontendConfig config = frontend_from_json(j, "test");
  ASSERT_EQ(config.values, FrontendValues::pcen);
  EXPECT_EQ(config.pad_value(), float((0.0 - 1) / 2));
  const Frontend frontend(config);
  for (const std::size_t n : {std::size_t(8000 + 123), std::size_t(500)}) {
    const std::vector<float> x = test_signal(n);
    const Spectrogram whole = Cqt(config.cqt).transform(x);
    std::vector<std::vector<float>> pcen_frames;  // the whole recording's PCEN, frame by frame
    Pcen pcen(config.cqt.n_bins, config.pcen, config.sample_rate / config.cqt.hop_length);
    for (std::size_t t = 0; t < whole.n_frames(); ++t) {
      std::vector<float> frame(std::size_t(config.cqt.n_bins));
      for (int k = 0; k < config.cqt.n_bins; ++k) frame[std::size_t(k)] = std::abs(whole.at(t, k));
      pcen.apply(frame);
      pcen_frames.push_back(frame);
    }
    std::vector<FeatureWindow> windows;
    frontend.process_samples(x, [&](const FeatureWindow& w) { windows.push_back(w); });
    ASSERT_EQ(windows.size(), n > 1000 ? (whole.n_frames() - 20 + 7) / 8 + 1 : 1u);
    for (const FeatureWindow& w : windows) {
      const auto value = [&](std::size_t frame, std::size_t bin) { return pcen_frames[frame][bin]; };
      const std::vector<float> expected = testing::expected_window(value, whole.n_frames(), config, w.start_frame);
      for (std::size_t i = 0; i < expected.size(); ++i)
        ASSERT_NEAR(w.values[i], expected[i], 1e-5) << n << " samples, window " << w.index << " value " << i;
    }
  }
}

TEST(FrontendConfig, PcenJsonRoundTrip) {
  auto j = small_frontend();
  j["values"] = "pcen";
  j["pcen"] = {{"bias", 0}, {"scale", 1024}};
  const FrontendConfig a = frontend_from_json(j, "test");
  EXPECT_EQ(a.pcen.bias, 0.0);
  EXPECT_EQ(a.pcen.scale, 1024.0);
  EXPECT_EQ(a.pcen.gain, params::pcen::gain.default_value);
  const nlohmann::json written = frontend_to_json(a);
  EXPECT_EQ(written["values"], "pcen");
  EXPECT_FALSE(written.contains("db"));
  EXPECT_EQ(written["pcen"]["time_constant"], 0.4);
  EXPECT_EQ(frontend_to_json(frontend_from_json(written, "test")), written);
  EXPECT_NE(a.describe().find("  pcen.bias = 0"), std::string::npos) << a.describe();
  EXPECT_EQ(a.describe().find("db."), std::string::npos) << a.describe();
}

TEST(FrontendConfig, JsonRoundTrip) {
  const FrontendConfig a = frontend_from_json(small_frontend(), "test");
  const FrontendConfig b = frontend_from_json(frontend_to_json(a), "test");
  EXPECT_EQ(frontend_to_json(a), frontend_to_json(b));
  EXPECT_EQ(b.cqt.hop_length, 64);
  EXPECT_EQ(b.window_hop_frames, 8);
  EXPECT_EQ(b.cqt.window, "hann");  // librosa's default, filled in
  EXPECT_DOUBLE_EQ(b.cqt.sparsity, 0.01);
}

void expect_error(nlohmann::json j, const std::string& fragment) {
  try {
    frontend_from_json(j, "m.json");
    FAIL() << "accepted: " << j.dump();
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).rfind("m.json: ", 0), 0u) << e.what();
  }
}

TEST(FrontendConfig, ErrorsNameTheJsonPath) {
  {
    auto j = small_frontend();
    j["silence_floor_dbfs"] = 3;
    expect_error(j, "/frontend/silence_floor_dbfs: must be in [-200, 0], got 3");
  }
  auto j = small_frontend();
  j.erase("sample_rate");
  expect_error(j, "/frontend/sample_rate: missing");
  j = small_frontend();
  j["cqt"]["hop_length"] = 0;
  expect_error(j, "/frontend/cqt/hop_length: must be in [1,");
  j = small_frontend();
  j["cqt"]["hop_lenght"] = 64;
  expect_error(j, "/frontend/cqt/hop_lenght: unknown member");
  j = small_frontend();
  j["window_frames"] = "64";
  expect_error(j, "/frontend/window_frames: expected an integer");
  j = small_frontend();
  j["cqt"]["n_bins"] = 90;  // top bin far above 4 kHz
  expect_error(j, "/frontend/cqt: ");
  j = small_frontend();
  j["db"] = {{"ref", "file_max"}};
  expect_error(j, "/frontend/db/ref: unknown value");
  j = small_frontend();
  j["normalize"] = {{"subtract_bin_mean", 1}};
  expect_error(j, "/frontend/normalize/subtract_bin_mean: expected true or false");
  j = small_frontend();
  j["values"] = "mfcc";
  expect_error(j, "/frontend/values: unknown value \"mfcc\" (expected one of: db, pcen)");
  j = small_frontend();
  j["values"] = "pcen";
  j["pcen"] = {{"eps", 0}};
  expect_error(j, "/frontend/pcen/eps: must be in (0, 1e9], got 0");
  j["pcen"] = {{"gian", 1}};
  expect_error(j, "/frontend/pcen/gian: unknown member");
  j["pcen"] = nlohmann::json::object();
  j["db"] = {{"top_db", 40}};
  expect_error(j, "/frontend/db: only with \"values\": \"db\" (values is \"pcen\")");
  j = small_frontend();
  j["pcen"] = {{"gain", 0.5}};
  expect_error(j, "/frontend/pcen: only with \"values\": \"pcen\" (values is \"db\")");
}

}  // namespace
}  // namespace cqtcnn
