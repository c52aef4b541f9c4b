// Every instruction set the kernels are compiled for (src/simd/isa.hpp), forced in turn with
// simd::select: each must match the naive references, and give bitwise the numbers of the
// scalar variant: convolutions (stride 1 and others, grouped, depthwise, with each epilogue,
// the fused pool with NaNs and signed zeros), the frame product against its definition, dense
// layers at several batch sizes, GRUs, the CQT, and the shipped models end to end. An
// instruction set this CPU lacks is reported as skipped. (tests/cli/isa.sh forces the variants
// through the environment variable CQTCNN_ISA instead.)
#include "cqtcnn/cqt.hpp"
#include "cqtcnn/model.hpp"
#include "nn/kernels/conv_ops.hpp"
#include "nn/kernels/gru_ops.hpp"
#include "nn/layers/kernel_geometry.hpp"
#include "simd/frame_product.hpp"
#include "simd/isa.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace {

namespace nn = cqtcnn::nn;
namespace simd = cqtcnn::simd;
using Outputs = std::vector<std::vector<float>>;

std::vector<float> random_values(std::size_t n, std::mt19937& rng) {
  std::uniform_real_distribution<float> d(-1, 1);
  std::vector<float> v(n);
  for (auto& x : v) x = d(rng);
  return v;
}

class Relu : public cqtcnn::ElementwiseLayer {
 public:
  std::string type() const override { return "relu"; }
  void apply(float* v, std::size_t n) const override {
    for (std::size_t i = 0; i < n; ++i) v[i] = v[i] > 0 ? v[i] : 0.0F;
  }
};
// An activation other than ReLU, which the kernels apply outside their registers.
class Affine : public cqtcnn::ElementwiseLayer {
 public:
  std::string type() const override { return "test_affine"; }
  void apply(float* v, std::size_t n) const override {
    for (std::size_t i = 0; i < n; ++i) v[i] = 2.0F * v[i] - 0.5F;
  }
};

// Convolutions on random geometries: each result is checked against conv2d_reference (+ ReLU)
// here and kept for the bitwise comparison between instruction sets.
void convolutions(Outputs& results) {
  std::mt19937 rng(5);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const Relu relu;
  cqtcnn::Workspace ws;
  for (int trial = 0; trial < 120; ++trial) {
    nn::ConvGeometry g;
    g.groups = pick(1, 2);
    const bool depthwise = trial % 5 == 0;
    g.in = {g.groups * pick(1, 5), pick(1, 24), pick(1, 40)};
    g.out.c = depthwise ? g.in.c : g.groups * pick(1, 13);
    if (depthwise) g.groups = g.in.c;
    g.kh = pick(1, 4), g.kw = pick(1, 4), g.dh = pick(1, 2), g.dw = pick(1, 2);
    g.sh = trial % 3 == 0 ? pick(1, 3) : 1, g.sw = trial % 3 == 0 ? pick(1, 3) : 1;
    g.pad_top = pick(0, 2), g.pad_left = pick(0, 2);
    g.out.h = nn::kernel_output_size(g.in.h, g.kh, g.sh, g.dh, g.pad_top, pick(0, 2), false);
    g.out.w = nn::kernel_output_size(g.in.w, g.kw, g.sw, g.dw, g.pad_left, pick(0, 2), false);
    if (g.out.h <= 0 || g.out.w <= 0) continue;
    const auto in = random_values(std::size_t(g.in.size()), rng);
    const auto w = random_values(std::size_t(g.out.c * g.in.c / g.groups * g.kh * g.kw), rng);
    const auto b = random_values(std::size_t(g.out.c), rng);
    const bool with_relu = trial % 2 == 1;
    std::vector<float> ref(std::size_t(g.out.size())), fast(ref.size());
    nn::conv2d_reference(g, in.data(), w.data(), b.data(), ref.data());
    if (with_relu) relu.apply(ref.data(), ref.size());
    nn::conv2d_fast(g, in.data(), {w.data(), nullptr, b.data()}, fast.data(), ws, {with_relu ? &relu : nullptr});
    for (std::size_t i = 0; i < ref.size(); ++i) ASSERT_NEAR(fast[i], ref[i], 1e-4) << "trial " << trial;
    results.push_back(fast);
  }
}

// Winograd's F(2x2, 3x3) geometries (conv_ops.hpp), grouped or not, with no activation, ReLU or
// another, and each fused pool: bitwise the same on every instruction set, though its lanes are
// blocks of outputs.
void winograd_convolutions(Outputs& results) {
  std::mt19937 rng(9);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const Relu relu;
  const Affine affine;
  cqtcnn::Workspace ws;
  for (int trial = 0; trial < 40; ++trial) {
    nn::ConvGeometry g;
    g.groups = trial % 4 == 3 ? 3 : 1;
    g.in = {g.groups * pick(8, 24), pick(1, 40), pick(1, 70)};
    g.out.c = g.groups * pick(8, 30);
    g.kh = g.kw = 3;
    g.pad_top = pick(0, 1), g.pad_left = pick(0, 1);
    g.out.h = nn::kernel_output_size(g.in.h, 3, 1, 1, g.pad_top, pick(0, 1), false);
    g.out.w = nn::kernel_output_size(g.in.w, 3, 1, 1, g.pad_left, pick(0, 1), false);
    if (g.out.h < 2 || g.out.w < 2) continue;
    const auto in = random_values(std::size_t(g.in.size()), rng);
    const auto w = random_values(std::size_t(g.out.c * g.in.c / g.groups * 9), rng);
    const auto b = random_values(std::size_t(g.out.c), rng);
    const nn::FusedPool pool = trial % 3 == 1 ? nn::FusedPool::pool_2x2
                               : trial % 3 == 2 ? nn::FusedPool::pool_2x1 : nn::FusedPool::none;
    ASSERT_TRUE(nn::winograd_applies(g));
    std::vector<float> fast(std::size_t(nn::pooled_shape(g.out, pool).size()));
    const cqtcnn::ElementwiseLayer* act = trial % 5 == 0 ? nullptr
                                          : trial % 5 == 4 ? static_cast<const cqtcnn::ElementwiseLayer*>(&affine)
                                                           : &relu;
    nn::conv2d_fast(g, in.data(), {w.data(), nullptr, b.data()}, fast.data(), ws, {act, pool});
    results.push_back(fast);
  }
}

// The tiled kernel with its fused 2x2 and 2x1 max pools (ReLU or not), on widths from a few outputs to
// several vectors of them: checked against the reference and its pool here, and bitwise across
// instruction sets. Every fourth trial puts NaNs and signed zeros into the input of a 1x1 layer,
// where the pool's order of comparison decides the result (std::max(NaN, x) is NaN, std::max(x,
// NaN) is x: every variant takes std::max's order); those are compared across instruction sets only.
void pooled_tiled_convolutions(Outputs& results) {
  std::mt19937 rng(11);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const Relu relu;
  cqtcnn::Workspace ws;
  for (int trial = 0; trial < 60; ++trial) {
    const bool special = trial % 4 == 3;  // 1x1 kernels there, so that a NaN stays where it was put
    nn::ConvGeometry g;
    g.in = {pick(1, 5), pick(2, 20), pick(2, 90)};
    g.out.c = pick(1, 13);
    g.kh = special ? 1 : pick(1, 3), g.kw = special ? 1 : pick(1, 3);
    g.pad_top = special ? 0 : pick(0, 1), g.pad_left = special ? 0 : pick(0, 1);
    g.out.h = nn::kernel_output_size(g.in.h, g.kh, 1, 1, g.pad_top, special ? 0 : pick(0, 1), false);
    g.out.w = nn::kernel_output_size(g.in.w, g.kw, 1, 1, g.pad_left, special ? 0 : pick(0, 1), false);
    if (g.out.h < 2 || g.out.w < 2 || !nn::tiled_conv_applies(g)) continue;
    auto in = random_values(std::size_t(g.in.size()), rng);
    if (special)
      for (auto& v : in) {
        const int k = pick(0, 9);
        v = k == 0 ? std::numeric_limits<float>::quiet_NaN() : k == 1 ? -0.0F : k == 2 ? 0.0F : v;
      }
    const auto w = random_values(std::size_t(g.out.c * g.in.c * g.kh * g.kw), rng);
    const bool with_relu = trial % 2 == 1 && !special;  // ReLU would turn the NaNs into zeros
    // 2x2 windows, or 2x1 (two rows, one column): the window's maximum as std::max takes it, row by row.
    const std::int64_t cols = trial % 3 == 2 ? 1 : 2;
    const std::int64_t ph = g.out.h / 2, pw = g.out.w / cols;
    std::vector<float> fast(std::size_t(g.out.c * ph * pw));
    nn::conv2d_fast(g, in.data(), {w.data(), nullptr, nullptr}, fast.data(), ws,
                    {with_relu ? &relu : nullptr, cols == 2 ? nn::FusedPool::pool_2x2 : nn::FusedPool::pool_2x1});
    if (!special) {
      std::vector<float> ref(std::size_t(g.out.size()));
      nn::conv2d_reference(g, in.data(), w.data(), nullptr, ref.data());
      if (with_relu) relu.apply(ref.data(), ref.size());
      for (std::int64_t c = 0; c < g.out.c; ++c)
        for (std::int64_t y = 0; y < ph; ++y)
          for (std::int64_t x = 0; x < pw; ++x) {
            const float* r0 = ref.data() + (c * g.out.h + 2 * y) * g.out.w + cols * x;
            const float* r1 = r0 + g.out.w;
            const float pooled = cols == 2 ? std::max(std::max(r0[0], r0[1]), std::max(r1[0], r1[1]))
                                           : std::max(r0[0], r1[0]);
            ASSERT_NEAR(fast[std::size_t((c * ph + y) * pw + x)], pooled, 1e-4) << "trial " << trial;
          }
    }
    results.push_back(fast);
  }
}

void dense_layers(Outputs& results) {
  std::mt19937 rng(6);
  cqtcnn::Workspace ws;
  for (std::int64_t n : {1, 3, 17})
    for (std::int64_t in_f : {1, 7, 96})
      for (std::int64_t out_f : {1, 10, 37}) {
        const auto x = random_values(std::size_t(n * in_f), rng);
        const auto w = random_values(std::size_t(out_f * in_f), rng);
        const auto b = random_values(std::size_t(out_f), rng);
        std::vector<float> ref(std::size_t(n * out_f)), fast(ref.size());
        nn::dense_reference(x.data(), n, in_f, w.data(), b.data(), out_f, ref.data());
        nn::dense_fast(x.data(), n, in_f, nn::pack_dense_weights(w.data(), in_f, out_f), b.data(), out_f, fast.data(),
                       ws);
        for (std::size_t i = 0; i < ref.size(); ++i) ASSERT_NEAR(fast[i], ref[i], 1e-5);
        results.push_back(fast);
      }
}

void grus(Outputs& results) {
  std::mt19937 rng(7);
  for (const nn::GruShape shape : {nn::GruShape{9, 16, 2, 2, false}, nn::GruShape{20, 33, 1, 1, true}}) {
    const std::int64_t steps = 23;
    std::vector<nn::GruCell> cells;
    for (std::int64_t l = 0; l < shape.layers * shape.directions; ++l) {
      const std::int64_t in = shape.layer_input(l / shape.directions), rows = 3 * shape.hidden;
      cells.push_back({random_values(std::size_t(rows * in), rng), random_values(std::size_t(rows * shape.hidden), rng),
                       random_values(std::size_t(rows), rng), random_values(std::size_t(rows), rng)});
    }
    const auto x = random_values(std::size_t(shape.input_size * steps), rng);
    const std::size_t outputs = std::size_t(shape.features() * (shape.last ? 1 : steps));
    std::vector<float> ref(outputs), fast(outputs);
    cqtcnn::Workspace ws;
    nn::gru_fast(shape, nn::pack_gru(shape, cells), x.data(), steps, fast.data(), ws);
    nn::gru_reference(shape, cells, x.data(), steps, ref.data());
    for (std::size_t i = 0; i < outputs; ++i) ASSERT_NEAR(fast[i], ref[i], 1e-5);
    results.push_back(fast);
  }
}

// The CQT at both layouts of the benchmarks (the Cqt is built under the instruction set tested:
// its filter banks' row stride follows the vector width).
void cqts(Outputs& results) {
  std::mt19937 rng(8);
  const auto x = random_values(22050 * 3, rng);
  for (const int bpo : {12, 24}) {
    cqtcnn::CqtParams p;
    p.bins_per_octave = bpo;
    p.n_bins = 7 * bpo;
    const cqtcnn::Spectrogram s = cqtcnn::Cqt(p).transform(x);
    std::vector<float> flat(2 * s.data.size());
    std::memcpy(flat.data(), s.data.data(), flat.size() * sizeof(float));
    results.push_back(flat);
  }
}

void models(Outputs& results) {
  std::mt19937 rng(9);
  for (const char* file : {"models/digits.json", "models/instruments.json"}) {
    const cqtcnn::Model m = cqtcnn::Model::load(std::string(CQTCNN_SOURCE_DIR) + "/" + file);
    cqtcnn::Tensor in(3, m.input_shape());
    in.data = random_values(in.data.size(), rng);
    results.push_back(m.run(in, cqtcnn::Output::probabilities).data);
  }
}

// The frame product (the CQT's filter banks, the dense layers) is its definition to the bit:
// each output the chain of std::fma over the taps in order, from zero; overlapping frames
// (hop < taps), a batch (hop = taps), frames that fill no whole tile, and many taps.
void frame_products(Outputs& results) {
  std::mt19937 rng(12);
  for (const int n_taps : {5, 256, 700})
    for (const std::size_t n_frames : {std::size_t(1), std::size_t(5), std::size_t(50)})
      for (const bool batch : {false, true}) {
        const int stride = 48;  // a multiple of every variant's vector; 3 AVX-512 vectors, 6 AVX2
        const std::ptrdiff_t hop = batch ? n_taps : 3;
        const auto x = random_values(std::size_t((std::ptrdiff_t(n_frames) - 1) * hop + n_taps), rng);
        const auto taps = random_values(std::size_t(n_taps) * stride, rng);
        std::vector<float> out(n_frames * stride, NAN);
        simd::frame_product({x.data(), hop, n_frames, taps.data(), n_taps, stride, out.data()});
        for (std::size_t t = 0; t < n_frames; ++t)
          for (int c = 0; c < stride; ++c) {
            float want = 0.0f;
            for (std::size_t n = 0; n < std::size_t(n_taps); ++n)
              want = std::fma(x[t * std::size_t(hop) + n], taps[n * stride + std::size_t(c)], want);
            ASSERT_EQ(std::memcmp(&want, &out[t * stride + std::size_t(c)], sizeof want), 0)
                << n_taps << " taps, " << n_frames << " frames, hop " << hop << ": frame " << t << ", column " << c;
          }
        results.push_back(out);
      }
}

Outputs compute_all() {
  Outputs results;
  frame_products(results);
  convolutions(results);
  winograd_convolutions(results);
  pooled_tiled_convolutions(results);
  dense_layers(results);
  grus(results);
  cqts(results);
  models(results);
  return results;
}

class EveryIsa : public testing::TestWithParam<simd::Isa> {
 protected:
  void TearDown() override { simd::select(widest()); }
  static simd::Isa widest() {
    for (const simd::Isa isa : {simd::Isa::avx512, simd::Isa::avx2})
      if (simd::supported(isa)) return isa;
    return simd::Isa::scalar;
  }
};

TEST_P(EveryIsa, MatchesReferencesAndScalarBitwise) {
  const simd::Isa isa = GetParam();
  if (!simd::supported(isa)) GTEST_SKIP() << simd::name(isa) << ": not supported by this CPU";
  simd::select(simd::Isa::scalar);
  const Outputs scalar = compute_all();
  if (HasFatalFailure()) return;
  simd::select(isa);
  ASSERT_EQ(simd::active(), isa);
  const Outputs ours = compute_all();
  if (HasFatalFailure()) return;
  ASSERT_EQ(ours.size(), scalar.size());
  for (std::size_t i = 0; i < ours.size(); ++i) {
    ASSERT_EQ(ours[i].size(), scalar[i].size()) << "result " << i;
    EXPECT_EQ(std::memcmp(ours[i].data(), scalar[i].data(), ours[i].size() * sizeof(float)), 0)
        << simd::name(isa) << ": result " << i << " differs from the scalar variant's";
  }
  std::printf("[ measured ] %s: %zu results bitwise equal to the scalar variant's\n", simd::name(isa), ours.size());
}

INSTANTIATE_TEST_SUITE_P(Simd, EveryIsa, testing::Values(simd::Isa::scalar, simd::Isa::avx2, simd::Isa::avx512),
                         [](const testing::TestParamInfo<simd::Isa>& param_info) { return std::string(simd::name(param_info.param)); });

TEST(Isa, UnsupportedSelectionThrows) {
  for (const simd::Isa isa : {simd::Isa::scalar, simd::Isa::avx2, simd::Isa::avx512}) {
    if (simd::supported(isa)) continue;
    EXPECT_THROW(simd::select(isa), cqtcnn::Error);
  }
  EXPECT_TRUE(simd::supported(simd::Isa::scalar));
}

}  // namespace
