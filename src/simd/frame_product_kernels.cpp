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

#include "simd/vec.hpp"

namespace cqtcnn::simd::CQTCNN_ISA {
CQTCNN_TARGET_BEGIN
namespace {

// How many registers of accumulators a tile keeps (leaving registers for the tap row and the
// broadcast sample).
#if defined(CQTCNN_ISA_AVX512)
constexpr int kAccumulators = 24;
#elif defined(CQTCNN_ISA_AVX2)
constexpr int kAccumulators = 12;
#else
constexpr int kAccumulators = 8;
#endif

constexpr int kMaxVectors = 4;  // widest column chunk a tile covers

// Frames x[f * hop ...] for f < F, output columns [0, V * width) of taps and out.
template <int V, int F>
void tile(const float* x, std::ptrdiff_t hop, const float* taps, int n_taps, int stride, float* out) {
  Vec acc[F][V];
  for (auto& row : acc)
    for (Vec& a : row) a = vset1(0.0f);
  for (int n = 0; n < n_taps; ++n) {
    Vec h[V];
    for (int v = 0; v < V; ++v) h[v] = vload(taps + std::ptrdiff_t(n) * stride + v * kLanes);
    for (int f = 0; f < F; ++f) {
      const Vec s = vset1(x[f * hop + n]);
      for (int v = 0; v < V; ++v) acc[f][v] = vfmadd(s, h[v], acc[f][v]);
    }
  }
  for (int f = 0; f < F; ++f)
    for (int v = 0; v < V; ++v) vstore(out + std::ptrdiff_t(f) * stride + v * kLanes, acc[f][v]);
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
    std::copy_n(rows.data() + f * stride + std::size_t(col), V * kLanes, out + (t + f) * stride);
}

void apply(const Operands& a) {
  for (int col = 0; col < a.stride;) {
    const int vectors = std::min(kMaxVectors, (a.stride - col) / kLanes);
    switch (vectors) {
      case 1: columns<1>(a, col); break;
      case 2: columns<2>(a, col); break;
      case 3: columns<3>(a, col); break;
      default: columns<4>(a, col); break;
    }
    col += vectors * kLanes;
  }
}

}  // namespace
CQTCNN_TARGET_END

const FrameProductKernels frame_product_kernels = {kLanes, std::size_t(kAccumulators), apply};

}  // namespace cqtcnn::simd::CQTCNN_ISA
