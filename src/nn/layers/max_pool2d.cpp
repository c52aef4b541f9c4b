// Max pooling with stride, padding (never the maximum: padded positions are skipped), dilation
// and ceil_mode, as PyTorch's MaxPool2d.
#include "nn/layers/factories.hpp"
#include "nn/layers/pool2d.hpp"

#include <algorithm>
#include <limits>

namespace cqtcnn::nn {

Window read_pool_window(LayerSpec& spec) {
  Window w = read_window(spec, true);
  if (w.same) spec.fail("padding", "\"same\" is not supported for pooling; give the padding explicitly");
  const Padding& p = w.pad;
  if (std::max(p.top, p.bottom) * 2 > w.kh || std::max(p.left, p.right) * 2 > w.kw)
    spec.fail("padding", "must be at most half the kernel size");
  return w;
}

namespace {

class MaxPool2d : public Pool2d {
 public:
  using Pool2d::Pool2d;
  std::string type() const override { return "max_pool2d"; }
  void forward(const Tensor& in, Tensor& out, Workspace&) const override {
    const Window& w = window_;
    const Shape is = in.shape, os = out.shape;
    for (std::int64_t b = 0; b < in.n; ++b)
      for (std::int64_t c = 0; c < is.c; ++c) {
        const float* plane = in.sample(b) + c * is.plane();
        float* dst = out.sample(b) + c * os.plane();
        for (std::int64_t oy = 0; oy < os.h; ++oy)
          for (std::int64_t ox = 0; ox < os.w; ++ox) {
            float best = -std::numeric_limits<float>::infinity();
            for (std::int64_t ky = 0; ky < w.kh; ++ky) {
              const std::int64_t iy = oy * w.sh - w.pad.top + ky * w.dh;
              if (iy < 0 || iy >= is.h) continue;
              for (std::int64_t kx = 0; kx < w.kw; ++kx) {
                const std::int64_t ix = ox * w.sw - w.pad.left + kx * w.dw;
                if (ix >= 0 && ix < is.w) best = std::max(best, plane[iy * is.w + ix]);
              }
            }
            dst[oy * os.w + ox] = best;
          }
      }
  }
};

}  // namespace

std::unique_ptr<Layer> make_max_pool2d(LayerSpec& spec) { return std::make_unique<MaxPool2d>(read_pool_window(spec)); }

}  // namespace cqtcnn::nn
