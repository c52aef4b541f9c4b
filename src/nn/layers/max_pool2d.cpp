// Max pooling with stride, padding (never the maximum: padded positions are skipped), dilation
// and ceil_mode, as PyTorch's MaxPool2d.
#include "nn/model/layer_kind.hpp"
#include "nn/layers/pool2d.hpp"

#include <algorithm>
#include <limits>

namespace cqtcnn::nn {

KernelGeometry read_pool_geometry(LayerSpec& spec) {
  KernelGeometry w = read_kernel_geometry(spec, true);
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
  bool plain_max_pool(std::int64_t& rows, std::int64_t& cols) const override {
    const KernelGeometry& w = kernel_;
    rows = w.kh, cols = w.kw;
    return w.sh == w.kh && w.sw == w.kw && w.dh == 1 && w.dw == 1 && !w.ceil_mode && w.pad.top == 0 &&
           w.pad.bottom == 0 && w.pad.left == 0 && w.pad.right == 0;
  }
  void forward(const Tensor& in, Tensor& out, Workspace&) const override {
    const Shape is = in.shape, os = out.shape;
    const KernelGeometry& k = kernel_;
    const bool inside = k.pad.top == 0 && k.pad.left == 0 && k.dh == 1 && k.dw == 1 &&
                        (os.h - 1) * k.sh + k.kh <= is.h && (os.w - 1) * k.sw + k.kw <= is.w;
    for (std::int64_t b = 0; b < in.n; ++b)
      for (std::int64_t c = 0; c < is.c; ++c) {
        const float* plane = in.sample(b) + c * is.plane();
        float* dst = out.sample(b) + c * os.plane();
        if (inside && k.kh == 2 && k.kw == 2 && k.sh == 2 && k.sw == 2) pool_2x2(plane, is, os, dst);
        else if (inside) pool_inside(plane, is, os, dst);
        else pool_general(plane, is, os, dst);
      }
  }

 private:
  // The common 2x2 stride-2 pool: no bounds checks, vectorisable.
  static void pool_2x2(const float* plane, Shape is, Shape os, float* dst) {
    for (std::int64_t oy = 0; oy < os.h; ++oy) {
      const float* r0 = plane + 2 * oy * is.w;
      const float* r1 = r0 + is.w;
      for (std::int64_t ox = 0; ox < os.w; ++ox)
        dst[oy * os.w + ox] = std::max(std::max(r0[2 * ox], r0[2 * ox + 1]), std::max(r1[2 * ox], r1[2 * ox + 1]));
    }
  }
  // Every window lies inside the input (no padding or overhang, no dilation). An output row is
  // the running maximum over the taps, each taken along the whole row, which vectorises for a
  // column stride of 1 (a CRNN's pooling along frequency only, e.g. 2x1).
  void pool_inside(const float* plane, Shape is, Shape os, float* dst) const {
    const KernelGeometry& w = kernel_;
    for (std::int64_t oy = 0; oy < os.h; ++oy, dst += os.w) {
      const float* top = plane + oy * w.sh * is.w;
      for (std::int64_t ox = 0; ox < os.w; ++ox) dst[ox] = top[ox * w.sw];
      for (std::int64_t ky = 0; ky < w.kh; ++ky)
        for (std::int64_t kx = 0; kx < w.kw; ++kx) {
          const float* p = top + ky * is.w + kx;
          if (w.sw == 1) {
            for (std::int64_t ox = 0; ox < os.w; ++ox) dst[ox] = std::max(dst[ox], p[ox]);
          } else {
            for (std::int64_t ox = 0; ox < os.w; ++ox) dst[ox] = std::max(dst[ox], p[ox * w.sw]);
          }
        }
    }
  }
  void pool_general(const float* plane, Shape is, Shape os, float* dst) const {
    const KernelGeometry& w = kernel_;
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
};

constexpr LayerOption kOptions[] = {geometry::kernel_size, geometry::pool_stride, geometry::padding, geometry::dilation,
                                    geometry::ceil_mode};

std::unique_ptr<Layer> make(LayerSpec& spec) { return std::make_unique<MaxPool2d>(read_pool_geometry(spec)); }

}  // namespace

extern const LayerKind max_pool2d_layer{
    .type = "max_pool2d",
    .help = "the maximum of each window (PyTorch's MaxPool2d; padding is never the maximum)",
    .options = kOptions, .make = make};

}  // namespace cqtcnn::nn
