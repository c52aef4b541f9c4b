// Logistic sigmoid 1 / (1 + exp(-x)).
#include "nn/model/layer_kind.hpp"

#include <cmath>

namespace cqtcnn::nn {
namespace {

class Sigmoid : public ElementwiseLayer {
 public:
  std::string type() const override { return "sigmoid"; }
  void apply(float* values, std::size_t count) const override {
    for (std::size_t i = 0; i < count; ++i) {
      const float v = values[i];
      values[i] = 1.0F / (1.0F + std::exp(-v));
    }
  }
};

}  // namespace

extern const LayerKind sigmoid_layer = without_options<Sigmoid>("sigmoid", "1 / (1 + exp(-x))");

}  // namespace cqtcnn::nn
