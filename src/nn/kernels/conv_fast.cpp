// conv2d and dense as the layers run them: the choice of kernel for a geometry and for the CPU
// (conv_kernels.cpp, simd/frame_product.hpp), the weight packings, im2col for the strides the
// tiled kernel does not take, and the folding of a batch normalisation into the weights.
#include "nn/kernels/conv_ops.hpp"

#include "cqtcnn/error.hpp"
#include "simd/frame_product.hpp"
#include "simd/isa.hpp"

#include <algorithm>
#include <cmath>

namespace cqtcnn::nn {
namespace {

const ConvKernels& kernels() { return simd::pick(scalar::conv_kernels, avx2::conv_kernels, avx512::conv_kernels); }

// Unrolls the (c, ky, kx) windows of one group into rows: col[(c*kh + ky)*kw + kx][oy*ow + ox].
void im2col(const ConvGeometry& g, const float* in, std::int64_t channels, float* col) {
  const std::int64_t ow = g.out.w, oh = g.out.h;
  for (std::int64_t c = 0; c < channels; ++c)
    for (std::int64_t ky = 0; ky < g.kh; ++ky)
      for (std::int64_t kx = 0; kx < g.kw; ++kx) {
        const float* plane = in + c * g.in.h * g.in.w;
        const std::int64_t x0 = kx * g.dw - g.pad_left;
        for (std::int64_t oy = 0; oy < oh; ++oy, col += ow) {
          const std::int64_t iy = oy * g.sh - g.pad_top + ky * g.dh;
          for (std::int64_t ox = 0; ox < ow; ++ox) {
            const std::int64_t ix = ox * g.sw + x0;
            col[ox] = iy >= 0 && iy < g.in.h && ix >= 0 && ix < g.in.w ? plane[iy * g.in.w + ix] : 0.0F;
          }
        }
      }
}

// A strided layer: per group, im2col, then the group's outputs as a 1x1 convolution of the
// unrolled image (k channels of 1 x pixels), whose packed weights are the group's own (the
// packing orders a group's weights by (channel, tap), which is the unrolled channel order).
void conv2d_im2col(const ConvGeometry& g, const float* in, const float* packed, const float* bias, float* out,
                   Workspace& ws, const ElementwiseLayer* activation) {
  const std::int64_t cin_g = g.in.c / g.groups, cout_g = g.out.c / g.groups;
  const std::int64_t k = cin_g * g.kh * g.kw, pixels = g.out.h * g.out.w;
  const std::int64_t blocks = (cout_g + kTiledBlock - 1) / kTiledBlock;
  thread_local Workspace unrolled;  // lives across the kernel's use of `ws`
  float* col = unrolled.get(static_cast<std::size_t>(k * pixels));
  ConvGeometry pointwise;
  pointwise.in = {k, 1, pixels};
  pointwise.out = {cout_g, 1, pixels};
  for (std::int64_t group = 0; group < g.groups; ++group) {
    im2col(g, in + group * cin_g * g.in.h * g.in.w, cin_g, col);
    kernels().tiled(pointwise, col, packed + group * blocks * k * kTiledBlock, bias ? bias + group * cout_g : nullptr,
                    out + group * cout_g * pixels, ws, {activation, FusedPool::none});
  }
}

// One output per group with a stride other than 1 (rare: a strided depthwise layer): each
// output straight from the definition, the same chain of fused multiply-adds as every kernel.
void conv2d_per_output(const ConvGeometry& g, const float* in, const float* weight, const float* bias, float* out,
                       const ElementwiseLayer* activation) {
  const std::int64_t cin_g = g.in.c / g.groups, cout_g = g.out.c / g.groups;
  for (std::int64_t oc = 0; oc < g.out.c; ++oc) {
    const std::int64_t group = oc / cout_g;
    float* plane = out + oc * g.out.h * g.out.w;
    for (std::int64_t oy = 0; oy < g.out.h; ++oy)
      for (std::int64_t ox = 0; ox < g.out.w; ++ox) {
        float acc = 0.0F;
        for (std::int64_t ic = 0; ic < cin_g; ++ic)
          for (std::int64_t ky = 0; ky < g.kh; ++ky)
            for (std::int64_t kx = 0; kx < g.kw; ++kx) {
              const std::int64_t iy = oy * g.sh - g.pad_top + ky * g.dh, ix = ox * g.sw - g.pad_left + kx * g.dw;
              const float x = iy >= 0 && iy < g.in.h && ix >= 0 && ix < g.in.w
                                  ? in[((group * cin_g + ic) * g.in.h + iy) * g.in.w + ix]
                                  : 0.0F;
              acc = std::fma(weight[((oc * cin_g + ic) * g.kh + ky) * g.kw + kx], x, acc);
            }
        plane[oy * g.out.w + ox] = bias ? acc + bias[oc] : acc;
      }
    if (activation) activation->apply(plane, static_cast<std::size_t>(g.out.h * g.out.w));
  }
}

}  // namespace

std::vector<float> pack_tiled_weights(const float* weight, std::int64_t out_c, std::int64_t cin_g,
                                      std::int64_t groups, std::int64_t taps) {
  const std::int64_t cout_g = out_c / groups, blocks = (cout_g + kTiledBlock - 1) / kTiledBlock;
  std::vector<float> packed(static_cast<std::size_t>(groups * blocks * cin_g * taps * kTiledBlock), 0.0F);
  for (std::int64_t oc = 0; oc < out_c; ++oc) {
    const std::int64_t group = oc / cout_g, block = (oc % cout_g) / kTiledBlock, lane = oc % cout_g % kTiledBlock;
    float* dst = packed.data() + (group * blocks + block) * cin_g * taps * kTiledBlock + lane;
    const float* src = weight + oc * cin_g * taps;
    for (std::int64_t i = 0; i < cin_g * taps; ++i) dst[i * kTiledBlock] = src[i];
  }
  return packed;
}

bool packs_weights(std::int64_t out_c, std::int64_t groups) {
  // One output channel per group (depthwise) would leave most of a tile empty; the direct
  // per-channel loop does better there.
  return out_c / groups >= 2;
}

bool tiled_conv_applies(const ConvGeometry& g) { return g.sh == 1 && g.sw == 1 && packs_weights(g.out.c, g.groups); }

bool winograd_layer(std::int64_t kh, std::int64_t kw, std::int64_t sh, std::int64_t sw, std::int64_t dh,
                    std::int64_t dw, std::int64_t groups, std::int64_t in_c, std::int64_t out_c) {
  return kh == 3 && kw == 3 && sh == 1 && sw == 1 && dh == 1 && dw == 1 && groups >= 1 && in_c % groups == 0 &&
         out_c % groups == 0 && in_c / groups >= kWinogradMinChannels && out_c / groups >= kWinogradMinChannels;
}

bool winograd_applies(const ConvGeometry& g) {
  return winograd_layer(g.kh, g.kw, g.sh, g.sw, g.dh, g.dw, g.groups, g.in.c, g.out.c);
}

namespace {

// One group's transformed weights, appended in the tiled packing of a 1x1 layer per position p:
// [p][block of kTiledBlock outputs][in_c][kTiledBlock], zero past the last output. weight holds
// out_c rows of in_c * 9 taps.
void append_winograd_group(const float* weight, std::int64_t out_c, std::int64_t in_c, std::vector<float>& packed) {
  const std::int64_t per_position = winograd_group_weights(out_c, in_c) / 16;
  const std::size_t start = packed.size();
  packed.resize(start + std::size_t(16 * per_position), 0.0F);
  float* u = packed.data() + start;
  // U = G g G^T with G = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1]: the same map on rows, then on columns.
  auto expand = [](double a, double b, double c, double* four) {
    four[0] = a, four[1] = (a + b + c) / 2, four[2] = (a - b + c) / 2, four[3] = c;
  };
  for (std::int64_t o = 0; o < out_c; ++o)
    for (std::int64_t c = 0; c < in_c; ++c) {
      const float* g = weight + (o * in_c + c) * 9;
      double rows[4][3];  // G g
      for (int j = 0; j < 3; ++j) {
        double column[4];
        expand(g[j], g[3 + j], g[6 + j], column);
        for (int i = 0; i < 4; ++i) rows[i][j] = column[i];
      }
      float* dst = u + ((o / kTiledBlock) * in_c + c) * kTiledBlock + o % kTiledBlock;
      for (int i = 0; i < 4; ++i) {
        double four[4];  // (G g G^T)[i][0..3]
        expand(rows[i][0], rows[i][1], rows[i][2], four);
        for (int j = 0; j < 4; ++j) dst[(i * 4 + j) * per_position] = float(four[j]);
      }
    }
}

}  // namespace

std::vector<float> pack_winograd_weights(const float* weight, std::int64_t out_c, std::int64_t in_c,
                                         std::int64_t groups) {
  const std::int64_t out_g = out_c / groups, in_g = in_c / groups;
  std::vector<float> packed;
  packed.reserve(std::size_t(groups * winograd_group_weights(out_g, in_g)));
  for (std::int64_t group = 0; group < groups; ++group)
    append_winograd_group(weight + group * out_g * in_g * 9, out_g, in_g, packed);
  return packed;
}

std::int64_t winograd_group_weights(std::int64_t out_g, std::int64_t in_g) {
  return 16 * ((out_g + kTiledBlock - 1) / kTiledBlock) * kTiledBlock * in_g;
}

Shape pooled_shape(Shape conv_out, FusedPool pool) {
  switch (pool) {
    case FusedPool::pool_2x2: return {conv_out.c, conv_out.h / 2, conv_out.w / 2};
    case FusedPool::pool_2x1: return {conv_out.c, conv_out.h / 2, conv_out.w};
    case FusedPool::none: break;
  }
  return conv_out;
}

void conv2d_fast(const ConvGeometry& g, const float* in, const ConvWeights& w, float* out, Workspace& ws,
                 const ConvEpilogue& epilogue) {
  if (epilogue.pool != FusedPool::none && !tiled_conv_applies(g))
    throw Error("conv2d: a fused max pool needs the tiled kernel");
  if (winograd_applies(g)) {
    std::vector<float> transformed_now;  // only for callers without transformed weights (tests)
    const float* transformed = w.winograd;
    if (!transformed) {
      transformed_now = pack_winograd_weights(w.weight, g.out.c, g.in.c, g.groups);
      transformed = transformed_now.data();
    }
    // Each group is a layer of its own: its input channels, outputs, weights and biases.
    ConvGeometry one = g;
    one.in.c = g.in.c / g.groups, one.out.c = g.out.c / g.groups, one.groups = 1;
    const std::int64_t out_plane = pooled_shape(g.out, epilogue.pool).plane();
    for (std::int64_t group = 0; group < g.groups; ++group)
      kernels().winograd(one, in + group * one.in.c * g.in.h * g.in.w,
                         transformed + group * winograd_group_weights(one.out.c, one.in.c),
                         w.bias ? w.bias + group * one.out.c : nullptr, out + group * one.out.c * out_plane, ws,
                         epilogue);
    return;
  }
  const bool stride1 = g.sh == 1 && g.sw == 1;
  if (packs_weights(g.out.c, g.groups)) {
    std::vector<float> packed_now;  // only for callers without packed weights (tests)
    const float* packed = w.packed;
    if (!packed) {
      packed_now = pack_tiled_weights(w.weight, g.out.c, g.in.c / g.groups, g.groups, g.kh * g.kw);
      packed = packed_now.data();
    }
    if (stride1)
      kernels().tiled(g, in, packed, w.bias, out, ws, epilogue);
    else
      conv2d_im2col(g, in, packed, w.bias, out, ws, epilogue.activation);
    return;
  }
  if (!stride1) {
    conv2d_per_output(g, in, w.weight, w.bias, out, epilogue.activation);
    return;
  }
  kernels().direct(g, in, w.weight, w.bias, out, ws);
  if (epilogue.activation) epilogue.activation->apply(out, static_cast<std::size_t>(g.out.size()));
}

DenseWeights pack_dense_weights(const float* weight, std::int64_t in_features, std::int64_t out_features) {
  DenseWeights d;
  d.stride = (out_features + 15) / 16 * 16;  // a multiple of every instruction set's vector
  d.transposed.assign(static_cast<std::size_t>(in_features * d.stride), 0.0F);
  for (std::int64_t o = 0; o < out_features; ++o)
    for (std::int64_t i = 0; i < in_features; ++i) d.transposed[i * d.stride + o] = weight[o * in_features + i];
  return d;
}

void dense_fast(const float* in, std::int64_t n, std::int64_t in_features, const DenseWeights& weight,
                const float* bias, std::int64_t out_features, float* out, Workspace& ws) {
  float* rows = ws.get(static_cast<std::size_t>(n * weight.stride));
  simd::frame_product({in, static_cast<std::ptrdiff_t>(in_features), static_cast<std::size_t>(n),
                       weight.transposed.data(), static_cast<int>(in_features), static_cast<int>(weight.stride), rows});
  for (std::int64_t b = 0; b < n; ++b)
    for (std::int64_t o = 0; o < out_features; ++o)
      out[b * out_features + o] = bias ? rows[b * weight.stride + o] + bias[o] : rows[b * weight.stride + o];
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

}  // namespace cqtcnn::nn
