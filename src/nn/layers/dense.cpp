// Fully connected layer y = W x + b (PyTorch's Linear). Weight [out_features, in_features]. Its
// input must be flat (features x 1 x 1): put a flatten layer before it.
#include "nn/kernels/conv_ops.hpp"
#include "nn/model/layer_kind.hpp"

namespace cqtcnn::nn {
namespace {

class Dense : public Layer {
 public:
  Dense(std::int64_t in, std::int64_t out, std::vector<float> weight, std::vector<float> bias)
      : in_(in), out_(out), weight_(std::move(weight)), bias_(std::move(bias)),
        packed_(pack_dense_weights(weight_.data(), in_, out_)) {}

  std::string type() const override { return "dense"; }
  std::string describe() const override { return std::to_string(in_) + "->" + std::to_string(out_); }
  Shape output_shape(Shape in) const override {
    if (in.h == 1 && in.w > 1)
      throw InvalidInput("expects a flat input (" + std::to_string(in_) + "x1x1), got a sequence of " +
                         std::to_string(in.w) + " steps, " + in.str() +
                         " (reduce it over time first with time_pool or a gru returning \"last\", or add a flatten"
                         " layer)");
    if (in.h != 1 || in.w != 1)
      throw InvalidInput("expects a flat input (" + std::to_string(in_) + "x1x1), got " + in.str() +
                         " (add a flatten layer)");
    if (in.c != in_)
      throw InvalidInput("expects " + std::to_string(in_) + " input features, got " + std::to_string(in.c));
    return {out_, 1, 1};
  }
  void forward(const Tensor& in, Tensor& out, Workspace& ws) const override {
    dense_fast(in.data.data(), in.n, in_, packed_, bias_.empty() ? nullptr : bias_.data(), out_, out.data.data(),
               ws);
    if (activation_) activation_->apply(out.data.data(), out.count());
  }
  bool batches() const override { return true; }
  std::int64_t parameter_count() const override {
    return static_cast<std::int64_t>(weight_.size() + bias_.size());
  }
  std::int64_t multiply_adds(Shape) const override { return in_ * out_; }
  bool absorb_affine(std::span<const float> scale, std::span<const float> shift) override {
    fold_affine(weight_, bias_, out_, scale, shift);
    packed_ = pack_dense_weights(weight_.data(), in_, out_);
    return true;
  }
  bool absorb_activation(const ElementwiseLayer* activation) override {
    if (activation_) return false;
    activation_ = activation;
    return true;
  }

 private:
  std::int64_t in_, out_;
  std::vector<float> weight_, bias_;
  DenseWeights packed_;  // weight_ transposed for the kernel
  const ElementwiseLayer* activation_ = nullptr;
};

constexpr int kMaxFeatures = 1 << 26;
constexpr NumberParam<int> kIn{.name = "in_features",
                               .help = "features of the input, which must be flat (put flatten before it)",
                               .min = 1, .max = kMaxFeatures, .required = true};
constexpr NumberParam<int> kOut{.name = "out_features", .help = "features of the output", .min = 1, .max = kMaxFeatures,
                                .required = true};
constexpr LayerOption kOptions[] = {kIn, kOut, kBias};
constexpr LayerWeight kWeight{"weight", "[out_features, in_features]"};
constexpr LayerWeight kBiasWeight{"bias", "[out_features], if `bias`"};
constexpr LayerWeight kWeights[] = {kWeight, kBiasWeight};

std::unique_ptr<Layer> make(LayerSpec& spec) {
  const std::int64_t in = spec.integer(kIn);
  const std::int64_t out = spec.integer(kOut);
  const bool has_bias = spec.boolean(kBias);
  auto weight = spec.weight(kWeight, {out, in});
  std::vector<float> bias = has_bias ? spec.weight(kBiasWeight, {out}) : std::vector<float>{};
  return std::make_unique<Dense>(in, out, std::move(weight), std::move(bias));
}

}  // namespace

extern const LayerKind dense_layer{
    .type = "dense",
    .help = "fully connected, y = W x + b (PyTorch's Linear)",
    .options = kOptions, .weights = kWeights, .make = make};

}  // namespace cqtcnn::nn
