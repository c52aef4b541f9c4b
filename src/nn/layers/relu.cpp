// Rectified linear unit, max(x, 0).
#include "nn/model/layer_kind.hpp"

#include <cmath>

namespace cqtcnn::nn {
namespace {

class Relu : public ElementwiseLayer {
 public:
  std::string type() const override { return "relu"; }
  void apply(float* values, std::size_t count) const override {
    for (std::size_t i = 0; i < count; ++i) {
      const float v = values[i];
      values[i] = v > 0.0F ? v : 0.0F;
    }
  }
};

}  // namespace

extern const LayerKind relu_layer = without_options<Relu>("relu", "max(x, 0)");

}  // namespace cqtcnn::nn
