// The inverse of map_to_sequence: a sequence of T steps of F features back to a map of
// `channels` x F/channels x T (PyTorch: x.reshape(N, T, C, F // C).permute(0, 2, 3, 1)), so that
// convolutions can follow a recurrent layer. The data does not move.
#include "nn/model/layer_kind.hpp"
#include "nn/layers/sequence.hpp"

namespace cqtcnn::nn {
namespace {

class SequenceToMap : public Layer {
 public:
  explicit SequenceToMap(std::int64_t channels) : channels_(channels) {}
  std::string type() const override { return "sequence_to_map"; }
  std::string describe() const override { return "channels " + std::to_string(channels_); }
  Shape output_shape(Shape in) const override {
    require_sequence(in);
    if (in.c % channels_ != 0)
      throw InvalidInput("channels " + std::to_string(channels_) + " do not divide the sequence's " +
                         std::to_string(in.c) + " features");
    return {channels_, in.c / channels_, in.w};
  }
  bool in_place() const override { return true; }
  void forward(const Tensor& in, Tensor& out, Workspace&) const override {
    if (&in != &out) out = in;
  }

 private:
  std::int64_t channels_;
};

constexpr NumberParam<int> kChannels{.name = "channels", .help = "channels C of the map; they must divide the features F",
                                     .min = 1, .max = 1 << 16, .required = true};
constexpr LayerOption kOptions[] = {kChannels};

std::unique_ptr<Layer> make(LayerSpec& spec) { return std::make_unique<SequenceToMap>(spec.integer(kChannels)); }

}  // namespace

extern const LayerKind sequence_to_map_layer{
    .type = "sequence_to_map",
    .help = "F x 1 x T -> C x F/C x T, the inverse of map_to_sequence",
    .options = kOptions, .make = make};

}  // namespace cqtcnn::nn
