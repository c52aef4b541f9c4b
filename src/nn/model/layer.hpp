// The one interface every CNN layer kind implements (src/nn/layers/, one file per kind). A layer
// is built from its JSON description by a factory in the name -> factory table
// (src/nn/model/layer_registry.cpp); the model then asks it for its output shape, runs it, and counts
// its parameters and multiply-adds for `cqtcnn inspect`.
#pragma once

#include "cqtcnn/tensor.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace cqtcnn {

// Scratch memory a layer may use during forward (im2col buffers); one per thread of execution.
struct Workspace {
  std::vector<float> scratch;
  float* get(std::size_t count) {
    if (scratch.size() < count) scratch.resize(count);
    return scratch.data();
  }
};

class ElementwiseLayer;

class Layer {
 public:
  virtual ~Layer() = default;

  virtual std::string type() const = 0;
  // One-line description of the options for the summary, e.g. "16 3x3 s1 pad 1,1,1,1".
  virtual std::string describe() const { return ""; }

  // The output shape for an input shape; throws InvalidInput saying which sizes do not fit (the
  // model adds the file, the layer index and the type).
  virtual Shape output_shape(Shape in) const = 0;

  // Computes `out` (already sized by the caller to in.n x output_shape(in.shape)). Layers that
  // run in place (in_place() true) are called with &in == &out.
  virtual void forward(const Tensor& in, Tensor& out, Workspace& ws) const = 0;
  virtual bool in_place() const { return false; }
  // True for a layer that costs less per sample in a larger batch, because one call reads its
  // weights once for every sample (dense). The model runs the layers before the first such
  // layer one sample at a time, so that a sample's activations stay in cache.
  virtual bool batches() const { return false; }

  virtual std::int64_t parameter_count() const { return 0; }
  // Multiply-adds for one sample (convolutions and dense layers; other layers count 0).
  virtual std::int64_t multiply_adds(Shape /*in*/) const { return 0; }

  // Load-time optimisations. A layer that computes a per-output-channel affine map can absorb a
  // following batch normalisation y = x*scale + shift, and an elementwise activation run on its
  // output while it is still in cache. Both return false when not supported.
  virtual bool absorb_affine(std::span<const float> /*scale*/, std::span<const float> /*shift*/) {
    return false;
  }
  virtual bool absorb_activation(const ElementwiseLayer* /*activation*/) { return false; }
  // A layer may also take over a following max pool of a window of `rows` x `cols` with the
  // window as its stride (no padding or dilation, floor mode), pooling its rows as it stores them;
  // its output then has the pool's shape. A max pool says which window it is, if it is one.
  virtual bool absorb_max_pool(std::int64_t /*rows*/, std::int64_t /*cols*/) { return false; }
  virtual bool plain_max_pool(std::int64_t& /*rows*/, std::int64_t& /*cols*/) const { return false; }
  // A batch normalisation reports its per-channel map y = x*scale + shift so that the model can
  // fold it into the layer before.
  virtual bool channel_affine(std::vector<float>& /*scale*/, std::vector<float>& /*shift*/) const {
    return false;
  }
  // Identity at inference (dropout): dropped from the execution plan.
  virtual bool is_identity() const { return false; }
  // Called once the load-time optimisations are done (after every absorb_*), before the first
  // forward: a layer re-orders its weights for its kernels here, once.
  virtual void prepare() {}
};

// A layer applying the same scalar function to every value: activations. Runs in place.
class ElementwiseLayer : public Layer {
 public:
  Shape output_shape(Shape in) const override { return in; }
  bool in_place() const override { return true; }
  void forward(const Tensor& in, Tensor& out, Workspace&) const override {
    if (&in != &out) out = in;
    apply(out.data.data(), out.count());
  }
  virtual void apply(float* values, std::size_t count) const = 0;
};

}  // namespace cqtcnn
