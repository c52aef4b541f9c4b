// Batch normalisation at inference (Ioffe & Szegedy 2015): y = (x - mean) / sqrt(var + eps) *
// gamma + beta per channel, i.e. y = x*scale + shift. The model folds it into a preceding conv2d
// or dense layer at load; otherwise (e.g. after an activation) it is applied here.
#include "nn/model/layer_kind.hpp"

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

constexpr NumberParam<int> kFeatures{.name = "num_features",
                                     .help = "channels of an image or features of a flat input or sequence",
                                     .min = 1, .max = 1 << 20, .required = true};
constexpr NumberParam<double> kEps{.name = "eps", .help = "added to the variance", .min = 0, .max = 1, .default_value = 1e-5};
constexpr LayerOption kOptions[] = {kFeatures, kEps};
constexpr LayerWeight kWeights[] = {{"weight", "[num_features] (gamma)"},
                                    {"bias", "[num_features] (beta)"},
                                    {"running_mean", "[num_features]"},
                                    {"running_var", "[num_features]"}};

std::unique_ptr<Layer> make(LayerSpec& spec) {
  const std::int64_t channels = spec.integer(kFeatures);
  const double eps = spec.number(kEps);
  const auto gamma = spec.weight(kWeights[0], {channels});
  const auto beta = spec.weight(kWeights[1], {channels});
  const auto mean = spec.weight(kWeights[2], {channels});
  const auto var = spec.weight(kWeights[3], {channels});
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

}  // namespace

extern const LayerKind batch_norm_layer{
    .type = "batch_norm",
    .help = "batch normalisation at inference, per channel (folded into a conv2d or dense before it)",
    .options = kOptions, .weights = kWeights, .make = make};

}  // namespace cqtcnn::nn
