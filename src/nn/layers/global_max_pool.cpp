// Global max pooling: the maximum of each channel.
#include "nn/model/layer_kind.hpp"
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

extern const LayerKind global_max_pool_layer =
    without_options<GlobalMaxPool>("global_max_pool", "C x H x W -> C x 1 x 1, the maximum of each channel");

}  // namespace cqtcnn::nn
