// Global average pooling: the mean of each channel.
#include "nn/model/layer_kind.hpp"
#include "nn/layers/global_pool.hpp"

namespace cqtcnn::nn {
namespace {

class GlobalAvgPool : public GlobalPool {
 public:
  std::string type() const override { return "global_avg_pool"; }

 protected:
  float reduce(const float* values, std::int64_t count) const override { return mean_of(values, count); }
};

}  // namespace

extern const LayerKind global_avg_pool_layer =
    without_options<GlobalAvgPool>("global_avg_pool", "C x H x W -> C x 1 x 1, the mean of each channel");

}  // namespace cqtcnn::nn
