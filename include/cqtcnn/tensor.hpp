// Activation tensors for the CNN engine. Layout is NCHW (as PyTorch): a batch of N samples, each
// C channels of H rows by W columns, stored contiguously with W varying fastest. A flattened
// vector of F features is the shape F x 1 x 1; a sequence of T steps of F features (the input
// and output of a recurrent layer) is F x 1 x T, time on the W axis as in the CQT image.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cqtcnn {

// The shape of one sample (the batch size is kept separately in Tensor::n).
struct Shape {
  std::int64_t c = 0;
  std::int64_t h = 0;
  std::int64_t w = 0;

  std::int64_t size() const { return c * h * w; }
  std::int64_t plane() const { return h * w; }
  std::string str() const { return std::to_string(c) + "x" + std::to_string(h) + "x" + std::to_string(w); }
  friend bool operator==(const Shape&, const Shape&) = default;
};

struct Tensor {
  std::int64_t n = 0;  // batch size
  Shape shape;
  std::vector<float> data;  // n * shape.size() values, NCHW (at least that many after fit())

  Tensor() = default;
  Tensor(std::int64_t batch, Shape s) : n(batch), shape(s), data(static_cast<std::size_t>(batch * s.size())) {}

  // Resizes in place, keeping the allocation when it is large enough.
  void reshape(std::int64_t batch, Shape s) {
    n = batch;
    shape = s;
    data.resize(static_cast<std::size_t>(batch * s.size()));
  }
  // As reshape, but never shrinks `data`: for scratch tensors reused across calls of different
  // sizes (growing a vector zero-fills, which cost more than the layers). Use count(), not
  // data.size(), for the number of values of such a tensor.
  void fit(std::int64_t batch, Shape s) {
    n = batch;
    shape = s;
    if (data.size() < count()) data.resize(count());
  }
  std::size_t count() const { return static_cast<std::size_t>(n * shape.size()); }
  float* sample(std::int64_t i) { return data.data() + i * shape.size(); }
  const float* sample(std::int64_t i) const { return data.data() + i * shape.size(); }
};

}  // namespace cqtcnn
