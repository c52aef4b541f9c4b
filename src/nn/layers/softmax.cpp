// Softmax over the channels at each position (PyTorch's Softmax(dim=1) on NCHW; for a flat
// input, over the features). The maximum is subtracted first so exp never overflows.
#include "nn/model/layer_kind.hpp"
#include "nn/kernels/softmax.hpp"

#include <algorithm>
#include <cmath>

namespace cqtcnn::nn {

void softmax_channels(Tensor& t) {
  const std::int64_t plane = t.shape.plane(), channels = t.shape.c;
  for (std::int64_t b = 0; b < t.n; ++b)
    for (std::int64_t p = 0; p < plane; ++p) {
      float* x = t.sample(b) + p;
      float top = x[0];
      for (std::int64_t c = 1; c < channels; ++c) top = std::max(top, x[c * plane]);
      double sum = 0;
      for (std::int64_t c = 0; c < channels; ++c) sum += (x[c * plane] = std::exp(x[c * plane] - top));
      const auto inv = static_cast<float>(1.0 / sum);
      for (std::int64_t c = 0; c < channels; ++c) x[c * plane] *= inv;
    }
}

namespace {

class Softmax : public Layer {
 public:
  std::string type() const override { return "softmax"; }
  Shape output_shape(Shape in) const override { return in; }
  bool in_place() const override { return true; }
  void forward(const Tensor& in, Tensor& out, Workspace&) const override {
    if (&in != &out) out = in;
    softmax_channels(out);
  }
};

}  // namespace

extern const LayerKind softmax_layer =
    without_options<Softmax>("softmax", "over the channels at each position (a flat input's features, a sequence's at each step)");

}  // namespace cqtcnn::nn
