// write_features (what `cqtcnn features` writes) against an independent route to the same
// numbers: file_spectrogram's magnitudes of the same files, cut into windows and converted the
// slow way (window_reference.hpp); and its index, order, threads and failures.
#include "audio/audio_test_util.hpp"
#include "cqtcnn/error.hpp"
#include "frontend/features.hpp"
#include "io/npy.hpp"
#include "frontend/spectrogram.hpp"
#include "frontend/window_reference.hpp"
#include "frontend/frontend_json.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace cqtcnn {
namespace {
namespace fs = std::filesystem;

FrontendConfig small_frontend() {
  return frontend_from_json(nlohmann::json::parse(R"({
    "sample_rate": 8000,
    "cqt": {"hop_length": 64, "fmin": 65.40639132514966, "n_bins": 48, "bins_per_octave": 12},
    "window_frames": 20, "window_hop_frames": 8
  })"),
                                   "test");
}

// A chirp with a little noise, `n` samples at 8 kHz, written as a float WAV.
fs::path write_chirp(const std::string& name, std::size_t n, double f0) {
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = double(i) / 8000.0;
    x[i] = float(0.3 * std::sin(2 * std::numbers::pi * (f0 + 300.0 * t) * t) + 0.001 * std::sin(double(i * i % 977)));
  }
  const fs::path path = testing::temp_dir() / name;
  testing::write_sndfile(path, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 8000, 1, x);
  return path;
}

// The windows `config` makes of `path`, every `hop` frames, computed from the file's whole CQT.
std::vector<std::vector<float>> reference_windows(const fs::path& path, const FrontendConfig& config, std::size_t hop) {
  SpectrogramSettings settings;
  settings.cqt = config.cqt;
  settings.values = ValueScale::magnitude;
  const FileSpectrogram s = file_spectrogram(path, settings);
  const auto magnitude = [&](std::size_t frame, std::size_t bin) { return s.values[bin * s.n_frames + frame]; };
  const std::size_t width = std::size_t(config.window_frames);
  std::vector<std::vector<float>> out;
  for (std::size_t start = 0;; start += hop) {
    out.push_back(testing::expected_window(magnitude, s.n_frames, config, start));
    if (start + width >= s.n_frames) break;
  }
  return out;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Features, MatchTheSpectrogramOfTheSameFiles) {
  const FrontendConfig config = small_frontend();
  const Frontend frontend(config);
  // Three files of 1.0 s, 0.05 s (shorter than a window: one padded window) and 0.7 s.
  const std::vector<std::size_t> samples = {8000, 400, 5600};
  const std::vector<fs::path> files = {write_chirp("a.wav", samples[0], 200.0), write_chirp("b.wav", samples[1], 500.0),
                                       write_chirp("c.wav", samples[2], 150.0)};
  const fs::path npy = testing::temp_dir() / "x.npy", index = testing::temp_dir() / "x.csv";
  for (const int threads : {1, 3}) {
    FeaturesOptions options;
    options.index = index;
    options.threads = threads;
    const std::int64_t rows = write_features(frontend, files, npy, options);
    const NpyArray x = read_npy(npy);
    ASSERT_EQ(x.shape, (std::vector<std::int64_t>{rows, 1, 48, 20}));

    std::string expected_index = "row,path,window,start_s,end_s\n";
    std::int64_t row = 0;
    for (std::size_t file = 0; file < files.size(); ++file) {
      const fs::path& f = files[file];
      const auto windows = reference_windows(f, config, 8);
      const double duration = double(samples[file]) / 8000.0;
      for (std::size_t w = 0; w < windows.size(); ++w, ++row) {
        ASSERT_LT(row, rows) << f;
        const float* got = x.data.data() + row * 48 * 20;
        for (std::size_t i = 0; i < windows[w].size(); ++i)
          ASSERT_NEAR(got[i], windows[w][i], 2e-5) << f << " window " << w << " value " << i;
        char times[64];
        std::snprintf(times, sizeof times, "%.6f,%.6f", double(w * 8 * 64) / 8000.0,
                      std::min(duration, double((w * 8 + 20) * 64) / 8000.0));
        expected_index += std::to_string(row) + "," + f.string() + "," + std::to_string(w) + "," + times + "\n";
      }
    }
    EXPECT_EQ(row, rows);
    EXPECT_EQ(read_text(index), expected_index) << threads << " threads";
  }
}

TEST(Features, HopFramesOverridesTheFrontEnds) {
  const FrontendConfig config = small_frontend();
  const fs::path file = write_chirp("hop.wav", 8000, 200.0), npy = testing::temp_dir() / "hop.npy";
  FeaturesOptions options;
  options.hop_frames = 5;
  const std::int64_t rows = write_features(Frontend(config), {file}, npy, options);
  const auto windows = reference_windows(file, config, 5);
  ASSERT_EQ(rows, std::int64_t(windows.size()));
  const NpyArray x = read_npy(npy);
  for (std::size_t w = 0; w < windows.size(); ++w)
    for (std::size_t i = 0; i < windows[w].size(); ++i) ASSERT_NEAR(x.data[w * 960 + i], windows[w][i], 2e-5);
}

TEST(Features, AFailedFileLeavesNoOutputAndIsReported) {
  const Frontend frontend(small_frontend());
  const fs::path good = write_chirp("good.wav", 4000, 200.0), bad = testing::temp_dir() / "bad.wav";
  testing::write_bytes(bad, "not audio");
  const fs::path npy = testing::temp_dir() / "failed.npy", index = testing::temp_dir() / "failed.csv";
  testing::write_bytes(npy, "before");
  std::vector<std::string> errors;
  FeaturesOptions options;
  options.index = index;
  options.threads = 2;
  options.on_error = [&](const std::string& e) { errors.push_back(e); };
  try {
    write_features(frontend, {good, bad, good, bad}, npy, options);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "2 of 4 files failed; no output written");
  }
  ASSERT_EQ(errors.size(), 2u);
  for (const auto& e : errors) EXPECT_EQ(e.rfind(bad.string() + ": ", 0), 0u) << e;
  EXPECT_EQ(read_text(npy), "before");  // left as it was
  EXPECT_FALSE(fs::exists(index));
  for (const auto& entry : fs::directory_iterator(testing::temp_dir()))  // no temporary file left
    EXPECT_EQ(entry.path().filename().string().find("failed.npy."), std::string::npos) << entry.path();
}

TEST(FrontendConfig, FromFileTakesAModelOrABareFrontEnd) {
  const FrontendConfig model = FrontendConfig::from_file(fs::path(CQTCNN_SOURCE_DIR) / "models/digits.json");
  const FrontendConfig bare = FrontendConfig::from_file(fs::path(CQTCNN_SOURCE_DIR) / "models/digits.frontend.json");
  EXPECT_EQ(frontend_to_json(model), frontend_to_json(bare));
  const fs::path deep = testing::temp_dir() / "deep.json";
  testing::write_bytes(deep, std::string(100, '[') + std::string(100, ']'));
  try {
    FrontendConfig::from_file(deep);
    FAIL() << "accepted";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(std::string(e.what()), deep.string() + ": JSON nested deeper than 64 levels");
  }
  try {
    FrontendConfig::from_file(testing::temp_dir() / "missing.json");
    FAIL() << "accepted";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(std::string(e.what()).rfind((testing::temp_dir() / "missing.json").string() + ": cannot read front-end file", 0), 0u)
        << e.what();
  }
}

}  // namespace
}  // namespace cqtcnn
