// The frame product (see frame_product.hpp) with a register-blocked micro-kernel: a tile of F
// frames x V vectors of outputs stays in registers while n runs over the taps; each step loads V
// vectors of one tap row and broadcasts one sample per frame. An own kernel rather than sgemm
// because the frames overlap (a Toeplitz view, lda = hop < N, which BLAS does not accept without
// an im2col copy) and because it fixes the summation order of every output. Compiled once per
// instruction set (simd/isa.hpp): each output is the same chain of fused multiply-adds over
// n = 0 .. N-1 in every variant.
#include "simd/frame_product.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "simd/target.hpp"

namespace cqtcnn::simd::CQTCNN_ISA {
CQTCNN_TARGET_BEGIN
namespace {

// One SIMD register of floats and the three operations the kernel needs; kAccumulators is how
// many of them a tile keeps (leaving registers for the tap row and the broadcast sample).
#if defined(CQTCNN_ISA_AVX512)
struct Vec {
  static constexpr int width = 16;
  __m512 v;
  static Vec zero() { return {_mm512_setzero_ps()}; }
  static Vec load(const float* p) { return {_mm512_loadu_ps(p)}; }
  static Vec broadcast(float x) { return {_mm512_set1_ps(x)}; }
  void fma(Vec a, Vec b) { v = _mm512_fmadd_ps(a.v, b.v, v); }
  void store(float* p) const { _mm512_storeu_ps(p, v); }
};
constexpr int kAccumulators = 24;
#elif defined(CQTCNN_ISA_AVX2)
struct Vec {
  static constexpr int width = 8;
  __m256 v;
  static Vec zero() { return {_mm256_setzero_ps()}; }
  static Vec load(const float* p) { return {_mm256_loadu_ps(p)}; }
  static Vec broadcast(float x) { return {_mm256_set1_ps(x)}; }
  void fma(Vec a, Vec b) { v = _mm256_fmadd_ps(a.v, b.v, v); }
  void store(float* p) const { _mm256_storeu_ps(p, v); }
};
constexpr int kAccumulators = 12;
#else
struct Vec {
  static constexpr int width = 1;
  float v;
  static Vec zero() { return {0.0f}; }
  static Vec load(const float* p) { return {*p}; }
  static Vec broadcast(float x) { return {x}; }
  void fma(Vec a, Vec b) { v = std::fma(a.v, b.v, v); }
  void store(float* p) const { *p = v; }
};
constexpr int kAccumulators = 8;
#endif

constexpr int kMaxVectors = 4;  // widest column chunk a tile covers

// Frames x[f * hop ...] for f < F, output columns [0, V * width) of taps and out.
template <int V, int F>
void tile(const float* x, std::ptrdiff_t hop, const float* taps, int n_taps, int stride, float* out) {
  Vec acc[F][V];
  for (auto& row : acc)
    for (Vec& a : row) a = Vec::zero();
  for (int n = 0; n < n_taps; ++n) {
    Vec h[V];
    for (int v = 0; v < V; ++v) h[v] = Vec::load(taps + std::ptrdiff_t(n) * stride + v * Vec::width);
    for (int f = 0; f < F; ++f) {
      const Vec s = Vec::broadcast(x[f * hop + n]);
      for (int v = 0; v < V; ++v) acc[f][v].fma(s, h[v]);
    }
  }
  for (int f = 0; f < F; ++f)
    for (int v = 0; v < V; ++v) acc[f][v].store(out + std::ptrdiff_t(f) * stride + v * Vec::width);
}

// All frames for one chunk of V vectors, in tiles of F = kAccumulators / V frames. The frames
// past the last whole tile run the same code on a zero-padded copy of their samples (a one-frame
// tile would be bound by the FMA latency), and only the real frames are kept; a call with fewer
// frames than a tile (a dense layer's small batch) runs one-frame tiles instead.
template <int V>
void columns(const Operands& a, int col) {
  constexpr int F = kAccumulators / V;
  const float* taps = a.taps + col;
  const auto stride = std::size_t(a.stride);
  float* out = a.out + col;
  if (a.n_frames < std::size_t(F)) {
    for (std::size_t t = 0; t < a.n_frames; ++t)
      tile<V, 1>(a.x + std::ptrdiff_t(t) * a.hop, a.hop, taps, a.n_taps, a.stride, out + t * stride);
    return;
  }
  std::size_t t = 0;
  for (; t + F <= a.n_frames; t += F)
    tile<V, F>(a.x + std::ptrdiff_t(t) * a.hop, a.hop, taps, a.n_taps, a.stride, out + t * stride);
  if (t == a.n_frames) return;
  const std::size_t rest = a.n_frames - t;
  std::vector<float> samples(std::size_t((F - 1) * a.hop + a.n_taps), 0.0f);
  std::vector<float> rows(std::size_t(F) * stride);
  std::copy_n(a.x + std::ptrdiff_t(t) * a.hop, std::ptrdiff_t(rest - 1) * a.hop + a.n_taps, samples.begin());
  tile<V, F>(samples.data(), a.hop, taps, a.n_taps, a.stride, rows.data() + col);
  for (std::size_t f = 0; f < rest; ++f)
    std::copy_n(rows.data() + f * stride + std::size_t(col), V * Vec::width, out + (t + f) * stride);
}

void apply(const Operands& a) {
  for (int col = 0; col < a.stride;) {
    const int vectors = std::min(kMaxVectors, (a.stride - col) / Vec::width);
    switch (vectors) {
      case 1: columns<1>(a, col); break;
      case 2: columns<2>(a, col); break;
      case 3: columns<3>(a, col); break;
      default: columns<4>(a, col); break;
    }
    col += vectors * Vec::width;
  }
}

}  // namespace
CQTCNN_TARGET_END

const FrameProductKernels frame_product_kernels = {Vec::width, std::size_t(kAccumulators), apply};

}  // namespace cqtcnn::simd::CQTCNN_ISA
