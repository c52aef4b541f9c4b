// Pooling a sequence over time: F x 1 x T -> F x 1 x 1, the mean, the maximum or the last step
// of each feature (PyTorch: x.mean(1), x.amax(1), x[:, -1] on batch-first [N, T, F]). For a
// bidirectional gru's sequence, "last" is its output at the last step: the forward direction's
// final state beside the backward direction's state after one step (the gru's own "return":
// "last" gives both directions' final states).
#include "nn/model/layer_kind.hpp"
#include "nn/layers/global_pool.hpp"
#include "nn/layers/sequence.hpp"

#include <string_view>

namespace cqtcnn::nn {
namespace {

enum class Mode { mean, max, last };
constexpr std::string_view kModeNames[] = {"mean", "max", "last"};  // in Mode's order

class TimePool : public GlobalPool {
 public:
  explicit TimePool(Mode mode) : mode_(mode) {}
  std::string type() const override { return "time_pool"; }
  std::string describe() const override { return std::string(kModeNames[static_cast<std::size_t>(mode_)]); }
  Shape output_shape(Shape in) const override {
    require_sequence(in);
    return GlobalPool::output_shape(in);
  }

 protected:
  float reduce(const float* values, std::int64_t count) const override {
    switch (mode_) {
      case Mode::mean: return mean_of(values, count);
      case Mode::max: return max_of(values, count);
      case Mode::last: break;
    }
    return values[count - 1];
  }

 private:
  Mode mode_;
};

constexpr ChoiceParam kMode{.name = "mode", .help = "the mean, the maximum or the last step", .choices = kModeNames,
                            .required = true};
constexpr LayerOption kOptions[] = {kMode};

std::unique_ptr<Layer> make(LayerSpec& spec) { return std::make_unique<TimePool>(static_cast<Mode>(spec.choice(kMode))); }

}  // namespace

extern const LayerKind time_pool_layer{
    .type = "time_pool",
    .help = "F x 1 x T -> F x 1 x 1, each feature pooled over time",
    .options = kOptions, .make = make};

}  // namespace cqtcnn::nn
