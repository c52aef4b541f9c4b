// 2-D convolution (cross-correlation, as PyTorch's Conv2d) with stride, dilation, padding and
// groups (groups == in_channels is a depthwise convolution). Weight [out, in/groups, kh, kw].
#include "nn/kernels/conv_ops.hpp"
#include "nn/model/layer_kind.hpp"
#include "nn/layers/kernel_geometry.hpp"

namespace cqtcnn::nn {
namespace {

class Conv2d : public Layer {
 public:
  Conv2d(std::int64_t in, std::int64_t out, KernelGeometry w, std::int64_t groups, std::vector<float> weight,
         std::vector<float> bias)
      : in_(in), out_(out), kernel_(w), groups_(groups), weight_(std::move(weight)), bias_(std::move(bias)) {}

  std::string type() const override { return "conv2d"; }
  std::string describe() const override {
    return std::to_string(in_) + "->" + std::to_string(out_) + " " + kernel_.describe() +
           (groups_ > 1 ? " groups " + std::to_string(groups_) : "");
  }
  Shape output_shape(Shape in) const override {
    if (in.c != in_)
      throw InvalidInput("expects " + std::to_string(in_) + " input channels, got " + std::to_string(in.c));
    const auto [oh, ow] = kernel_.output_hw(in);
    return {out_, oh, ow};
  }
  // `out` has the pooled shape when a max pool was absorbed.
  void forward(const Tensor& in, Tensor& out, Workspace& ws) const override {
    const ConvGeometry g = geometry(in.shape, output_shape(in.shape));
    const ConvWeights w{weight_.data(), packed_.empty() ? nullptr : packed_.data(),
                        bias_.empty() ? nullptr : bias_.data(), winograd_.empty() ? nullptr : winograd_.data()};
    for (std::int64_t b = 0; b < in.n; ++b)
      conv2d_fast(g, in.sample(b), w, out.sample(b), ws, {activation_, pool_});
  }
  std::int64_t parameter_count() const override {
    return static_cast<std::int64_t>(weight_.size() + bias_.size());
  }
  std::int64_t multiply_adds(Shape in) const override {
    const Shape o = output_shape(in);
    return o.size() * (in_ / groups_) * kernel_.kh * kernel_.kw;
  }
  bool absorb_affine(std::span<const float> scale, std::span<const float> shift) override {
    if (pool_ != FusedPool::none) return false;  // the pool came first: its output is not per-channel affine in ours
    fold_affine(weight_, bias_, out_, scale, shift);
    return true;
  }
  bool absorb_activation(const ElementwiseLayer* activation) override {
    if (activation_ || pool_ != FusedPool::none) return false;
    activation_ = activation;
    return true;
  }
  // Weights packed once the model's plan is final (a batch norm folded in changes them); a layer
  // run without it packs them on the fly, at every call.
  void prepare() override { pack(); }
  bool absorb_max_pool(std::int64_t rows, std::int64_t cols) override {
    if (pool_ != FusedPool::none || !packs_weights(out_, groups_) || kernel_.sh != 1 || kernel_.sw != 1) return false;
    if (rows == 2 && cols == 2) pool_ = FusedPool::pool_2x2;
    else if (rows == 2 && cols == 1) pool_ = FusedPool::pool_2x1;
    return pool_ != FusedPool::none;
  }

 private:
  // Winograd's transformed weights where it serves this layer (conv2d_fast then uses nothing
  // else), else the tiled kernel's weight order when that kernel serves its channels.
  void pack() {
    packed_.clear();
    winograd_.clear();
    const KernelGeometry& k = kernel_;
    if (winograd_layer(k.kh, k.kw, k.sh, k.sw, k.dh, k.dw, groups_, in_, out_))
      winograd_ = pack_winograd_weights(weight_.data(), out_, in_, groups_);
    else if (packs_weights(out_, groups_))
      packed_ = pack_tiled_weights(weight_.data(), out_, in_ / groups_, groups_, kernel_.kh * kernel_.kw);
  }

  ConvGeometry geometry(Shape in, Shape out) const {
    const Padding p = kernel_.resolve(in);
    const KernelGeometry& k = kernel_;
    return {in, out, k.kh, k.kw, k.sh, k.sw, k.dh, k.dw, p.top, p.left, groups_};
  }

  std::int64_t in_, out_;
  KernelGeometry kernel_;
  std::int64_t groups_;
  std::vector<float> weight_, bias_, packed_, winograd_;
  const ElementwiseLayer* activation_ = nullptr;
  FusedPool pool_ = FusedPool::none;  // a following max pool that runs in our output stage
};

constexpr int kMaxChannels = 1 << 16;
constexpr NumberParam<int> kIn{.name = "in_channels", .help = "channels of the input", .min = 1, .max = kMaxChannels,
                               .required = true};
constexpr NumberParam<int> kOut{.name = "out_channels", .help = "channels of the output", .min = 1,
                                .max = kMaxChannels, .required = true};
constexpr NumberParam<int> kGroups{.name = "groups", .help = "channel groups (groups == in_channels: depthwise)",
                                   .min = 1, .max = kMaxChannels, .default_value = 1};
constexpr LayerOption kOptions[] = {kIn, kOut, geometry::kernel_size, geometry::stride, geometry::padding,
                                    geometry::dilation, kGroups, kBias};
constexpr LayerWeight kWeight{"weight", "[out_channels, in_channels / groups, kh, kw]"};
constexpr LayerWeight kBiasWeight{"bias", "[out_channels], if `bias`"};
constexpr LayerWeight kWeights[] = {kWeight, kBiasWeight};

std::unique_ptr<Layer> make(LayerSpec& spec) {
  const std::int64_t in = spec.integer(kIn);
  const std::int64_t out = spec.integer(kOut);
  const std::int64_t groups = spec.integer(kGroups);
  if (in % groups != 0 || out % groups != 0)
    spec.fail(kGroups.name, "in_channels " + std::to_string(in) + " and out_channels " + std::to_string(out) +
                            " must both be divisible by groups " + std::to_string(groups));
  const KernelGeometry geometry = read_kernel_geometry(spec, false);
  const bool has_bias = spec.boolean(kBias);
  auto weight = spec.weight(kWeight, {out, in / groups, geometry.kh, geometry.kw});
  std::vector<float> bias = has_bias ? spec.weight(kBiasWeight, {out}) : std::vector<float>{};
  return std::make_unique<Conv2d>(in, out, geometry, groups, std::move(weight), std::move(bias));
}

}  // namespace

extern const LayerKind conv2d_layer{
    .type = "conv2d",
    .help = "2-D convolution (cross-correlation, PyTorch's Conv2d)",
    .options = kOptions, .weights = kWeights, .make = make};

}  // namespace cqtcnn::nn
