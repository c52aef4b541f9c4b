// Global max pooling: the maximum of each channel.
#include "nn/layers/factories.hpp"
#include "nn/layers/global_pool.hpp"

namespace cqtcnn::nn {
namespace {

class GlobalMaxPool : public GlobalPool {
 public:
  std::string type() const override { return "global_max_pool"; }

 protected:
  float reduce(const float* values, std::int64_t count) const override { return max_of(values, count); }
};

}  // namespace

std::unique_ptr<Layer> make_global_max_pool(LayerSpec&) { return std::make_unique<GlobalMaxPool>(); }

}  // namespace cqtcnn::nn
