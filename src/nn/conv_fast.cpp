// Fast conv2d and dense: im2col lowers each group's convolution to one matrix product
// (Chellapilla et al. 2006), computed by OpenBLAS's sgemm. A 1x1 convolution with stride 1 and
// no padding needs no lowering: the input already is the matrix.
#include "nn/conv_ops.hpp"

#include <cblas.h>
#include <dlfcn.h>

#include <algorithm>
#include <cstring>

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
            std::fill(col, col + ow, 0.0F);
            continue;
          }
          const float* row = plane + iy * g.in.w;
          std::fill(col, col + lo, 0.0F);
          if (g.sw == 1) {
            if (hi > lo) std::memcpy(col + lo, row + lo + x0, static_cast<std::size_t>(hi - lo) * sizeof(float));
          } else {
            for (std::int64_t ox = lo; ox < hi; ++ox) col[ox] = row[ox * g.sw + x0];
          }
          std::fill(col + hi, col + ow, 0.0F);
        }
      }
}

}  // namespace

void conv2d_fast(const ConvGeometry& g, const float* in, const float* weight, const float* bias, float* out,
                 Workspace& ws) {
  const std::int64_t cin_g = g.in.c / g.groups, cout_g = g.out.c / g.groups;
  const std::int64_t k = cin_g * g.kh * g.kw, pixels = g.out.h * g.out.w;
  const bool pointwise = g.kh == 1 && g.kw == 1 && g.sh == 1 && g.sw == 1 && g.pad_top == 0 && g.pad_left == 0 &&
                         g.out.h == g.in.h && g.out.w == g.in.w;
  float* col = pointwise ? nullptr : ws.get(static_cast<std::size_t>(k * pixels));
  for (std::int64_t group = 0; group < g.groups; ++group) {
    const float* group_in = in + group * cin_g * g.in.h * g.in.w;
    if (!pointwise) im2col(g, group_in, cin_g, col);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(cout_g), static_cast<int>(pixels),
                static_cast<int>(k), 1.0F, weight + group * cout_g * k, static_cast<int>(k),
                pointwise ? group_in : col, static_cast<int>(pixels), 0.0F, out + group * cout_g * pixels,
                static_cast<int>(pixels));
  }
  if (!bias) return;
  for (std::int64_t oc = 0; oc < g.out.c; ++oc) {
    float* plane = out + oc * pixels;
    for (std::int64_t p = 0; p < pixels; ++p) plane[p] += bias[oc];
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
