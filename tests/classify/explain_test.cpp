// explain_file: which window and class it explains, and that the saliency of a model that only
// hears one band lies in that band, on a real recording through the whole pipeline and in the
// figure's pixels.
#include "classify/explain.hpp"
#include "audio/audio_test_util.hpp"
#include "cqtcnn/error.hpp"
#include "figure/figure.hpp"
#include "frontend/frontend_json.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>

namespace {

using nlohmann::json;
namespace t = cqtcnn::testing;

constexpr int kRate = 8000, kBins = 48, kFrames = 32;
constexpr double kFmin = 65.40639132514966;  // C2
constexpr double kTone = 440.0;              // A4: bin 12 log2(440 / C2) = 33
constexpr int kBandLo = 31, kBandHi = 35;

// A classifier that hears only the bins around A4: class "band"'s logit is 0.01 x the sum of
// the band's inputs, class "other"'s is 0.
cqtcnn::Classifier band_classifier() {
  cqtcnn::FrontendConfig f;
  f.sample_rate = kRate;
  f.cqt = cqtcnn::CqtParams::librosa(kRate);
  f.cqt.hop_length = 128, f.cqt.fmin = kFmin, f.cqt.n_bins = kBins;
  f.window_frames = f.window_hop_frames = kFrames;
  f.top_db = 80, f.norm_mean = -40, f.norm_std = 40;
  std::vector<float> weight(std::size_t(2 * kBins * kFrames), 0.0F);
  for (int r = kBandLo; r <= kBandHi; ++r)
    for (int c = 0; c < kFrames; ++c) weight[std::size_t(kBins * kFrames + r * kFrames + c)] = 0.01F;
  const json model{{"format", "cqtcnn-model"},
                   {"version", 1},
                   {"frontend", frontend_to_json(f)},
                   {"labels", {"other", "band"}},
                   {"input_shape", {1, kBins, kFrames}},
                   {"layers",
                    {{{"type", "flatten"}},
                     {{"type", "dense"},
                      {"in_features", kBins * kFrames},
                      {"out_features", 2},
                      {"weights", {{"weight", weight}, {"bias", {0.0F, 0.0F}}}}}}}};
  return cqtcnn::Classifier(cqtcnn::Model::parse(model.dump(), "band.json"));
}

// 3 s of a 100 Hz tone (bin 7, far below the band), with an equally loud A4 from 2.0 s to 2.5 s.
// Each window is in dB re its own maximum, so the band is loud only in the windows with the A4.
std::filesystem::path tone_file() {
  const auto path = t::temp_dir() / "explain_tone.wav";
  std::vector<float> y(3 * kRate);
  for (std::size_t i = 0; i < y.size(); ++i) {
    y[i] = float(0.3 * std::sin(2 * std::numbers::pi * 100.0 * double(i) / kRate));
    if (i >= 2 * kRate && i < 5 * kRate / 2)
      y[i] += float(0.3 * std::sin(2 * std::numbers::pi * kTone * double(i) / kRate));
  }
  EXPECT_TRUE(t::write_sndfile(path, SF_FORMAT_WAV | SF_FORMAT_FLOAT, kRate, 1, y));
  return path;
}

TEST(Explain, TheWindowWhereTheClassIsMostProbable) {
  const cqtcnn::Classifier c = band_classifier();
  const cqtcnn::Explanation e = cqtcnn::explain_file(c, tone_file(), {.target = 1});
  EXPECT_EQ(e.target, 1U);
  const cqtcnn::WindowResult& w = e.file.windows[e.window];
  for (const auto& other : e.file.windows) EXPECT_LE(other.probabilities[1], w.probabilities[1]);
  EXPECT_LT(w.start_s, 2.5);  // a window holding (most of) the tone
  EXPECT_GT(w.end_s, 2.0);
  EXPECT_EQ(e.bins, kBins);
  EXPECT_EQ(e.frames, kFrames);
  ASSERT_EQ(e.input.size(), std::size_t(kBins * kFrames));
  // dB as the front end made it: the window's maximum is 0 dB, its floor -80.
  EXPECT_NEAR(*std::max_element(e.db.begin(), e.db.end()), 0.0F, 1e-4F);
  EXPECT_NEAR(*std::min_element(e.db.begin(), e.db.end()), -80.0F, 1e-3F);
  EXPECT_FLOAT_EQ(e.baseline[0], c.frontend().config().pad_value());
}

TEST(Explain, SaliencyOfABandModelLiesInTheBand) {
  const cqtcnn::Classifier c = band_classifier();
  const cqtcnn::Explanation e = cqtcnn::explain_file(c, tone_file(), {.target = 1});
  const int reach = cqtcnn::OcclusionOptions{}.patch_rows - 1;
  double peak = 0;
  int peak_row = -1;
  for (int r = 0; r < kBins; ++r)
    for (int f = 0; f < kFrames; ++f) {
      const float v = e.saliency[std::size_t(r * kFrames + f)];
      if (r < kBandLo - reach || r > kBandHi + reach) {
        EXPECT_NEAR(v, 0.0F, 1e-6F) << "row " << r;
      }
      if (v > peak) peak = v, peak_row = r;
    }
  EXPECT_GT(peak, 0.01);
  EXPECT_GE(peak_row, kBandLo);
  EXPECT_LE(peak_row, kBandHi);

  // In the figure: the red (supporting) pixels lie in the band's rows (within a patch's reach),
  // and the reddest in the band itself.
  cqtcnn::SpectrogramFigure f = cqtcnn::explanation_figure(e, c, "explain_tone.wav", 2);
  const cqtcnn::Image img = cqtcnn::render_figure(f);
  const cqtcnn::FigureRect plot = cqtcnn::figure_layout(f).plot;
  const double bin_height = plot.height / kBins;
  int red = 0, reddest = 0, reddest_y = -1;
  for (int y = int(plot.y) + 1; y < int(plot.y + plot.height) - 1; ++y)
    for (int x = int(plot.x) + 1; x < int(plot.x + plot.width) - 1; ++x) {
      const std::uint8_t* p = &img.pixels[(std::size_t(y) * std::size_t(img.width) + std::size_t(x)) * 3];
      const int redness = int(p[0]) - std::max(int(p[1]), int(p[2]));
      if (redness < 60) continue;
      ++red;
      const double bin = (plot.y + plot.height - (y + 0.5)) / bin_height - 0.5;
      EXPECT_GE(bin, kBandLo - reach - 1) << "y " << y;
      EXPECT_LE(bin, kBandHi + reach + 1) << "y " << y;
      if (redness > reddest) reddest = redness, reddest_y = y;
    }
  EXPECT_GT(red, 100);
  const double reddest_bin = (plot.y + plot.height - (reddest_y + 0.5)) / bin_height - 0.5;
  EXPECT_GE(reddest_bin, kBandLo - 1);
  EXPECT_LE(reddest_bin, kBandHi + 1);
}

TEST(Explain, AtPicksTheWindowAroundATime) {
  const cqtcnn::Classifier c = band_classifier();
  const cqtcnn::Explanation e = cqtcnn::explain_file(c, tone_file(), {.at_s = 0.3});
  EXPECT_EQ(e.window, 0U);  // 0 - 0.512 s
  EXPECT_EQ(e.target, 0U);  // no tone there: "other" is the window's most probable class
  EXPECT_THROW(cqtcnn::explain_file(c, tone_file(), {.at_s = 3.5}), cqtcnn::InvalidInput);
  EXPECT_THROW(cqtcnn::explain_file(c, tone_file(), {.target = 2}), cqtcnn::InvalidInput);
}

}  // namespace
