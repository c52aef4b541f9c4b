// The fast conv2d/dense against the naive references on random geometries: kernel sizes,
// strides, paddings (asymmetric), dilations and groups, including depthwise. These run on the
// active instruction set; tests/simd/isa_test.cpp runs them on every one the CPU has.
#include "nn/kernels/conv_ops.hpp"
#include "nn/layers/kernel_geometry.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <random>
#include <string>

namespace {

using cqtcnn::nn::ConvGeometry;

std::vector<float> random_values(std::size_t n, std::mt19937& rng) {
  std::uniform_real_distribution<float> d(-1, 1);
  std::vector<float> v(n);
  for (auto& x : v) x = d(rng);
  return v;
}

TEST(ConvFast, MatchesReferenceOnRandomGeometries) {
  std::mt19937 rng(42);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  cqtcnn::Workspace ws;
  int tested = 0;
  for (int trial = 0; trial < 300; ++trial) {
    ConvGeometry g;
    g.groups = pick(1, 3);
    const bool depthwise = pick(0, 4) == 0;
    g.in = {g.groups * pick(1, 3), pick(1, 12), pick(1, 12)};
    g.out.c = depthwise ? g.in.c : g.groups * pick(1, 3);
    if (depthwise) g.groups = g.in.c;
    g.kh = pick(1, 4), g.kw = pick(1, 4), g.sh = pick(1, 3), g.sw = pick(1, 3), g.dh = pick(1, 2), g.dw = pick(1, 2);
    g.pad_top = pick(0, 3), g.pad_left = pick(0, 3);
    const int pad_bottom = pick(0, 3), pad_right = pick(0, 3);
    g.out.h = cqtcnn::nn::kernel_output_size(g.in.h, g.kh, g.sh, g.dh, g.pad_top, pad_bottom, false);
    g.out.w = cqtcnn::nn::kernel_output_size(g.in.w, g.kw, g.sw, g.dw, g.pad_left, pad_right, false);
    if (g.out.h <= 0 || g.out.w <= 0) continue;
    const auto in = random_values(static_cast<std::size_t>(g.in.size()), rng);
    const auto w = random_values(static_cast<std::size_t>(g.out.c * g.in.c / g.groups * g.kh * g.kw), rng);
    const auto b = random_values(static_cast<std::size_t>(g.out.c), rng);
    std::vector<float> fast(static_cast<std::size_t>(g.out.size())), ref(fast.size());
    const bool bias = trial % 2 == 0;
    const auto packed = cqtcnn::nn::pack_tiled_weights(w.data(), g.out.c, g.in.c / g.groups, g.groups, g.kh * g.kw);
    cqtcnn::nn::conv2d_reference(g, in.data(), w.data(), bias ? b.data() : nullptr, ref.data());
    // Without packed weights (packed on the fly) and with them.
    for (const float* p : {static_cast<const float*>(nullptr), packed.data()}) {
      cqtcnn::nn::conv2d_fast(g, in.data(), {w.data(), p, bias ? b.data() : nullptr}, fast.data(), ws);
      for (std::size_t i = 0; i < ref.size(); ++i)
        ASSERT_NEAR(fast[i], ref[i], 1e-5) << "trial " << trial << " i " << i << (p ? " packed" : "");
    }
    ++tested;
  }
  EXPECT_GT(tested, 150);
}

// Activations for the epilogue tests: a ReLU (recognised by its type and fused into the
// kernel's registers) and an affine map standing for any other activation (applied per band).
class TestRelu : public cqtcnn::ElementwiseLayer {
 public:
  std::string type() const override { return "relu"; }
  void apply(float* v, std::size_t n) const override {
    for (std::size_t i = 0; i < n; ++i) v[i] = v[i] > 0 ? v[i] : 0.0F;
  }
};
class TestAffine : public cqtcnn::ElementwiseLayer {
 public:
  std::string type() const override { return "test_affine"; }
  void apply(float* v, std::size_t n) const override {
    for (std::size_t i = 0; i < n; ++i) v[i] = 2.0F * v[i] - 0.5F;
  }
};

using cqtcnn::nn::FusedPool;
constexpr FusedPool kPools[] = {FusedPool::none, FusedPool::pool_2x2, FusedPool::pool_2x1};

// conv2d_reference, then the activation, then a floor-mode max pool of 2x2 or 2x1 windows (stride
// the window) if asked, the window's maximum taken row by row with std::max.
std::vector<float> reference_with_epilogue(const ConvGeometry& g, const std::vector<float>& in,
                                           const std::vector<float>& w, const float* bias,
                                           const cqtcnn::ElementwiseLayer* act, FusedPool pool) {
  std::vector<float> y(static_cast<std::size_t>(g.out.size()));
  cqtcnn::nn::conv2d_reference(g, in.data(), w.data(), bias, y.data());
  if (act) act->apply(y.data(), y.size());
  if (pool == FusedPool::none) return y;
  const std::int64_t cols = pool == FusedPool::pool_2x2 ? 2 : 1;
  const std::int64_t oh = g.out.h / 2, ow = g.out.w / cols;
  std::vector<float> p(static_cast<std::size_t>(g.out.c * oh * ow));
  for (std::int64_t c = 0; c < g.out.c; ++c)
    for (std::int64_t oy = 0; oy < oh; ++oy)
      for (std::int64_t ox = 0; ox < ow; ++ox) {
        float m = y[static_cast<std::size_t>((c * g.out.h + 2 * oy) * g.out.w + cols * ox)];
        for (std::int64_t k = 1; k < 2 * cols; ++k)
          m = std::max(m, y[static_cast<std::size_t>((c * g.out.h + 2 * oy + k / cols) * g.out.w + cols * ox + k % cols)]);
        p[static_cast<std::size_t>((c * oh + oy) * ow + ox)] = m;
      }
  return p;
}

// The tiled kernel on stride-1 geometries (odd widths and heights, asymmetric padding, dilation,
// groups, channel counts that are not multiples of the tile, images spanning several row
// bands), with each epilogue: none, fused ReLU, another activation, and the fused 2x2 and 2x1 pools.
TEST(ConvTiled, MatchesReferenceWithActivationsAndPool) {
  std::mt19937 rng(11);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const TestRelu relu;
  const TestAffine affine;
  cqtcnn::Workspace ws;
  int tested = 0;
  for (int trial = 0; trial < 200; ++trial) {
    ConvGeometry g;
    g.groups = pick(1, 2);
    const bool large = trial < 6;  // several bands: rows x (width + padding) x channels above the band budget
    g.in = {g.groups * pick(1, 6), large ? pick(40, 70) : pick(1, 30), large ? pick(150, 260) : pick(1, 41)};
    g.out.c = g.groups * pick(2, 19);
    g.kh = pick(1, 5), g.kw = pick(1, 5), g.dh = pick(1, 2), g.dw = pick(1, 2);
    g.pad_top = pick(0, 2), g.pad_left = pick(0, 2);
    const int pad_bottom = pick(0, 2), pad_right = pick(0, 2);
    g.out.h = cqtcnn::nn::kernel_output_size(g.in.h, g.kh, 1, g.dh, g.pad_top, pad_bottom, false);
    g.out.w = cqtcnn::nn::kernel_output_size(g.in.w, g.kw, 1, g.dw, g.pad_left, pad_right, false);
    if (g.out.h <= 0 || g.out.w <= 0) continue;
    const auto in = random_values(static_cast<std::size_t>(g.in.size()), rng);
    const auto w = random_values(static_cast<std::size_t>(g.out.c * g.in.c / g.groups * g.kh * g.kw), rng);
    const auto b = random_values(static_cast<std::size_t>(g.out.c), rng);
    const auto packed = cqtcnn::nn::pack_tiled_weights(w.data(), g.out.c, g.in.c / g.groups, g.groups, g.kh * g.kw);
    const float* bias = trial % 3 == 0 ? nullptr : b.data();
    const cqtcnn::ElementwiseLayer* act = nullptr;
    if (trial % 4 == 3) act = &affine;
    else if (trial % 4 != 0) act = &relu;
    for (const FusedPool pool : kPools) {
      if (pool != FusedPool::none && (g.out.h < 2 || (pool == FusedPool::pool_2x2 && g.out.w < 2))) continue;
      const auto ref = reference_with_epilogue(g, in, w, bias, act, pool);
      std::vector<float> fast(ref.size());
      cqtcnn::nn::conv2d_fast(g, in.data(), {w.data(), packed.data(), bias}, fast.data(), ws, {act, pool});
      for (std::size_t i = 0; i < ref.size(); ++i)
        ASSERT_NEAR(fast[i], ref[i], 1e-4) << "trial " << trial << " i " << i << " pool " << int(pool);
    }
    ++tested;
  }
  EXPECT_GT(tested, 120);
}

// Winograd's F(2x2, 3x3) (3x3, stride 1, at least kWinogradMinChannels channels each way per
// group, one to three groups): odd and even sizes, images narrower than a vector of blocks and wider than a pass,
// asymmetric padding, each epilogue; weights transformed beforehand and on the fly. Its sums run
// in another order than the reference's, so the tolerance scales with the output's size.
TEST(ConvWinograd, MatchesReferenceWithActivationsAndPool) {
  std::mt19937 rng(13);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const TestRelu relu;
  const TestAffine affine;
  cqtcnn::Workspace ws;
  double worst = 0;
  int groups_seen = 0;
  for (int trial = 0; trial < 120; ++trial) {
    ConvGeometry g;
    const bool large = trial < 3;
    g.groups = trial % 5 == 4 ? pick(2, 3) : 1;
    g.in = {g.groups * (g.groups > 1 ? pick(8, 16) : pick(8, 40)), large ? pick(60, 90) : pick(1, 30),
            large ? pick(60, 130) : pick(1, 45)};
    g.out.c = g.groups * (g.groups > 1 ? pick(8, 16) : pick(8, 45));
    g.kh = g.kw = 3;
    g.pad_top = pick(0, 2), g.pad_left = pick(0, 2);
    const int pad_bottom = pick(0, 2), pad_right = pick(0, 2);
    g.out.h = cqtcnn::nn::kernel_output_size(g.in.h, 3, 1, 1, g.pad_top, pad_bottom, false);
    g.out.w = cqtcnn::nn::kernel_output_size(g.in.w, 3, 1, 1, g.pad_left, pad_right, false);
    if (g.out.h <= 0 || g.out.w <= 0) continue;
    ASSERT_TRUE(cqtcnn::nn::winograd_applies(g));
    const auto in = random_values(static_cast<std::size_t>(g.in.size()), rng);
    const auto w = random_values(static_cast<std::size_t>(g.out.c * g.in.c / g.groups * 9), rng);
    const auto b = random_values(static_cast<std::size_t>(g.out.c), rng);
    const auto transformed = cqtcnn::nn::pack_winograd_weights(w.data(), g.out.c, g.in.c, g.groups);
    ASSERT_EQ(transformed.size(), std::size_t(g.groups * cqtcnn::nn::winograd_group_weights(g.out.c / g.groups, g.in.c / g.groups)));
    groups_seen += g.groups > 1;
    const float* bias = trial % 3 == 0 ? nullptr : b.data();
    const cqtcnn::ElementwiseLayer* act = trial % 4 == 3 ? static_cast<const cqtcnn::ElementwiseLayer*>(&affine)
                                          : trial % 4 != 0 ? &relu : nullptr;
    for (const FusedPool pool : kPools) {
      if (pool != FusedPool::none && (g.out.h < 2 || (pool == FusedPool::pool_2x2 && g.out.w < 2))) continue;
      const auto ref = reference_with_epilogue(g, in, w, bias, act, pool);
      for (const float* t : {static_cast<const float*>(nullptr), transformed.data()}) {
        std::vector<float> fast(ref.size(), -7.0F);
        cqtcnn::nn::conv2d_fast(g, in.data(), {w.data(), nullptr, bias, t}, fast.data(), ws, {act, pool});
        for (std::size_t i = 0; i < ref.size(); ++i) {
          const double err = std::abs(double(fast[i]) - ref[i]) / std::max(1.0, std::abs(double(ref[i])));
          worst = std::max(worst, err);
          ASSERT_LE(err, 2e-5) << "trial " << trial << " i " << i << " pool " << int(pool) << " ref " << ref[i];
        }
      }
    }
  }
  EXPECT_GT(groups_seen, 15);
  std::cout << "[ measured ] Winograd against the reference: largest error " << worst << " (relative above 1)\n";
}

TEST(ConvWinograd, ServesOnlyItsGeometries) {
  ConvGeometry g;
  g.in = {8, 10, 10};
  g.out = {8, 8, 8};
  g.kh = g.kw = 3;
  EXPECT_TRUE(cqtcnn::nn::winograd_applies(g));
  for (auto change : {+[](ConvGeometry& x) { x.in.c = 7; }, +[](ConvGeometry& x) { x.out.c = 7; },
                      +[](ConvGeometry& x) { x.sh = 2; }, +[](ConvGeometry& x) { x.dw = 2; },
                      +[](ConvGeometry& x) { x.groups = 2; }, +[](ConvGeometry& x) { x.kw = 5; }}) {
    ConvGeometry other = g;
    change(other);
    EXPECT_FALSE(cqtcnn::nn::winograd_applies(other));
  }
  g.in.c = g.out.c = 24;  // three groups of 8 each way
  g.groups = 3;
  EXPECT_TRUE(cqtcnn::nn::winograd_applies(g));
  g.out.c = 21;  // 7 outputs per group
  EXPECT_FALSE(cqtcnn::nn::winograd_applies(g));
}

TEST(ConvFast, PointwiseShortcutMatchesReference) {
  std::mt19937 rng(7);
  ConvGeometry g;
  g.in = {6, 5, 7};
  g.out = {4, 5, 7};
  g.groups = 2;
  const auto in = random_values(static_cast<std::size_t>(g.in.size()), rng);
  const auto w = random_values(4 * 3, rng);
  std::vector<float> fast(static_cast<std::size_t>(g.out.size())), ref(fast.size());
  cqtcnn::Workspace ws;
  cqtcnn::nn::conv2d_fast(g, in.data(), {w.data()}, fast.data(), ws);
  cqtcnn::nn::conv2d_reference(g, in.data(), w.data(), nullptr, ref.data());
  for (std::size_t i = 0; i < ref.size(); ++i) EXPECT_NEAR(fast[i], ref[i], 1e-5);
}

TEST(DenseFast, MatchesReference) {
  std::mt19937 rng(3);
  for (std::int64_t n : {1, 2, 7, 30})
    for (std::int64_t in_f : {1, 5, 64})
      for (std::int64_t out_f : {1, 3, 10, 40}) {
        const auto x = random_values(static_cast<std::size_t>(n * in_f), rng);
        const auto w = random_values(static_cast<std::size_t>(out_f * in_f), rng);
        const auto b = random_values(static_cast<std::size_t>(out_f), rng);
        std::vector<float> fast(static_cast<std::size_t>(n * out_f)), ref(fast.size());
        cqtcnn::Workspace ws;
        cqtcnn::nn::dense_fast(x.data(), n, in_f, cqtcnn::nn::pack_dense_weights(w.data(), in_f, out_f), b.data(),
                               out_f, fast.data(), ws);
        cqtcnn::nn::dense_reference(x.data(), n, in_f, w.data(), b.data(), out_f, ref.data());
        for (std::size_t i = 0; i < ref.size(); ++i) EXPECT_NEAR(fast[i], ref[i], 1e-5);
      }
}

}  // namespace
