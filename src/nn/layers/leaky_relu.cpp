// Leaky ReLU: x for x >= 0, negative_slope * x otherwise (PyTorch's default slope 0.01).
#include "nn/model/layer_kind.hpp"

namespace cqtcnn::nn {
namespace {

class LeakyRelu : public ElementwiseLayer {
 public:
  explicit LeakyRelu(float slope) : slope_(slope) {}
  std::string type() const override { return "leaky_relu"; }
  std::string describe() const override { return "slope " + std::to_string(slope_); }
  void apply(float* values, std::size_t count) const override {
    for (std::size_t i = 0; i < count; ++i) values[i] = values[i] >= 0.0F ? values[i] : values[i] * slope_;
  }

 private:
  float slope_;
};

constexpr NumberParam<double> kSlope{.name = "negative_slope", .help = "multiplies x < 0", .min = -1e6, .max = 1e6,
                                     .default_value = 0.01};
constexpr LayerOption kOptions[] = {kSlope};

std::unique_ptr<Layer> make(LayerSpec& spec) {
  return std::make_unique<LeakyRelu>(static_cast<float>(spec.number(kSlope)));
}

}  // namespace

extern const LayerKind leaky_relu_layer{
    .type = "leaky_relu", .help = "x for x >= 0, else negative_slope * x", .options = kOptions, .make = make};

}  // namespace cqtcnn::nn
