// Average pooling as PyTorch's AvgPool2d: with count_include_pad the divisor counts padded
// positions but not the part of a ceil_mode window beyond the padding; without it, only input
// positions (aten/src/ATen/native/cpu/AvgPoolKernel.cpp).
#include "nn/model/layer_kind.hpp"
#include "nn/layers/pool2d.hpp"

#include <algorithm>

namespace cqtcnn::nn {
namespace {

class AvgPool2d : public Pool2d {
 public:
  AvgPool2d(KernelGeometry w, bool count_include_pad) : Pool2d(w), count_include_pad_(count_include_pad) {}
  std::string type() const override { return "avg_pool2d"; }
  std::string describe() const override {
    return Pool2d::describe() + (count_include_pad_ ? "" : " exclude-pad");
  }
  void forward(const Tensor& in, Tensor& out, Workspace&) const override {
    const KernelGeometry& w = kernel_;
    const Shape is = in.shape, os = out.shape;
    for (std::int64_t b = 0; b < in.n; ++b)
      for (std::int64_t c = 0; c < is.c; ++c) {
        const float* plane = in.sample(b) + c * is.plane();
        float* dst = out.sample(b) + c * os.plane();
        for (std::int64_t oy = 0; oy < os.h; ++oy)
          for (std::int64_t ox = 0; ox < os.w; ++ox) {
            std::int64_t y0 = oy * w.sh - w.pad.top, x0 = ox * w.sw - w.pad.left;
            std::int64_t y1 = std::min(y0 + w.kh, is.h + w.pad.bottom), x1 = std::min(x0 + w.kw, is.w + w.pad.right);
            const std::int64_t padded_count = (y1 - y0) * (x1 - x0);
            y0 = std::max<std::int64_t>(y0, 0);
            x0 = std::max<std::int64_t>(x0, 0);
            y1 = std::min(y1, is.h);
            x1 = std::min(x1, is.w);
            float sum = 0;
            for (std::int64_t iy = y0; iy < y1; ++iy)
              for (std::int64_t ix = x0; ix < x1; ++ix) sum += plane[iy * is.w + ix];
            const std::int64_t count = count_include_pad_ ? padded_count : (y1 - y0) * (x1 - x0);
            dst[oy * os.w + ox] = count > 0 ? sum / static_cast<float>(count) : 0.0F;
          }
      }
  }

 private:
  bool count_include_pad_;
};

constexpr FlagParam kCountPad{.name = "count_include_pad",
                              .help = "the divisor counts the padding (but not a ceil_mode window's part beyond it)",
                              .default_value = true};
constexpr LayerOption kOptions[] = {geometry::kernel_size, geometry::pool_stride, geometry::padding, geometry::ceil_mode,
                                    kCountPad};

std::unique_ptr<Layer> make(LayerSpec& spec) {
  if (spec.has("dilation")) spec.fail("dilation", "not supported for avg_pool2d");
  const KernelGeometry w = read_pool_geometry(spec);
  return std::make_unique<AvgPool2d>(w, spec.boolean(kCountPad));
}

}  // namespace

extern const LayerKind avg_pool2d_layer{
    .type = "avg_pool2d", .help = "the mean of each window (PyTorch's AvgPool2d)", .options = kOptions, .make = make};

}  // namespace cqtcnn::nn
