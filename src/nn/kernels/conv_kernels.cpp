// Direct stride-1 convolution with a register-blocked micro-kernel, the fast path for
// ordinary KxK layers (the im2col copy and sgemm's per-call packing cost more than the
// arithmetic on these small images). The scheme is that of Georganas et al. 2018, "Anatomy of
// high-performance deep learning convolutions on SIMD architectures", kept in NCHW:
//
//  * the input is copied once per call into a zero-padded buffer [c][ph][pw], so no tap ever
//    needs a bounds check;
//  * outputs are computed on the padded grid: output q = oy*pw + ox reads input q + ky*dh*pw +
//    kx*dw for every tap, so the pixels of a tile are consecutive floats even across rows. The
//    columns ox >= out.w of that grid are wasted work ((kw-1)*dw per row) and are dropped when the
//    tile buffer is copied out;
//  * a tile is kTileChannels output channels x kTilePixels pixels held in accumulators (AVX2:
//    4 x 3 ymm; AVX-512: 8 x 3 zmm); for every input channel and tap it loads 3 input vectors and
//    broadcasts the tile's weights, which the packing (pack_tiled_weights) has put next to each
//    other in blocks of kTiledBlock channels;
//  * bias starts the accumulators and ReLU is applied before the store; the tiles of a band of
//    rows go to a small buffer that is copied to the output (and max-pooled, see ConvEpilogue)
//    while it is in cache.
//
// Compiled once per instruction set (simd/isa.hpp); every output is bias + the chain of fused
// multiply-adds over (input channel, tap) in that order in every variant, so all give the same
// numbers. Also here: the direct per-channel loop for depthwise layers, with the same property.
#include "nn/kernels/conv_ops.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "simd/vec.hpp"

namespace cqtcnn::nn::CQTCNN_ISA {
CQTCNN_TARGET_BEGIN
namespace {

// The tile's output channels: with AVX-512's 32 registers a tile is 8 channels x 3 zmm (24
// accumulators), with AVX2's 16 it is 4 channels x 3 ymm (12), run twice per packed block of 8.
using simd::CQTCNN_ISA::kLanes;
using simd::CQTCNN_ISA::Vec;
using simd::CQTCNN_ISA::vfmadd;
using simd::CQTCNN_ISA::vload;
using simd::CQTCNN_ISA::vmax;
using simd::CQTCNN_ISA::vpair_max;
using simd::CQTCNN_ISA::vset1;
using simd::CQTCNN_ISA::vstore;
using simd::CQTCNN_ISA::vadd;
using simd::CQTCNN_ISA::vdeinterleave;
using simd::CQTCNN_ISA::vinterleave;
using simd::CQTCNN_ISA::vsub;
#if defined(CQTCNN_ISA_AVX512)
constexpr std::int64_t kTileChannels = 8;
#else
constexpr std::int64_t kTileChannels = 4;
#endif
static_assert(kTiledBlock % kTileChannels == 0);

constexpr int kVectors = 3;  // vectors of pixels per tile
constexpr std::int64_t kTilePixels = kLanes * kVectors;
constexpr int kRows = static_cast<int>(kTileChannels);

// Copies one channel's band of rows [oy0, oy0 + rows) out of the padded grid (row stride pw) into
// `out`, applying an activation other than ReLU (which the kernel applied) and the pool.
void store_band(const ConvEpilogue& e, bool relu_done, float* band, std::int64_t pw, std::int64_t oy0,
                std::int64_t rows, Shape conv_out, std::int64_t oc, float* out) {
  if (e.activation && !relu_done) e.activation->apply(band, static_cast<std::size_t>(rows * pw));
  if (e.pool == FusedPool::none) {
    float* dst = out + (oc * conv_out.h + oy0) * conv_out.w;
    for (std::int64_t r = 0; r < rows; ++r) std::memcpy(dst + r * conv_out.w, band + r * pw, static_cast<std::size_t>(conv_out.w) * sizeof(float));
    return;
  }
  if (e.pool == FusedPool::pool_2x1) {
    const std::int64_t oh = conv_out.h / 2, ow = conv_out.w;
    for (std::int64_t r = 0; r + 1 < rows && (oy0 + r) / 2 < oh; r += 2) {
      const float* r0 = band + r * pw;
      const float* r1 = r0 + pw;
      float* dst = out + (oc * oh + (oy0 + r) / 2) * ow;
      std::int64_t x = 0;  // dst[x] = std::max(r0[x], r1[x]), which vmax(b, a) is
      for (; x + kLanes <= ow; x += kLanes) vstore(dst + x, vmax(vload(r1 + x), vload(r0 + x)));
      for (; x < ow; ++x) dst[x] = std::max(r0[x], r1[x]);
    }
    return;
  }
  const std::int64_t oh = conv_out.h / 2, ow = conv_out.w / 2;
  for (std::int64_t r = 0; r + 1 < rows && (oy0 + r) / 2 < oh; r += 2) {
    const float* r0 = band + r * pw;
    const float* r1 = r0 + pw;
    float* dst = out + (oc * oh + (oy0 + r) / 2) * ow;
    // dst[x] = std::max(std::max(r0[2x], r0[2x+1]), std::max(r1[2x], r1[2x+1])), kLanes at a time
    // (vpair_max and vmax(b, a) take std::max's order), the rest one by one.
    std::int64_t x = 0;
    for (; x + kLanes <= ow; x += kLanes) {
      const Vec top = vpair_max(vload(r0 + 2 * x), vload(r0 + 2 * x + kLanes));
      const Vec bottom = vpair_max(vload(r1 + 2 * x), vload(r1 + 2 * x + kLanes));
      vstore(dst + x, vmax(bottom, top));
    }
    for (; x < ow; ++x) dst[x] = std::max(std::max(r0[2 * x], r0[2 * x + 1]), std::max(r1[2 * x], r1[2 * x + 1]));
  }
}

// One tile: dst[m][0..kTilePixels) = act(bias[m] + sum_{ic, t} w[ic][t][m] * src[ic*plane + offsets[t] + p]),
// the weights of (ic, t) kTiledBlock floats apart.
void tile_kernel(const float* src, std::int64_t plane, std::int64_t channels, const std::int64_t* offsets,
                 std::int64_t taps, const float* w, const float* bias, bool relu, float* dst, std::int64_t stride) {
  Vec acc[kRows][kVectors];
  for (int m = 0; m < kRows; ++m)
    for (int n = 0; n < kVectors; ++n) acc[m][n] = vset1(bias[m]);
  for (std::int64_t ic = 0; ic < channels; ++ic, src += plane)
    for (std::int64_t t = 0; t < taps; ++t, w += kTiledBlock) {
      const float* s = src + offsets[t];
      Vec x[kVectors];
      for (int n = 0; n < kVectors; ++n) x[n] = vload(s + kLanes * n);
      for (int m = 0; m < kRows; ++m) {
        const Vec wm = vset1(w[m]);
        for (int n = 0; n < kVectors; ++n) acc[m][n] = vfmadd(wm, x[n], acc[m][n]);
      }
    }
  const Vec zero = vset1(0.0F);
  for (int m = 0; m < kRows; ++m)
    for (int n = 0; n < kVectors; ++n) vstore(dst + m * stride + kLanes * n, relu ? vmax(acc[m][n], zero) : acc[m][n]);
}

// tile_kernel for one tap and no bias, as Winograd's products need: dst[m][0..kTilePixels) =
// sum_ic w[ic][m] * src[ic*plane + p], the chain of fused multiply-adds from zero in ic order.
void product_kernel(const float* src, std::int64_t plane, std::int64_t channels, const float* w, float* dst,
                    std::int64_t stride) {
  Vec acc[kRows][kVectors];
  for (int m = 0; m < kRows; ++m)
    for (int n = 0; n < kVectors; ++n) acc[m][n] = vset1(0.0F);
  for (std::int64_t ic = 0; ic < channels; ++ic, src += plane, w += kTiledBlock) {
    Vec x[kVectors];
    for (int n = 0; n < kVectors; ++n) x[n] = vload(src + kLanes * n);
    for (int m = 0; m < kRows; ++m) {
      const Vec wm = vset1(w[m]);
      for (int n = 0; n < kVectors; ++n) acc[m][n] = vfmadd(wm, x[n], acc[m][n]);
    }
  }
  for (int m = 0; m < kRows; ++m)
    for (int n = 0; n < kVectors; ++n) vstore(dst + m * stride + kLanes * n, acc[m][n]);
}

// Copies the input into the zero-padded buffer the kernel reads: [c][ph][pw] plus `slack` zeros.
void pad_input(const ConvGeometry& g, const float* in, std::int64_t ph, std::int64_t pw, std::int64_t slack,
               float* padded) {
  for (std::int64_t c = 0; c < g.in.c; ++c)
    for (std::int64_t y = 0; y < ph; ++y) {
      float* dst = padded + (c * ph + y) * pw;
      const std::int64_t iy = y - g.pad_top;
      const std::int64_t lo = std::clamp<std::int64_t>(g.pad_left, 0, pw);
      const std::int64_t hi = std::clamp<std::int64_t>(g.pad_left + g.in.w, lo, pw);
      if (iy < 0 || iy >= g.in.h || hi == lo) {
        std::fill(dst, dst + pw, 0.0F);
        continue;
      }
      std::fill(dst, dst + lo, 0.0F);
      std::memcpy(dst + lo, in + (c * g.in.h + iy) * g.in.w + (lo - g.pad_left),
                  static_cast<std::size_t>(hi - lo) * sizeof(float));
      std::fill(dst + hi, dst + pw, 0.0F);
    }
  std::fill(padded + g.in.c * ph * pw, padded + g.in.c * ph * pw + slack, 0.0F);
}

void conv2d_tiled(const ConvGeometry& g, const float* in, const float* packed, const float* bias, float* out,
                  Workspace& ws, const ConvEpilogue& epilogue) {
  const std::int64_t cin_g = g.in.c / g.groups, cout_g = g.out.c / g.groups;
  const std::int64_t blocks = (cout_g + kTiledBlock - 1) / kTiledBlock, taps = g.kh * g.kw;
  const std::int64_t pw = g.out.w + (g.kw - 1) * g.dw, ph = g.out.h + (g.kh - 1) * g.dh, plane = ph * pw;
  std::vector<std::int64_t> offsets;  // small; reserved once per call
  offsets.reserve(static_cast<std::size_t>(taps));
  for (std::int64_t ky = 0; ky < g.kh; ++ky)
    for (std::int64_t kx = 0; kx < g.kw; ++kx) offsets.push_back(ky * g.dh * pw + kx * g.dw);
  // A band of output rows at a time, so that its tile buffer (all output channels) stays in L2.
  // Bands hold an even number of rows so that a fused 2x2 pool never straddles two bands.
  const std::int64_t rows_per_band =
      std::max<std::int64_t>(2, 65536 / (g.groups * blocks * kTiledBlock * pw)) & ~std::int64_t{1};
  const std::int64_t band_pixels = (rows_per_band * pw + kTilePixels - 1) / kTilePixels * kTilePixels;
  const std::int64_t slack = kTilePixels + (g.kw - 1) * g.dw;  // read overrun of the last tile
  const std::int64_t padded_size = g.in.c * plane + slack;
  const std::int64_t buffer_rows = g.groups * blocks * kTiledBlock;
  float* padded = ws.get(static_cast<std::size_t>(padded_size + buffer_rows * band_pixels));
  float* buffer = padded + padded_size;
  pad_input(g, in, ph, pw, slack, padded);

  const bool relu = epilogue.activation && epilogue.activation->type() == "relu";
  for (std::int64_t oy0 = 0; oy0 < g.out.h; oy0 += rows_per_band) {
    const std::int64_t rows = std::min(rows_per_band, g.out.h - oy0);
    const std::int64_t q0 = oy0 * pw, q1 = q0 + rows * pw;
    for (std::int64_t group = 0; group < g.groups; ++group)
      for (std::int64_t block = 0; block < blocks; ++block)
        for (std::int64_t part = 0; part < kTiledBlock; part += kTileChannels) {
          const std::int64_t oc0 = block * kTiledBlock + part;
          if (oc0 >= cout_g) break;
          float b[kTileChannels] = {};
          if (bias)
            for (std::int64_t m = 0; m < kTileChannels && oc0 + m < cout_g; ++m) b[m] = bias[group * cout_g + oc0 + m];
          const float* w = packed + (group * blocks + block) * cin_g * taps * kTiledBlock + part;
          float* dst = buffer + (group * blocks * kTiledBlock + oc0) * band_pixels;
          for (std::int64_t q = q0; q < q1; q += kTilePixels, dst += kTilePixels)
            tile_kernel(padded + group * cin_g * plane + q, plane, cin_g, offsets.data(), taps, w, b, relu, dst,
                        band_pixels);
        }
    // Copy the band out of the padded grid (dropping its extra columns), pooling if asked.
    for (std::int64_t oc = 0; oc < g.out.c; ++oc) {
      const std::int64_t row = (oc / cout_g) * blocks * kTiledBlock + oc % cout_g;
      store_band(epilogue, relu, buffer + row * band_pixels, pw, oy0, rows, g.out, oc, out);
    }
  }
}

// Direct convolution for stride 1 and one output channel per group (a depthwise layer), where
// the tiled kernel would leave most of a tile empty: the input is padded once, then each tap
// adds weight * shifted row to the output row, which vectorises. Each output is the chain of
// fused multiply-adds over (input channel, tap) from zero, then + bias.
void conv2d_direct(const ConvGeometry& g, const float* in, const float* weight, const float* bias, float* out,
                   Workspace& ws) {
  const std::int64_t cin_g = g.in.c / g.groups, cout_g = g.out.c / g.groups;
  const std::int64_t ph = (g.out.h - 1) + g.dh * (g.kh - 1) + 1, pw = (g.out.w - 1) + g.dw * (g.kw - 1) + 1;
  float* padded = ws.get(static_cast<std::size_t>(g.in.c * ph * pw));
  for (std::int64_t c = 0; c < g.in.c; ++c)
    for (std::int64_t y = 0; y < ph; ++y) {
      float* dst = padded + (c * ph + y) * pw;
      const std::int64_t iy = y - g.pad_top;
      for (std::int64_t x = 0; x < pw; ++x) {
        const std::int64_t ix = x - g.pad_left;
        dst[x] = iy >= 0 && iy < g.in.h && ix >= 0 && ix < g.in.w ? in[(c * g.in.h + iy) * g.in.w + ix] : 0.0F;
      }
    }
  for (std::int64_t oc = 0; oc < g.out.c; ++oc) {
    float* plane = out + oc * g.out.h * g.out.w;
    std::fill(plane, plane + g.out.h * g.out.w, 0.0F);
    const std::int64_t group = oc / cout_g;
    for (std::int64_t ic = 0; ic < cin_g; ++ic) {
      const float* src = padded + (group * cin_g + ic) * ph * pw;
      const float* w = weight + (oc * cin_g + ic) * g.kh * g.kw;
      for (std::int64_t oy = 0; oy < g.out.h; ++oy) {
        float* row = plane + oy * g.out.w;
        for (std::int64_t ky = 0; ky < g.kh; ++ky)
          for (std::int64_t kx = 0; kx < g.kw; ++kx) {
            const float wv = w[ky * g.kw + kx];
            const float* s = src + (oy + ky * g.dh) * pw + kx * g.dw;
            for (std::int64_t ox = 0; ox < g.out.w; ++ox) row[ox] = std::fma(wv, s[ox], row[ox]);
          }
      }
    }
    if (bias)
      for (std::int64_t p = 0; p < g.out.h * g.out.w; ++p) plane[p] += bias[oc];
  }
}

// Winograd F(2x2, 3x3) (conv_ops.hpp). Output block (ty, tx) covers outputs 2ty..2ty+1 x
// 2tx..2tx+1 and reads the padded input's rows 2ty..2ty+3 and columns 2tx..2tx+3. The padded rows
// are kept split into even and odd columns (E[i] = column 2i, O[i] = column 2i + 1), so that the
// four columns of kLanes neighbouring blocks are four plain vector loads: E[tx], O[tx], E[tx+1],
// O[tx+1]. Blocks are numbered row by row, densely (block row r starts at column r * TW of the
// transformed arrays), and a few block rows at a time are transformed, multiplied and transformed
// back while their arrays stay in cache:
//   V[p][c][j] = (B^T d B)[p] for input channel c and block j,
//   M[p][k][j] = sum_c U[p][k][c] V[p][c][j]   (product_kernel: a 1x1 layer of C inputs per position p),
//   Y = A^T M A + bias, then the activation, then the fused pool (2x2 or 2x1) or the store.
// Every lane does the same operations in the same order in every instruction set.
void conv2d_winograd(const ConvGeometry& g, const float* in, const float* transformed, const float* bias, float* out,
                     Workspace& ws, const ConvEpilogue& epilogue) {
  const std::int64_t C = g.in.c, K = g.out.c, OH = g.out.h, OW = g.out.w;
  const std::int64_t TH = (OH + 1) / 2, TW = (OW + 1) / 2;
  const std::int64_t blocks = (K + kTiledBlock - 1) / kTiledBlock, Kp = blocks * kTiledBlock;
  // Split padded rows: PH rows of 2 * RL columns, read up to index TW + kLanes - 1.
  const std::int64_t PH = 2 * TH + 2, RL = TW + kLanes;
  // Block rows per pass: up to about 96 blocks, so that V and M stay in L2, and as many as leave
  // the fewest columns multiplied in all (a pass rounds its blocks up to whole tiles; 16 blocks a
  // row in passes of 4 rows multiplied 14% more columns than passes of 3 or 6).
  std::int64_t R = 1, least = -1;
  for (std::int64_t r = 1; r <= std::clamp<std::int64_t>((96 + TW - 1) / TW, 1, TH); ++r) {
    const auto tiles = [&](std::int64_t rows) { return (rows * TW + kTilePixels - 1) / kTilePixels; };
    const std::int64_t total = TH / r * tiles(r) + tiles(TH % r);
    if (least < 0 || total <= least) R = r, least = total;
  }
  const std::int64_t NTc = (R * TW + kTilePixels - 1) / kTilePixels * kTilePixels;  // columns multiplied
  const std::int64_t NS = NTc + kLanes;  // row stride of V and M: room for the last vector's spill
  const std::size_t split_size = std::size_t(C * PH * 2 * RL), v_size = std::size_t(16 * C * NS),
                    m_size = std::size_t(16 * Kp * NS);
  float* split = ws.get(split_size + v_size + m_size + std::size_t(4 * kLanes + 2 * RL));
  float* V = split + split_size;
  float* M = V + v_size;
  float* lanes = M + m_size;  // one block row's 2x2 outputs (or their pool) for kLanes blocks
  float* padded_row = lanes + 4 * kLanes;
  // Columns past a pass's blocks hold stale values; they only reach lanes that are dropped.

  for (std::int64_t c = 0; c < C; ++c)
    for (std::int64_t y = 0; y < PH; ++y) {
      float* even = split + (c * PH + y) * 2 * RL;
      float* odd = even + RL;
      const std::int64_t iy = y - g.pad_top;
      std::fill(padded_row, padded_row + 2 * RL, 0.0F);
      const std::int64_t n = std::clamp<std::int64_t>(2 * RL - g.pad_left, 0, g.in.w);  // columns that land in it
      if (iy >= 0 && iy < g.in.h && n > 0) std::copy_n(in + (c * g.in.h + iy) * g.in.w, n, padded_row + g.pad_left);
      std::int64_t i = 0;
      for (; i + kLanes <= RL; i += kLanes) {
        Vec e, o;
        vdeinterleave(vload(padded_row + 2 * i), vload(padded_row + 2 * i + kLanes), e, o);
        vstore(even + i, e);
        vstore(odd + i, o);
      }
      for (; i < RL; ++i) {
        even[i] = padded_row[2 * i];
        odd[i] = padded_row[2 * i + 1];
      }
    }

  const bool relu = epilogue.activation && epilogue.activation->type() == "relu";
  const Vec zero = vset1(0.0F);
  for (std::int64_t ty0 = 0; ty0 < TH; ty0 += R) {
    const std::int64_t rows = std::min(R, TH - ty0), nt = rows * TW;
    const std::int64_t cols = (nt + kTilePixels - 1) / kTilePixels * kTilePixels;
    // V = B^T d B, B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]
    for (std::int64_t c = 0; c < C; ++c)
      for (std::int64_t r = 0; r < rows; ++r) {
        const float* base = split + (c * PH + 2 * (ty0 + r)) * 2 * RL;
        for (std::int64_t x = 0; x < TW; x += kLanes) {
          Vec d[4][4];
          for (int i = 0; i < 4; ++i) {
            const float* even = base + i * 2 * RL + x;
            const float* odd = even + RL;
            d[i][0] = vload(even);
            d[i][1] = vload(odd);
            d[i][2] = vload(even + 1);
            d[i][3] = vload(odd + 1);
          }
          Vec t[4][4];
          for (int j = 0; j < 4; ++j) {
            t[0][j] = vsub(d[0][j], d[2][j]);
            t[1][j] = vadd(d[1][j], d[2][j]);
            t[2][j] = vsub(d[2][j], d[1][j]);
            t[3][j] = vsub(d[1][j], d[3][j]);
          }
          float* v = V + c * NS + r * TW + x;
          for (int i = 0; i < 4; ++i) {
            vstore(v + ((i * 4 + 0) * C) * NS, vsub(t[i][0], t[i][2]));
            vstore(v + ((i * 4 + 1) * C) * NS, vadd(t[i][1], t[i][2]));
            vstore(v + ((i * 4 + 2) * C) * NS, vsub(t[i][2], t[i][1]));
            vstore(v + ((i * 4 + 3) * C) * NS, vsub(t[i][1], t[i][3]));
          }
        }
      }
    // M[p] = U[p] V[p], one 1x1 layer per position
    for (std::int64_t p = 0; p < 16; ++p)
      for (std::int64_t block = 0; block < blocks; ++block)
        for (std::int64_t part = 0; part < kTiledBlock; part += kTileChannels) {
          const std::int64_t oc0 = block * kTiledBlock + part;
          if (oc0 >= K) break;
          const float* w = transformed + (p * blocks + block) * C * kTiledBlock + part;
          for (std::int64_t q = 0; q < cols; q += kTilePixels)
            product_kernel(V + p * C * NS + q, NS, C, w, M + (p * Kp + oc0) * NS + q, NS);
        }
    // Y = A^T M A + bias, A^T = [1 1 1 0; 0 1 -1 -1]; then the activation and the pool or the store
    for (std::int64_t k = 0; k < K; ++k) {
      const Vec b = vset1(bias ? bias[k] : 0.0F);
      for (std::int64_t r = 0; r < rows; ++r) {
        const std::int64_t ty = ty0 + r;
        for (std::int64_t x = 0; x < TW; x += kLanes) {
          const float* m = M + k * NS + r * TW + x;
          Vec s[2][4];
          for (int j = 0; j < 4; ++j) {
            const Vec m0 = vload(m + (0 * 4 + j) * Kp * NS), m1 = vload(m + (1 * 4 + j) * Kp * NS);
            const Vec m2 = vload(m + (2 * 4 + j) * Kp * NS), m3 = vload(m + (3 * 4 + j) * Kp * NS);
            s[0][j] = vadd(vadd(m0, m1), m2);
            s[1][j] = vsub(vsub(m1, m2), m3);
          }
          Vec y[2][2];
          for (int i = 0; i < 2; ++i) {
            y[i][0] = vadd(vadd(vadd(s[i][0], s[i][1]), s[i][2]), b);
            y[i][1] = vadd(vsub(vsub(s[i][1], s[i][2]), s[i][3]), b);
          }
          // The activation: ReLU in registers, any other through the lanes buffer.
          if (relu) {
            for (auto& row : y)
              for (auto& v : row) v = vmax(v, zero);
          } else if (epilogue.activation) {
            for (int i = 0; i < 4; ++i) vstore(lanes + i * kLanes, y[i / 2][i % 2]);
            epilogue.activation->apply(lanes, std::size_t(4 * kLanes));
            for (int i = 0; i < 4; ++i) y[i / 2][i % 2] = vload(lanes + i * kLanes);
          }
          const std::int64_t n = std::min<std::int64_t>(kLanes, TW - x);
          if (epilogue.pool == FusedPool::pool_2x2) {  // floor mode: blocks past OH/2 x OW/2 are dropped
            const std::int64_t ph = OH / 2, pw = OW / 2;
            if (ty >= ph) continue;
            // The pool in registers: max(max(y00, y01), max(y10, y11)) as std::max takes it (vmax(b, a)
            // is std::max(a, b), NaN and signed zeros included), so every variant gives the scalar result.
            const Vec pooled = vmax(vmax(y[1][1], y[1][0]), vmax(y[0][1], y[0][0]));
            float* dst = out + (k * ph + ty) * pw + x;
            if (x + kLanes <= pw) {
              vstore(dst, pooled);
            } else {
              vstore(lanes, pooled);
              for (std::int64_t l = 0; l < n && x + l < pw; ++l) dst[l] = lanes[l];
            }
            continue;
          }
          // The rows to store: both of the block's, or with the 2x1 pool their maxima, std::max(top,
          // bottom) (floor mode: block rows past OH/2 are dropped).
          Vec row[2][2] = {{y[0][0], y[0][1]}, {y[1][0], y[1][1]}};
          std::int64_t out_rows = OH, first = 2 * ty, count = 2;
          if (epilogue.pool == FusedPool::pool_2x1) {
            if (ty >= OH / 2) continue;
            row[0][0] = vmax(y[1][0], y[0][0]);
            row[0][1] = vmax(y[1][1], y[0][1]);
            out_rows = OH / 2, first = ty, count = 1;
          }
          const std::int64_t pairs = std::min(n, OW / 2 - x);  // blocks whose both columns exist
          for (std::int64_t i = 0; i < count && first + i < out_rows; ++i) {
            float* dst = out + (k * out_rows + first + i) * OW + 2 * x;
            if (pairs == kLanes) {  // kLanes whole blocks: their columns interleaved, two vectors
              Vec lo, hi;
              vinterleave(row[i][0], row[i][1], lo, hi);
              vstore(dst, lo);
              vstore(dst + kLanes, hi);
              continue;
            }
            const float* left = lanes;
            const float* right = lanes + kLanes;
            vstore(lanes, row[i][0]);
            vstore(lanes + kLanes, row[i][1]);
            for (std::int64_t l = 0; l < pairs; ++l) {
              dst[2 * l] = left[l];
              dst[2 * l + 1] = right[l];
            }
            if (pairs < n) dst[2 * pairs] = left[pairs];  // an odd width's last column
          }
        }
      }
    }
  }
}

}  // namespace
CQTCNN_TARGET_END

const ConvKernels conv_kernels = {conv2d_tiled, conv2d_direct, conv2d_winograd};

}  // namespace cqtcnn::nn::CQTCNN_ISA
