// Global average pooling: the mean of each channel.
#include "nn/layers/factories.hpp"
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

std::unique_ptr<Layer> make_global_avg_pool(LayerSpec&) { return std::make_unique<GlobalAvgPool>(); }

}  // namespace cqtcnn::nn
