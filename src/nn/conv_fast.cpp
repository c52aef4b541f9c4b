// Fallback conv2d and dense (the tiled kernel in conv_tiled.cpp serves stride-1 layers when
// packed weights are given): im2col lowers each group's convolution to one matrix product
// (Chellapilla et al. 2006), computed by OpenBLAS's sgemm. A 1x1 convolution with stride 1 and
// no padding needs no lowering: the input already is the matrix.
#include "nn/conv_ops.hpp"

#include "cqtcnn/error.hpp"

#include <cblas.h>
#include <dlfcn.h>

#include <algorithm>

namespace cqtcnn::nn {
namespace {

// Unrolls the (ky, kx, c) windows of one group into rows: col[(c*kh + ky)*kw + kx][oy*ow + ox].
void im2col(const ConvGeometry& g, const float* in, std::int64_t channels, float* col) {
  const std::int64_t ow = g.out.w, oh = g.out.h;
  for (std::int64_t c = 0; c < channels; ++c)
    for (std::int64_t ky = 0; ky < g.kh; ++ky)
      for (std::int64_t kx = 0; kx < g.kw; ++kx) {
        const float* plane = in + c * g.in.h * g.in.w;
        const std::int64_t x0 = kx * g.dw - g.pad_left;
        // Output columns whose input column lies inside the image: [lo, hi).
        const std::int64_t lo = std::clamp<std::int64_t>((-x0 + g.sw - 1) / g.sw, 0, ow);
        const std::int64_t hi = std::clamp<std::int64_t>((g.in.w - x0 + g.sw - 1) / g.sw, lo, ow);
        for (std::int64_t oy = 0; oy < oh; ++oy, col += ow) {
          const std::int64_t iy = oy * g.sh - g.pad_top + ky * g.dh;
          if (iy < 0 || iy >= g.in.h) {
            for (std::int64_t ox = 0; ox < ow; ++ox) col[ox] = 0.0F;
            continue;
          }
          const float* row = plane + iy * g.in.w;
          // Plain loops, not memcpy/memset: the rows are short and a libc call per row cost more.
          for (std::int64_t ox = 0; ox < lo; ++ox) col[ox] = 0.0F;
          if (g.sw == 1) {
            for (std::int64_t ox = lo; ox < hi; ++ox) col[ox] = row[ox + x0];
          } else {
            for (std::int64_t ox = lo; ox < hi; ++ox) col[ox] = row[ox * g.sw + x0];
          }
          for (std::int64_t ox = hi; ox < ow; ++ox) col[ox] = 0.0F;
        }
      }
}

// Direct convolution for stride 1 and few taps per output (a first layer on a 1-channel image,
// a depthwise layer), where im2col + sgemm spends most of its time copying: the input is
// padded once, then each tap adds weight * shifted row to the output row, which vectorises.
void conv2d_direct(const ConvGeometry& g, const float* in, const float* weight, float* out, Workspace& ws) {
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
            for (std::int64_t ox = 0; ox < g.out.w; ++ox) row[ox] += wv * s[ox];
          }
      }
    }
  }
}

}  // namespace

void conv2d_fast(const ConvGeometry& g, const float* in, const ConvWeights& w, float* out, Workspace& ws,
                 const ConvEpilogue& epilogue) {
  if (w.packed && tiled_conv_applies(g)) {
    conv2d_tiled(g, in, w.packed, w.bias, out, ws, epilogue);
    return;
  }
  if (epilogue.max_pool_2x2) throw Error("conv2d: a fused max pool needs the tiled kernel");
  const float* weight = w.weight;
  const float* bias = w.bias;
  const ElementwiseLayer* activation = epilogue.activation;
  const std::int64_t cin_g = g.in.c / g.groups, cout_g = g.out.c / g.groups;
  const std::int64_t k = cin_g * g.kh * g.kw, pixels = g.out.h * g.out.w;
  const bool pointwise = g.kh == 1 && g.kw == 1 && g.sh == 1 && g.sw == 1 && g.pad_top == 0 && g.pad_left == 0 &&
                         g.out.h == g.in.h && g.out.w == g.in.w;
  if (!pointwise && g.sh == 1 && g.sw == 1 && k <= 32) {
    conv2d_direct(g, in, weight, out, ws);
  } else {
    float* col = pointwise ? nullptr : ws.get(static_cast<std::size_t>(k * pixels));
    for (std::int64_t group = 0; group < g.groups; ++group) {
      const float* group_in = in + group * cin_g * g.in.h * g.in.w;
      if (!pointwise) im2col(g, group_in, cin_g, col);
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(cout_g), static_cast<int>(pixels),
                  static_cast<int>(k), 1.0F, weight + group * cout_g * k, static_cast<int>(k),
                  pointwise ? group_in : col, static_cast<int>(pixels), 0.0F, out + group * cout_g * pixels,
                  static_cast<int>(pixels));
    }
  }
  if (!bias && !activation) return;
  for (std::int64_t oc = 0; oc < g.out.c; ++oc) {
    float* plane = out + oc * pixels;
    if (bias)
      for (std::int64_t p = 0; p < pixels; ++p) plane[p] += bias[oc];
    if (activation) activation->apply(plane, static_cast<std::size_t>(pixels));
  }
}

void dense_fast(const float* in, std::int64_t n, std::int64_t in_features, const float* weight, const float* bias,
                std::int64_t out_features, float* out) {
  const int m = static_cast<int>(n), nn = static_cast<int>(out_features), k = static_cast<int>(in_features);
  if (m == 1) {
    cblas_sgemv(CblasRowMajor, CblasNoTrans, nn, k, 1.0F, weight, k, in, 1, 0.0F, out, 1);
  } else {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, nn, k, 1.0F, in, k, weight, k, 0.0F, out, nn);
  }
  if (!bias) return;
  for (std::int64_t b = 0; b < n; ++b)
    for (std::int64_t o = 0; o < out_features; ++o) out[b * out_features + o] += bias[o];
}

void fold_affine(std::vector<float>& weight, std::vector<float>& bias, std::int64_t outputs,
                 std::span<const float> scale, std::span<const float> shift) {
  const std::size_t rows = static_cast<std::size_t>(outputs), per_row = weight.size() / rows;
  if (bias.empty()) bias.assign(rows, 0.0F);
  for (std::size_t o = 0; o < rows; ++o) {
    for (std::size_t i = 0; i < per_row; ++i) weight[o * per_row + i] *= scale[o];
    bias[o] = bias[o] * scale[o] + shift[o];
  }
}

void set_blas_threads(int threads) {
  // Looked up at run time: the BLAS found by CMake may be OpenBLAS (Debian's libblas.so.3
  // alternative) or not, and only OpenBLAS has this function.
  using SetThreads = void (*)(int);
  static const auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
  if (set) set(std::max(threads, 1));
}

}  // namespace cqtcnn::nn
