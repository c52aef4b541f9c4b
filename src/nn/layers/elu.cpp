// Exponential linear unit (Clevert et al. 2016): x for x > 0, alpha * (exp(x) - 1) otherwise.
#include "nn/layers/factories.hpp"

#include <cmath>

namespace cqtcnn::nn {
namespace {

class Elu : public ElementwiseLayer {
 public:
  explicit Elu(float alpha) : alpha_(alpha) {}
  std::string type() const override { return "elu"; }
  std::string describe() const override { return "alpha " + std::to_string(alpha_); }
  void apply(float* values, std::size_t count) const override {
    for (std::size_t i = 0; i < count; ++i) values[i] = values[i] > 0.0F ? values[i] : alpha_ * std::expm1(values[i]);
  }

 private:
  float alpha_;
};

}  // namespace

std::unique_ptr<Layer> make_elu(LayerSpec& spec) {
  return std::make_unique<Elu>(static_cast<float>(spec.number("alpha", -1e6, 1e6, 1.0)));
}

}  // namespace cqtcnn::nn
