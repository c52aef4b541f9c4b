// Naive conv2d and dense straight from the definitions (PyTorch's Conv2d and Linear docs): the
// reference the fast kernels are tested against. Not used for inference.
#include "nn/kernels/conv_ops.hpp"

namespace cqtcnn::nn {

void conv2d_reference(const ConvGeometry& g, const float* in, const float* weight, const float* bias, float* out) {
  const std::int64_t cin_g = g.in.c / g.groups, cout_g = g.out.c / g.groups;
  for (std::int64_t oc = 0; oc < g.out.c; ++oc) {
    const std::int64_t group = oc / cout_g;
    for (std::int64_t oy = 0; oy < g.out.h; ++oy)
      for (std::int64_t ox = 0; ox < g.out.w; ++ox) {
        double sum = bias ? bias[oc] : 0.0;
        for (std::int64_t ic = 0; ic < cin_g; ++ic)
          for (std::int64_t ky = 0; ky < g.kh; ++ky)
            for (std::int64_t kx = 0; kx < g.kw; ++kx) {
              const std::int64_t iy = oy * g.sh - g.pad_top + ky * g.dh;
              const std::int64_t ix = ox * g.sw - g.pad_left + kx * g.dw;
              if (iy < 0 || iy >= g.in.h || ix < 0 || ix >= g.in.w) continue;
              const std::int64_t c = group * cin_g + ic;
              sum += static_cast<double>(in[(c * g.in.h + iy) * g.in.w + ix]) *
                     weight[((oc * cin_g + ic) * g.kh + ky) * g.kw + kx];
            }
        out[(oc * g.out.h + oy) * g.out.w + ox] = static_cast<float>(sum);
      }
  }
}

void dense_reference(const float* in, std::int64_t n, std::int64_t in_features, const float* weight,
                     const float* bias, std::int64_t out_features, float* out) {
  for (std::int64_t b = 0; b < n; ++b)
    for (std::int64_t o = 0; o < out_features; ++o) {
      double sum = bias ? bias[o] : 0.0;
      for (std::int64_t i = 0; i < in_features; ++i)
        sum += static_cast<double>(in[b * in_features + i]) * weight[o * in_features + i];
      out[b * out_features + o] = static_cast<float>(sum);
    }
}

}  // namespace cqtcnn::nn
