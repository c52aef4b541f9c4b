// Occlusion saliency against a naive reference (each cell on its own: every patch position that
// covers it found by brute force, each occluded input run alone), and the saliency of a model
// that only sees one band lies in that band.
#include "classify/saliency.hpp"
#include "cqtcnn/error.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <random>

namespace {

using nlohmann::json;

json dense_layer(int in, int out, const std::vector<float>& weight, const std::vector<float>& bias) {
  return {
      {"type", "dense"}, {"in_features", in}, {"out_features", out}, {"weights", {{"weight", weight}, {"bias", bias}}}};
}

// conv2d 1->2 3x3 (padding 1), relu, max pool 2x2, flatten, dense -> 3 classes, on 1 x h x w.
cqtcnn::Model small_cnn(int h, int w, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> n(0.0F, 0.5F);
  std::vector<float> conv(18), dense(std::size_t(3 * 2 * (h / 2) * (w / 2)));
  for (float& v : conv) v = n(rng);
  for (float& v : dense) v = 0.3F * n(rng);
  const json model{{"format", "cqtcnn-model"},
                   {"version", 1},
                   {"labels", {"a", "b", "c"}},
                   {"input_shape", {1, h, w}},
                   {"layers",
                    {{{"type", "conv2d"},
                      {"in_channels", 1},
                      {"out_channels", 2},
                      {"kernel_size", 3},
                      {"padding", 1},
                      {"weights", {{"weight", conv}, {"bias", {0.1, -0.1}}}}},
                     {{"type", "relu"}},
                     {{"type", "max_pool2d"}, {"kernel_size", 2}},
                     {{"type", "flatten"}},
                     dense_layer(2 * (h / 2) * (w / 2), 3, dense, {0.2F, 0.0F, -0.2F})}}};
  return cqtcnn::Model::parse(model.dump(), "small.json");
}

float probability(const cqtcnn::Model& m, const std::vector<float>& x, std::size_t target) {
  cqtcnn::Tensor t(1, m.input_shape());
  std::copy(x.begin(), x.end(), t.data.begin());
  return m.run(t, cqtcnn::Output::probabilities).data[target];
}

// The definition, cell by cell: patches start at stride - patch + i * stride and are clipped to
// the input; a cell's saliency is the mean drop in p(target) over the patches that contain it.
std::vector<float> naive_saliency(const cqtcnn::Model& m, const std::vector<float>& x, std::size_t target,
                                  const std::vector<float>& baseline, const cqtcnn::OcclusionOptions& o) {
  const int h = int(m.input_shape().h), w = int(m.input_shape().w);
  const float reference = probability(m, x, target);
  std::vector<float> s(x.size());
  for (int r = 0; r < h; ++r)
    for (int c = 0; c < w; ++c) {
      double sum = 0;
      int count = 0;
      for (int pr = o.stride_rows - o.patch_rows; pr < h; pr += o.stride_rows)
        for (int pc = o.stride_cols - o.patch_cols; pc < w; pc += o.stride_cols) {
          if (r < pr || r >= pr + o.patch_rows || c < pc || c >= pc + o.patch_cols) continue;
          std::vector<float> occluded = x;
          for (int rr = 0; rr < h; ++rr)
            for (int cc = 0; cc < w; ++cc)
              if (rr >= pr && rr < pr + o.patch_rows && cc >= pc && cc < pc + o.patch_cols)
                occluded[std::size_t(rr * w + cc)] = baseline[std::size_t(rr)];
          sum += double(reference) - double(probability(m, occluded, target));
          ++count;
        }
      s[std::size_t(r * w + c)] = float(sum / count);
    }
  return s;
}

TEST(Saliency, PatchStarts) {
  EXPECT_EQ(cqtcnn::occlusion_starts(10, 4, 2), (std::vector<int>{-2, 0, 2, 4, 6, 8}));
  EXPECT_EQ(cqtcnn::occlusion_starts(5, 1, 1), (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_EQ(cqtcnn::occlusion_starts(7, 3, 3), (std::vector<int>{0, 3, 6}));
}

TEST(Saliency, MatchesTheNaiveReference) {
  // 12 x 20 with 3 x 4 patches every 2: 7 x 11 = 77 positions, more than one batch.
  for (unsigned seed : {1U, 2U}) {
    const cqtcnn::Model m = small_cnn(12, 20, seed);
    std::mt19937 rng(seed + 10);
    std::uniform_real_distribution<float> u(-1.0F, 1.0F);
    std::vector<float> x(12 * 20), baseline(12);
    for (float& v : x) v = u(rng);
    for (float& v : baseline) v = -1.0F + 0.05F * u(rng);
    const cqtcnn::OcclusionOptions o{
        .patch_rows = 3, .patch_cols = 4, .stride_rows = 2, .stride_cols = 2, .threads = 2};
    for (std::size_t target = 0; target < 3; ++target) {
      const std::vector<float> fast = cqtcnn::occlusion_saliency(m, x, target, baseline, o);
      const std::vector<float> naive = naive_saliency(m, x, target, baseline, o);
      ASSERT_EQ(fast.size(), naive.size());
      float largest = 0;
      for (std::size_t i = 0; i < fast.size(); ++i) {
        EXPECT_NEAR(fast[i], naive[i], 1e-6F) << "cell " << i << ", class " << target;
        largest = std::max(largest, std::fabs(naive[i]));
      }
      EXPECT_GT(largest, 1e-3F);  // the test is not comparing zeros
    }
  }
}

// flatten -> dense 2 classes, where class 1's logit sums the rows [lo, hi] only.
cqtcnn::Model band_model(int h, int w, int lo, int hi) {
  std::vector<float> weight(std::size_t(2 * h * w), 0.0F);
  for (int r = lo; r <= hi; ++r)
    for (int c = 0; c < w; ++c) weight[std::size_t(h * w + r * w + c)] = 0.02F;
  const json model{{"format", "cqtcnn-model"},
                   {"version", 1},
                   {"labels", {"other", "band"}},
                   {"input_shape", {1, h, w}},
                   {"layers", {{{"type", "flatten"}}, dense_layer(h * w, 2, weight, {0.0F, 0.0F})}}};
  return cqtcnn::Model::parse(model.dump(), "band.json");
}

TEST(Saliency, AModelThatSeesOneBandIsExplainedByThatBand) {
  const int h = 40, w = 24, lo = 18, hi = 21;
  const cqtcnn::Model m = band_model(h, w, lo, hi);
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> u(0.0F, 1.0F);
  std::vector<float> x(std::size_t(h * w));
  for (float& v : x) v = u(rng);  // everything "loud", the band no louder than the rest
  const std::vector<float> baseline(std::size_t(h), -1.0F);
  const cqtcnn::OcclusionOptions o;  // 8 x 8 patches, rows every 2
  const std::vector<float> s = cqtcnn::occlusion_saliency(m, x, 1, baseline, o);
  double inside = 0, total = 0;
  int peak_row = -1;
  float peak = 0;
  for (int r = 0; r < h; ++r)
    for (int c = 0; c < w; ++c) {
      const float v = s[std::size_t(r * w + c)];
      // Only a patch that overlaps the band changes the score: nothing beyond a patch's reach.
      if (r < lo - o.patch_rows + 1 || r > hi + o.patch_rows - 1) {
        EXPECT_NEAR(v, 0.0F, 1e-6F) << "row " << r;
      }
      EXPECT_GE(v, -1e-6F);
      total += v;
      if (r >= lo && r <= hi) inside += v;
      if (v > peak) peak = v, peak_row = r;
    }
  EXPECT_GE(peak_row, lo);
  EXPECT_LE(peak_row, hi);
  EXPECT_GT(inside / total, 0.3);  // 4 of the 18 rows within reach hold most per row
  // Every band row is more salient than every row outside it.
  const auto row_sum = [&](int r) {
    double sum = 0;
    for (int c = 0; c < w; ++c) sum += s[std::size_t(r * w + c)];
    return sum;
  };
  for (int r = 0; r < h; ++r)
    if (r < lo || r > hi) {
      EXPECT_LT(row_sum(r), row_sum(lo)) << "row " << r;
    }
}

TEST(Saliency, BadArgumentsAreRefused) {
  const cqtcnn::Model m = band_model(8, 8, 2, 3);
  const std::vector<float> x(64), baseline(8);
  EXPECT_THROW(cqtcnn::occlusion_saliency(m, std::vector<float>(63), 0, baseline), cqtcnn::InvalidInput);
  EXPECT_THROW(cqtcnn::occlusion_saliency(m, x, 2, baseline), cqtcnn::InvalidInput);
  EXPECT_THROW(cqtcnn::occlusion_saliency(m, x, 0, std::vector<float>(7)), cqtcnn::InvalidInput);
  EXPECT_THROW(cqtcnn::occlusion_saliency(m, x, 0, baseline, {.patch_rows = 0}), cqtcnn::InvalidInput);
}

}  // namespace
