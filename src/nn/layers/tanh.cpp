// Hyperbolic tangent.
#include "nn/model/layer_kind.hpp"

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

extern const LayerKind tanh_layer = without_options<Tanh>("tanh", "tanh(x)");

}  // namespace cqtcnn::nn
