// Flatten C x H x W into C*H*W features in C, H, W order (PyTorch's Flatten on NCHW): with the
// NCHW layout the data does not move, only the shape changes.
#include "nn/model/layer_kind.hpp"

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

extern const LayerKind flatten_layer =
    without_options<Flatten>("flatten", "C x H x W -> C·H·W x 1 x 1, in C, H, W order (PyTorch's Flatten)");

}  // namespace cqtcnn::nn
