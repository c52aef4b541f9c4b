// Running a loaded model: the execution plan (batch norms folded into the conv2d/dense before
// them, activations and a 2x2 max pool fused into it, dropout skipped), batch execution with two ping-pong
// buffers, threads, the summary and the test-vector check.
#include "nn/model/model_impl.hpp"

#include "base/copy.hpp"
#include "base/parallel.hpp"
#include "cqtcnn/error.hpp"
#include "nn/kernels/conv_ops.hpp"
#include "nn/kernels/softmax.hpp"

#include <algorithm>
#include <cmath>

namespace cqtcnn {

Model::Model(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Model::Model(Model&&) noexcept = default;
Model& Model::operator=(Model&&) noexcept = default;
Model::~Model() = default;

void Model::Impl::build_plan() {
  folded.assign(layers.size(), false);
  Layer* affine_target = nullptr;      // the last planned layer, if a batch norm may fold into it
  Layer* activation_target = nullptr;  // the same, if an activation may fuse into it
  Layer* pool_target = nullptr;        // the same, if a max pool may fuse into it
  std::vector<float> scale, shift;
  std::int64_t pool_rows = 0, pool_cols = 0;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    Layer& layer = *layers[i];
    const auto* elementwise = dynamic_cast<const ElementwiseLayer*>(&layer);
    if (layer.is_identity()) {
      folded[i] = true;
    } else if (affine_target && layer.channel_affine(scale, shift) && affine_target->absorb_affine(scale, shift)) {
      folded[i] = true;
    } else if (elementwise && activation_target && activation_target->absorb_activation(elementwise)) {
      folded[i] = true;
      affine_target = activation_target = nullptr;  // y = f(conv): a later affine map cannot move inside f
    } else if (pool_target && layer.plain_max_pool(pool_rows, pool_cols) &&
               pool_target->absorb_max_pool(pool_rows, pool_cols)) {
      folded[i] = true;
      affine_target = activation_target = pool_target = nullptr;  // nothing moves inside the pool
    } else {
      plan.push_back(i);
      affine_target = activation_target = pool_target = &layer;
    }
  }
  for (const std::size_t i : plan) layers[i]->prepare();
}

// The shape a plan step produces: that of the last layer folded into it.
Shape Model::Impl::step_shape(std::size_t step) const {
  return step + 1 < plan.size() ? shapes[plan[step + 1] - 1] : shapes.back();
}

const std::string& Model::name() const { return impl_->name; }
const std::vector<std::string>& Model::labels() const { return impl_->labels; }
Shape Model::input_shape() const { return impl_->input_shape; }
Shape Model::output_shape() const { return impl_->shapes.back(); }
const std::vector<TestVector>& Model::test_vectors() const { return impl_->test_vectors; }
std::string Model::metadata_json() const { return impl_->metadata.dump(); }
bool Model::ends_in_softmax() const { return impl_->layers.back()->type() == "softmax"; }

// Per-thread buffers kept across calls: allocating (and the kernel zeroing) a few hundred KB per
// call was a measurable share of a small network's time.
struct Model::Impl::Buffers {
  Workspace ws;
  Tensor a, b;        // ping-pong activations
  Tensor slice, mid;  // one sample of the input; the whole batch's output of the per-sample steps
};

// Runs plan steps [first, last) on `input` and returns the tensor holding their output: `input`
// itself if no step ran, else one of the ping-pong buffers.
const Tensor& Model::Impl::run_range(const Tensor& input, std::size_t first, std::size_t last, Buffers& buf) const {
  Tensor* cur = nullptr;  // null while the activation is still `input`
  for (std::size_t s = first; s < last; ++s) {
    const Layer& layer = *layers[plan[s]];
    if (layer.in_place()) {
      if (!cur) {
        buf.a.fit(input.n, input.shape);
        copy_floats(input.data.data(), input.count(), buf.a.data.data());
        cur = &buf.a;
      }
      layer.forward(*cur, *cur, buf.ws);
      cur->shape = step_shape(s);
    } else {
      const Tensor& src = cur ? *cur : input;
      Tensor* dst = cur == &buf.a ? &buf.b : &buf.a;
      dst->fit(src.n, step_shape(s));
      layer.forward(src, *dst, buf.ws);
      cur = dst;
    }
  }
  return cur ? *cur : input;
}

void Model::Impl::run_steps(const Tensor& input, std::size_t step_count, Tensor& result) const {
  thread_local Buffers buf;
  // The steps before the first that batches() run one sample at a time, so that a sample's
  // activations stay in the core's cache from one layer to the next instead of a whole batch's
  // going through memory between layers (chunks of 4 samples measured slower than 1 on a 1 MiB
  // L2). Every layer computes each sample alone, so the numbers are those of one call per step.
  std::size_t split = 0;
  while (split < step_count && !layers[plan[split]]->batches()) ++split;
  const Tensor* out = nullptr;
  if (split == 0 || input.n == 1) {
    out = &run_range(input, 0, step_count, buf);
  } else {
    buf.mid.fit(input.n, step_shape(split - 1));
    buf.slice.fit(1, input.shape);
    for (std::int64_t i = 0; i < input.n; ++i) {
      copy_floats(input.sample(i), buf.slice.count(), buf.slice.data.data());
      const Tensor& part = run_range(buf.slice, 0, split, buf);
      copy_floats(part.data.data(), part.count(), buf.mid.sample(i));
    }
    out = &run_range(buf.mid, split, step_count, buf);
  }
  result.reshape(out->n, out->shape);
  copy_floats(out->data.data(), result.count(), result.data.data());
}

Tensor Model::run(const Tensor& input, Output output, const RunOptions& options) const {
  if (input.shape != impl_->input_shape)
    throw InvalidInput(impl_->name + ": input shape " + input.shape.str() + " does not match the model's input " +
                       impl_->input_shape.str());
  if (static_cast<std::int64_t>(input.data.size()) != input.n * input.shape.size())
    throw InvalidInput(impl_->name + ": input tensor holds " + std::to_string(input.data.size()) + " values, expected " +
                       std::to_string(input.n * input.shape.size()));
  std::size_t steps = impl_->plan.size();
  if (output != Output::network && ends_in_softmax()) --steps;  // softmax is always last in plan
  const std::int64_t threads = std::clamp<std::int64_t>(options.threads, 1, std::max<std::int64_t>(input.n, 1));
  Tensor result;
  if (threads <= 1) {
    impl_->run_steps(input, steps, result);
  } else {
    // Batch parallelism: each thread runs whole samples, the calling thread among them (its
    // buffers, thread_local in run_steps, outlive the call).
    std::vector<Tensor> parts(static_cast<std::size_t>(threads));
    const std::int64_t per = (input.n + threads - 1) / threads;
    parallel_for(parts.size(), int(threads), [&](std::size_t t) {
      const std::int64_t begin = std::min(input.n, std::int64_t(t) * per), end = std::min(input.n, begin + per);
      Tensor slice(end - begin, input.shape);
      copy_floats(input.sample(begin), slice.data.size(), slice.data.data());
      impl_->run_steps(slice, steps, parts[t]);
    });
    result.reshape(0, parts.front().shape);
    for (auto& part : parts) result.data.insert(result.data.end(), part.data.begin(), part.data.end());
    result.n = input.n;
  }
  if (output == Output::probabilities) nn::softmax_channels(result);
  return result;
}

std::vector<LayerSummary> Model::summary() const {
  std::vector<LayerSummary> rows;
  Shape in = impl_->input_shape;
  for (std::size_t i = 0; i < impl_->layers.size(); ++i) {
    const Layer& layer = *impl_->layers[i];
    rows.push_back({layer.type(), layer.describe(), impl_->shapes[i], layer.parameter_count(), layer.multiply_adds(in),
                    impl_->folded[i]});
    in = impl_->shapes[i];
  }
  return rows;
}

std::vector<TestVectorResult> Model::verify() const {
  std::vector<TestVectorResult> results;
  for (std::size_t k = 0; k < impl_->test_vectors.size(); ++k) {
    const TestVector& tv = impl_->test_vectors[k];
    const Tensor y = run(tv.input, Output::network);
    float worst = 0;
    for (std::size_t i = 0; i < y.data.size(); ++i) worst = std::max(worst, std::abs(y.data[i] - tv.output[i]));
    results.push_back({k, worst, tv.tolerance, worst <= tv.tolerance});
  }
  return results;
}

}  // namespace cqtcnn
