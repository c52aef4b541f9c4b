// Dropout: the identity at inference (PyTorch eval mode); kept so exported models load as they
// were trained. The rate is recorded for the summary only.
#include "nn/layers/factories.hpp"

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

}  // namespace

std::unique_ptr<Layer> make_dropout(LayerSpec& spec) { return std::make_unique<Dropout>(spec.number("rate", 0, 1, 0.5)); }

}  // namespace cqtcnn::nn
