// Classifier: a file's result against the same front end and network driven by hand (each
// window through Model::run alone, then the mean), the shipped digits model on the bundled
// recordings, top(k), and the checks of a model's front end (audio_frontend).
#include "audio/audio_test_util.hpp"
#include "cqtcnn/audio.hpp"
#include "cqtcnn/classifier.hpp"
#include "cqtcnn/error.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <numbers>
#include <numeric>
#include <sstream>

namespace cqtcnn {
namespace {
namespace fs = std::filesystem;

const fs::path kDigits = fs::path(CQTCNN_SOURCE_DIR) / "models/digits.json";
const fs::path kData = fs::path(CQTCNN_SOURCE_DIR) / "data";

TEST(Classifier, EachWindowAndTheMeanMatchTheNetworkRunWindowByWindow) {
  const Classifier classifier(Model::load(kDigits));
  // A 40 s recording: the bundled files (2 s) 20 times over: 78 windows, more than a batch of 32.
  std::vector<float> joined;
  for (int repeat = 0; repeat < 20; ++repeat)
    for (const auto& entry : fs::directory_iterator(kData))
      if (entry.path().extension() == ".wav") {
        const Audio a = load_audio(entry.path(), 8000);
        joined.insert(joined.end(), a.samples.begin(), a.samples.end());
      }
  const fs::path long_file = testing::temp_dir() / "long.wav";
  testing::write_sndfile(long_file, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 8000, 1, joined);

  const FileResult r = classifier.classify(long_file);
  std::vector<FeatureWindow> windows;
  classifier.frontend().process_file(long_file, [&](const FeatureWindow& w) { windows.push_back(w); });
  ASSERT_GT(windows.size(), 32u);
  ASSERT_EQ(r.windows.size(), windows.size());
  const std::size_t n_classes = classifier.labels().size();
  std::vector<double> mean(n_classes, 0.0);
  for (std::size_t i = 0; i < windows.size(); ++i) {
    Tensor x(1, classifier.model().input_shape());
    x.data = windows[i].values;
    const Tensor p = classifier.model().run(x, Output::probabilities);
    EXPECT_EQ(r.windows[i].start_s, windows[i].start_s);
    EXPECT_EQ(r.windows[i].end_s, windows[i].end_s);
    EXPECT_FALSE(r.windows[i].silent) << "window " << i;  // real recordings: above the silence floor
    for (std::size_t c = 0; c < n_classes; ++c) {
      EXPECT_NEAR(r.windows[i].probabilities[c], p.data[c], 1e-6) << "window " << i << " class " << c;
      mean[c] += p.data[c] / double(windows.size());
    }
  }
  for (std::size_t c = 0; c < n_classes; ++c) EXPECT_NEAR(r.probabilities[c], mean[c], 1e-5) << "class " << c;
  EXPECT_NEAR(r.duration_s, double(joined.size()) / 8000.0, 1e-9);
}

TEST(Classifier, DigitsModelNamesTheBundledRecordings) {
  const Classifier classifier(Model::load(kDigits));
  for (const char* name : {"1_george_4.wav", "3_jackson_0.wav", "5_nicolas_1.wav", "7_theo_2.wav", "9_yweweler_0.wav"}) {
    const FileResult r = classifier.classify(kData / name);
    EXPECT_EQ(classifier.labels()[r.top(1)[0]], std::string(1, name[0])) << name;
    double sum = 0.0;
    for (float p : r.probabilities) sum += p;
    EXPECT_NEAR(sum, 1.0, 1e-5) << name;
  }
}

// A digit, 3 s of digital silence and the digit again: the windows wholly in the silence are
// silent (no class, all 0) and the file's mean is that of the others, run through the network by hand.
TEST(Classifier, SilentWindowsGetNoClassAndStayOutOfTheMean) {
  const Classifier classifier(Model::load(kDigits));
  const Audio digit = load_audio(kData / "3_jackson_0.wav", 8000);
  std::vector<float> x = digit.samples;
  x.resize(x.size() + 24000, 0.0f);
  x.insert(x.end(), digit.samples.begin(), digit.samples.end());
  const fs::path file = testing::temp_dir() / "digit_silence_digit.wav";
  testing::write_sndfile(file, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 8000, 1, x);

  const FileResult r = classifier.classify(file);
  std::vector<FeatureWindow> windows;
  classifier.frontend().process_file(file, [&](const FeatureWindow& w) { windows.push_back(w); });
  ASSERT_EQ(r.windows.size(), windows.size());
  const std::size_t n_classes = classifier.labels().size();
  std::vector<double> mean(n_classes, 0.0);
  std::size_t silent = 0;
  for (std::size_t i = 0; i < windows.size(); ++i) {
    // Window i covers samples [4096 i, 4096 i + 8192): silent when it lies in the gap.
    const bool in_gap = 4096 * i >= digit.samples.size() && 4096 * i + 8192 <= digit.samples.size() + 24000;
    EXPECT_EQ(r.windows[i].silent, in_gap) << "window " << i;
    if (r.windows[i].silent) {
      ++silent;
      EXPECT_EQ(r.windows[i].probabilities, std::vector<float>(n_classes, 0.0f));
      continue;
    }
    Tensor in(1, classifier.model().input_shape());
    in.data = windows[i].values;
    const Tensor p = classifier.model().run(in, Output::probabilities);
    for (std::size_t c = 0; c < n_classes; ++c) mean[c] += p.data[c];
  }
  EXPECT_GE(silent, 4u);
  EXPECT_FALSE(r.silent());
  for (std::size_t c = 0; c < n_classes; ++c)
    EXPECT_NEAR(r.probabilities[c], mean[c] / double(windows.size() - silent), 1e-5);
  EXPECT_EQ(classifier.labels()[r.top(1)[0]], "3");
}

// Digital silence and a 440 Hz tone at -70 dBFS RMS (below the default floor of -60): no class.
TEST(Classifier, SilenceAndAVeryQuietToneAreSilentFiles) {
  const Classifier classifier(Model::load(kDigits));
  std::vector<float> tone(20000);
  for (std::size_t i = 0; i < tone.size(); ++i)
    tone[i] = float(std::sqrt(2.0) * std::pow(10.0, -70.0 / 20) * std::sin(2 * std::numbers::pi * 440.0 * double(i) / 8000));
  for (const auto& [name, samples] : {std::pair{"silence.wav", std::vector<float>(20000, 0.0f)}, {"quiet.wav", tone}}) {
    const fs::path file = testing::temp_dir() / name;
    testing::write_sndfile(file, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 8000, 1, samples);
    const FileResult r = classifier.classify(file);
    EXPECT_TRUE(r.silent()) << name;
    EXPECT_EQ(r.probabilities, std::vector<float>(classifier.labels().size(), 0.0f)) << name;
  }
  // The same tone 20 dB louder is sound, and gets a class.
  for (float& v : tone) v *= 10.0f;
  const fs::path file = testing::temp_dir() / "tone.wav";
  testing::write_sndfile(file, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 8000, 1, tone);
  const FileResult r = classifier.classify(file);
  EXPECT_FALSE(r.silent());
  EXPECT_NEAR(std::accumulate(r.probabilities.begin(), r.probabilities.end(), 0.0), 1.0, 1e-5);
}

TEST(FileResult, TopOrdersByProbability) {
  FileResult r;
  r.probabilities = {0.1f, 0.5f, 0.05f, 0.35f};
  EXPECT_EQ(r.top(1), (std::vector<std::size_t>{1}));
  EXPECT_EQ(r.top(3), (std::vector<std::size_t>{1, 3, 0}));
  EXPECT_EQ(r.top(10), (std::vector<std::size_t>{1, 3, 0, 2}));  // at most every class
}

std::string audio_frontend_error(const nlohmann::json& model) {
  try {
    audio_frontend(Model::parse(model.dump(), "m.json"));
  } catch (const InvalidInput& e) {
    return e.what();
  }
  return "accepted";
}

TEST(AudioFrontend, RefusesWhatClassifyCannotRun) {
  std::ifstream in(kDigits);
  std::stringstream text;
  text << in.rdbuf();
  const nlohmann::json digits = nlohmann::json::parse(text.str());
  EXPECT_EQ(audio_frontend_error(digits), "accepted");

  nlohmann::json m = digits;
  m.erase("frontend");
  EXPECT_EQ(audio_frontend_error(m), "m.json: /frontend: missing (a model for audio needs its front end)");
  m = digits;
  m["frontend"]["window_frames"] = 32;
  EXPECT_EQ(audio_frontend_error(m), "m.json: /input_shape: the front end makes 1x70x32 windows "
                                     "(1 x cqt.n_bins x window_frames) but the network takes 1x70x64");
  m = digits;
  m["frontend"]["cqt"]["fmin"] = "nan";
  EXPECT_EQ(audio_frontend_error(m).rfind("m.json: /frontend/cqt/fmin: ", 0), 0u) << audio_frontend_error(m);
}

}  // namespace
}  // namespace cqtcnn
