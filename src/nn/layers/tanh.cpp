// Hyperbolic tangent.
#include "nn/layers/factories.hpp"

#include <cmath>

namespace cqtcnn::nn {
namespace {

class Tanh : public ElementwiseLayer {
 public:
  std::string type() const override { return "tanh"; }
  void apply(float* values, std::size_t count) const override {
    for (std::size_t i = 0; i < count; ++i) {
      const float v = values[i];
      values[i] = std::tanh(v);
    }
  }
};

}  // namespace

std::unique_ptr<Layer> make_tanh(LayerSpec&) { return std::make_unique<Tanh>(); }

}  // namespace cqtcnn::nn
