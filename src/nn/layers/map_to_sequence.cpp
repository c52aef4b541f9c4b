// A convolutional map [C, H, W] read as a sequence over its W frames of C*H features (features in
// C, H order: PyTorch's x.permute(0, 3, 1, 2).reshape(N, W, C*H)), the shape C*H x 1 x W
// (nn/layers/sequence.hpp). With the engine's layouts the data does not move.
#include "nn/model/layer_kind.hpp"
#include "nn/layers/sequence.hpp"

namespace cqtcnn::nn {
namespace {

class MapToSequence : public Layer {
 public:
  std::string type() const override { return "map_to_sequence"; }
  Shape output_shape(Shape in) const override { return sequence_shape(in.c * in.h, in.w); }
  bool in_place() const override { return true; }
  void forward(const Tensor& in, Tensor& out, Workspace&) const override {
    if (&in != &out) out = in;
  }
};

}  // namespace

extern const LayerKind map_to_sequence_layer =
    without_options<MapToSequence>("map_to_sequence", "C x H x W -> a sequence of W steps of C·H features, C·H x 1 x W");

}  // namespace cqtcnn::nn
