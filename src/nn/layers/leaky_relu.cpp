// Leaky ReLU: x for x >= 0, negative_slope * x otherwise (PyTorch's default slope 0.01).
#include "nn/layers/factories.hpp"

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

}  // namespace

std::unique_ptr<Layer> make_leaky_relu(LayerSpec& spec) {
  return std::make_unique<LeakyRelu>(static_cast<float>(spec.number("negative_slope", -1e6, 1e6, 0.01)));
}

}  // namespace cqtcnn::nn
