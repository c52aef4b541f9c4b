// Global pooling: C x H x W -> C x 1 x 1 (PyTorch's AdaptiveAvgPool2d(1) / AdaptiveMaxPool2d(1)),
// and the reductions it and time_pool share.
#pragma once

#include "nn/model/layer.hpp"

#include <algorithm>

namespace cqtcnn::nn {

inline float mean_of(const float* values, std::int64_t count) {
  double sum = 0;
  for (std::int64_t i = 0; i < count; ++i) sum += values[i];
  return static_cast<float>(sum / static_cast<double>(count));
}

inline float max_of(const float* values, std::int64_t count) { return *std::max_element(values, values + count); }

class GlobalPool : public Layer {
 public:
  Shape output_shape(Shape in) const override { return {in.c, 1, 1}; }
  void forward(const Tensor& in, Tensor& out, Workspace&) const override {
    const std::int64_t plane = in.shape.plane();
    for (std::int64_t b = 0; b < in.n; ++b)
      for (std::int64_t c = 0; c < in.shape.c; ++c) out.sample(b)[c] = reduce(in.sample(b) + c * plane, plane);
  }

 protected:
  virtual float reduce(const float* values, std::int64_t count) const = 0;
};

}  // namespace cqtcnn::nn
