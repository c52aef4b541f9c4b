// Dropout: the identity at inference (PyTorch eval mode); kept so exported models load as they
// were trained. The rate is recorded for the summary only.
#include "nn/model/layer_kind.hpp"

namespace cqtcnn::nn {
namespace {

class Dropout : public ElementwiseLayer {
 public:
  explicit Dropout(double rate) : rate_(rate) {}
  std::string type() const override { return "dropout"; }
  std::string describe() const override { return "rate " + std::to_string(rate_).substr(0, 4); }
  void apply(float*, std::size_t) const override {}
  bool is_identity() const override { return true; }

 private:
  double rate_;
};

constexpr NumberParam<double> kRate{.name = "rate", .help = "the fraction dropped in training (kept for the summary)",
                                    .min = 0, .max = 1, .default_value = 0.5};
constexpr LayerOption kOptions[] = {kRate};

std::unique_ptr<Layer> make(LayerSpec& spec) { return std::make_unique<Dropout>(spec.number(kRate)); }

}  // namespace

extern const LayerKind dropout_layer{
    .type = "dropout", .help = "the identity at inference", .options = kOptions, .make = make};

}  // namespace cqtcnn::nn
