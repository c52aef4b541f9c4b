// The dense filter bank product (see filter_bank.hpp) with a register-blocked micro-kernel: a
// tile of F frames x V vectors of outputs stays in registers while n runs over the taps; each
// step loads V vectors of one tap row and broadcasts one sample per frame. An own kernel rather
// than sgemm because the frames overlap (a Toeplitz view, lda = hop < N, which BLAS does not
// accept without an im2col copy) and because it fixes the summation order of every output.
#include "cqt/filter_bank.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>

#if defined(__AVX512F__) || (defined(__AVX2__) && defined(__FMA__))
#include <immintrin.h>
#endif

namespace cqtcnn::cqt {
namespace {

// One SIMD register of floats and the three operations the kernel needs; kAccumulators is how
// many of them a tile keeps (leaving registers for the tap row and the broadcast sample).
#if defined(__AVX512F__)
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
#elif defined(__AVX2__) && defined(__FMA__)
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

// All frames for one chunk of V vectors, in tiles of F = kAccumulators / V frames. The last,
// partial tile runs the same code on a zero-padded copy of its samples (a one-frame tile would
// be bound by the FMA latency), and only its real frames are kept.
template <int V>
void columns(const FilterBank& b, const float* x, std::ptrdiff_t hop, std::size_t n_frames, int col, float* out) {
  constexpr int F = kAccumulators / V;
  const float* taps = b.taps() + col;
  const auto stride = std::size_t(b.stride);
  std::size_t t = 0;
  for (; t + F <= n_frames; t += F)
    tile<V, F>(x + std::ptrdiff_t(t) * hop, hop, taps, b.n_taps, b.stride, out + t * stride + std::size_t(col));
  if (t == n_frames) return;
  const std::size_t rest = n_frames - t;
  std::vector<float> samples(std::size_t((F - 1) * hop + b.n_taps), 0.0f);
  std::vector<float> rows(std::size_t(F) * stride);
  std::copy_n(x + std::ptrdiff_t(t) * hop, std::ptrdiff_t(rest - 1) * hop + b.n_taps, samples.begin());
  tile<V, F>(samples.data(), hop, taps, b.n_taps, b.stride, rows.data() + col);
  for (std::size_t f = 0; f < rest; ++f)
    std::copy_n(rows.data() + f * stride + std::size_t(col), V * Vec::width, out + (t + f) * stride + std::size_t(col));
}

}  // namespace

std::size_t tile_frames() { return kAccumulators; }

FilterBank time_domain_filters(const SparseKernel& k, int n_fft) {
  FilterBank b;
  b.n_taps = n_fft;
  b.n_bins = k.n_rows;
  b.stride = (2 * k.n_rows + Vec::width - 1) / Vec::width * Vec::width;
  constexpr std::size_t line = 64 / sizeof(float);
  b.storage.assign(std::size_t(n_fft) * std::size_t(b.stride) + line, 0.0f);
  const auto address = reinterpret_cast<std::uintptr_t>(b.storage.data());
  b.offset = (line - address / sizeof(float) % line) % line;
  float* taps = b.storage.data() + b.offset;
  // h_k[n] = sum_f K[k, f] e^{-2 pi i f n / N}: the forward DFT of the zero-filled kernel row
  const Dft dft(n_fft);
  std::vector<std::complex<double>> row(static_cast<std::size_t>(n_fft));
  for (int r = 0; r < k.n_rows; ++r) {
    std::fill(row.begin(), row.end(), std::complex<double>());
    for (int e = k.row_start[std::size_t(r)]; e < k.row_start[std::size_t(r) + 1]; ++e)
      row[std::size_t(k.col[std::size_t(e)])] = std::complex<double>(k.value[std::size_t(e)]);
    dft(row);
    for (int n = 0; n < n_fft; ++n) {
      taps[std::size_t(n) * std::size_t(b.stride) + 2 * std::size_t(r)] = float(row[std::size_t(n)].real());
      taps[std::size_t(n) * std::size_t(b.stride) + 2 * std::size_t(r) + 1] = float(row[std::size_t(n)].imag());
    }
  }
  return b;
}

void apply_filter_bank(const FilterBank& b, const float* x, std::ptrdiff_t hop, std::size_t n_frames, float* out) {
  for (int col = 0; col < b.stride;) {
    const int vectors = std::min(kMaxVectors, (b.stride - col) / Vec::width);
    switch (vectors) {
      case 1: columns<1>(b, x, hop, n_frames, col, out); break;
      case 2: columns<2>(b, x, hop, n_frames, col, out); break;
      case 3: columns<3>(b, x, hop, n_frames, col, out); break;
      default: columns<4>(b, x, hop, n_frames, col, out); break;
    }
    col += vectors * Vec::width;
  }
}

}  // namespace cqtcnn::cqt
