// Shared shape logic of max_pool2d and avg_pool2d (PyTorch's MaxPool2d / AvgPool2d).
#pragma once

#include "nn/model/layer.hpp"
#include "nn/layers/kernel_geometry.hpp"

namespace cqtcnn::nn {

class Pool2d : public Layer {
 public:
  explicit Pool2d(KernelGeometry w) : kernel_(w) {}
  std::string describe() const override { return kernel_.describe(); }
  Shape output_shape(Shape in) const override {
    const auto [oh, ow] = kernel_.output_hw(in);
    return {in.c, oh, ow};
  }

 protected:
  KernelGeometry kernel_;
};

// Reads the window; refuses padding above half the kernel as PyTorch does (a window made only
// of padding would have no input to pool).
KernelGeometry read_pool_geometry(LayerSpec& spec);

}  // namespace cqtcnn::nn
