// Exponential linear unit (Clevert et al. 2016): x for x > 0, alpha * (exp(x) - 1) otherwise.
#include "nn/model/layer_kind.hpp"

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

constexpr NumberParam<double> kAlpha{.name = "alpha", .help = "the limit -alpha for x -> -inf", .min = -1e6, .max = 1e6,
                                     .default_value = 1.0};
constexpr LayerOption kOptions[] = {kAlpha};

std::unique_ptr<Layer> make(LayerSpec& spec) { return std::make_unique<Elu>(static_cast<float>(spec.number(kAlpha))); }

}  // namespace

extern const LayerKind elu_layer{
    .type = "elu", .help = "x for x > 0, else alpha * (exp(x) - 1)", .options = kOptions, .make = make};

}  // namespace cqtcnn::nn
