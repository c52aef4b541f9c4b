// Gated recurrent unit over a sequence (PyTorch's nn.GRU with batch_first, eval mode; the
// arithmetic is in nn/gru_ops.hpp): num_layers stacked layers, optionally bidirectional, whose
// output is the whole sequence of the top layer's states (features x 1 x steps) or, with
// "return": "last", each direction's final state (features x 1 x 1: the forward cell's state
// after the last step, then the backward cell's after the first, PyTorch's h_n of the top
// layer). Weights are named as in nn.GRU's state_dict: weight_ih_l0, ..., bias_hh_l1_reverse.
#include "nn/kernels/gru_ops.hpp"
#include "nn/model/layer_kind.hpp"
#include "nn/layers/sequence.hpp"

namespace cqtcnn::nn {
namespace {

class Gru : public Layer {
 public:
  Gru(GruShape shape, const std::vector<GruCell>& cells, std::int64_t parameters)
      : shape_(shape), packed_(pack_gru(shape, cells)), parameters_(parameters) {}

  std::string type() const override { return "gru"; }
  std::string describe() const override {
    return std::to_string(shape_.input_size) + "->" + std::to_string(shape_.hidden) +
           (shape_.layers > 1 ? " x" + std::to_string(shape_.layers) : "") + (shape_.directions == 2 ? " bi" : "") +
           (shape_.last ? " last" : " sequence");
  }
  Shape output_shape(Shape in) const override {
    require_sequence(in);
    if (in.c != shape_.input_size)
      throw InvalidInput("input size " + std::to_string(shape_.input_size) + " does not match the sequence's " +
                         std::to_string(in.c) + " features");
    return sequence_shape(shape_.features(), shape_.last ? 1 : in.w);
  }
  void forward(const Tensor& in, Tensor& out, Workspace& ws) const override {
    for (std::int64_t b = 0; b < in.n; ++b) gru_fast(shape_, packed_, in.sample(b), in.shape.w, out.sample(b), ws);
  }
  std::int64_t parameter_count() const override { return parameters_; }
  std::int64_t multiply_adds(Shape in) const override {
    std::int64_t per_step = 0;
    for (std::int64_t layer = 0; layer < shape_.layers; ++layer)
      per_step += shape_.directions * 3 * shape_.hidden * (shape_.layer_input(layer) + shape_.hidden);
    return per_step * in.w;
  }

 private:
  GruShape shape_;
  GruPacked packed_;
  std::int64_t parameters_;
};

constexpr NumberParam<int> kInput{.name = "input_size", .help = "features of each step of the input sequence", .min = 1,
                                  .max = 1 << 26, .required = true};
constexpr NumberParam<int> kHidden{.name = "hidden_size", .help = "features of each direction's state", .min = 1,
                                   .max = 1 << 16, .required = true};
constexpr NumberParam<int> kLayers{.name = "num_layers", .help = "stacked layers, each reading the one before", .min = 1,
                                   .max = 64, .default_value = 1};
constexpr FlagParam kBidirectional{.name = "bidirectional", .help = "a second cell runs from the last step to the first",
                                   .default_value = false};
constexpr FlagParam kCellBias{.name = "bias", .help = "whether the cells have biases", .default_value = true};
constexpr std::string_view kReturns[] = {"sequence", "last"};
constexpr ChoiceParam kReturn{.name = "return",
                              .help = "the top layer's output at every step, or each direction's final state",
                              .choices = kReturns, .required = true};
constexpr LayerOption kOptions[] = {kInput, kHidden, kLayers, kBidirectional, kCellBias, kReturn};
// PyTorch's nn.GRU names, matched by a pattern: the factory reads those the options call for.
constexpr LayerWeight kWeights[] = {
    {"^(weight|bias)_(ih|hh)_l[0-9]+(_reverse)?$",
     "for each layer k: `weight_ih_l{k}` [3·hidden_size, in_k], `weight_hh_l{k}` [3·hidden_size, hidden_size], "
     "`bias_ih_l{k}` and `bias_hh_l{k}` [3·hidden_size] if `bias`; the same with `_reverse` if `bidirectional`",
     true}};

std::unique_ptr<Layer> make(LayerSpec& spec) {
  GruShape shape;
  shape.input_size = spec.integer(kInput);
  shape.hidden = spec.integer(kHidden);
  shape.layers = spec.integer(kLayers);
  shape.directions = spec.boolean(kBidirectional) ? 2 : 1;
  const bool has_bias = spec.boolean(kCellBias);
  shape.last = kReturns[spec.choice(kReturn)] == "last";
  const std::int64_t rows = 3 * shape.hidden;
  std::vector<GruCell> cells;
  std::int64_t parameters = 0;
  for (std::int64_t layer = 0; layer < shape.layers; ++layer)
    for (std::int64_t d = 0; d < shape.directions; ++d) {
      const std::string suffix = "_l" + std::to_string(layer) + (d == 1 ? "_reverse" : "");
      GruCell c;
      c.weight_ih = spec.weight("weight_ih" + suffix, {rows, shape.layer_input(layer)});
      c.weight_hh = spec.weight("weight_hh" + suffix, {rows, shape.hidden});
      c.bias_ih = has_bias ? spec.weight("bias_ih" + suffix, {rows}) : std::vector<float>(rows, 0.0F);
      c.bias_hh = has_bias ? spec.weight("bias_hh" + suffix, {rows}) : std::vector<float>(rows, 0.0F);
      parameters += static_cast<std::int64_t>(c.weight_ih.size() + c.weight_hh.size()) + (has_bias ? 2 * rows : 0);
      cells.push_back(std::move(c));
    }
  return std::make_unique<Gru>(shape, cells, parameters);
}

}  // namespace

extern const LayerKind gru_layer{
    .type = "gru",
    .help = "gated recurrent unit over a sequence (PyTorch's nn.GRU, batch_first, eval mode)",
    .options = kOptions, .weights = kWeights, .make = make};

}  // namespace cqtcnn::nn
