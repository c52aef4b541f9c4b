// Batch normalisation at inference (Ioffe & Szegedy 2015): y = (x - mean) / sqrt(var + eps) *
// gamma + beta per channel, i.e. y = x*scale + shift. The model folds it into a preceding conv2d
// or dense layer at load; otherwise (e.g. after an activation) it is applied here.
#include "nn/layers/factories.hpp"

#include <cmath>

namespace cqtcnn::nn {
namespace {

class BatchNorm : public Layer {
 public:
  BatchNorm(std::vector<float> scale, std::vector<float> shift) : scale_(std::move(scale)), shift_(std::move(shift)) {}

  std::string type() const override { return "batch_norm"; }
  std::string describe() const override { return std::to_string(scale_.size()) + " channels"; }
  Shape output_shape(Shape in) const override {
    if (in.c != static_cast<std::int64_t>(scale_.size()))
      throw InvalidInput("expects " + std::to_string(scale_.size()) + " channels, got " + std::to_string(in.c));
    return in;
  }
  bool in_place() const override { return true; }
  void forward(const Tensor& in, Tensor& out, Workspace&) const override {
    if (&in != &out) out = in;
    const std::int64_t plane = out.shape.plane();
    for (std::int64_t b = 0; b < out.n; ++b)
      for (std::size_t c = 0; c < scale_.size(); ++c) {
        float* x = out.sample(b) + static_cast<std::int64_t>(c) * plane;
        for (std::int64_t p = 0; p < plane; ++p) x[p] = x[p] * scale_[c] + shift_[c];
      }
  }
  std::int64_t parameter_count() const override { return static_cast<std::int64_t>(4 * scale_.size()); }
  bool channel_affine(std::vector<float>& scale, std::vector<float>& shift) const override {
    scale = scale_;
    shift = shift_;
    return true;
  }

 private:
  std::vector<float> scale_, shift_;
};

}  // namespace

std::unique_ptr<Layer> make_batch_norm(LayerSpec& spec) {
  const std::int64_t channels = spec.integer("num_features", 1, 1 << 20);
  const double eps = spec.number("eps", 0, 1, 1e-5);
  const auto gamma = spec.weight("weight", {channels});
  const auto beta = spec.weight("bias", {channels});
  const auto mean = spec.weight("running_mean", {channels});
  const auto var = spec.weight("running_var", {channels});
  std::vector<float> scale(gamma.size()), shift(gamma.size());
  for (std::size_t c = 0; c < scale.size(); ++c) {
    if (var[c] < 0) spec.fail("weights/running_var", "value " + std::to_string(c) + " is negative");
    // Computed in double so folding adds no error beyond float32 rounding of the result.
    const double s = gamma[c] / std::sqrt(static_cast<double>(var[c]) + eps);
    scale[c] = static_cast<float>(s);
    shift[c] = static_cast<float>(beta[c] - mean[c] * s);
  }
  return std::make_unique<BatchNorm>(std::move(scale), std::move(shift));
}

}  // namespace cqtcnn::nn
