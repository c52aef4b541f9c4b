// Flatten C x H x W into C*H*W features in C, H, W order (PyTorch's Flatten on NCHW): with the
// NCHW layout the data does not move, only the shape changes.
#include "nn/layers/factories.hpp"

namespace cqtcnn::nn {
namespace {

class Flatten : public Layer {
 public:
  std::string type() const override { return "flatten"; }
  Shape output_shape(Shape in) const override { return {in.size(), 1, 1}; }
  bool in_place() const override { return true; }
  void forward(const Tensor& in, Tensor& out, Workspace&) const override {
    if (&in != &out) out = in;
  }
};

}  // namespace

std::unique_ptr<Layer> make_flatten(LayerSpec&) { return std::make_unique<Flatten>(); }

}  // namespace cqtcnn::nn
