// Occlusion saliency: the occluded copies of the input are run through the model in batches,
// and each drop in probability is added to the cells of its patch.
#include "classify/saliency.hpp"

#include "cqtcnn/error.hpp"

#include <algorithm>

namespace cqtcnn {
namespace {

constexpr std::size_t kBatch = 64;  // occluded inputs per forward pass

struct Patch {
  int row, col;  // first row and column, perhaps before the input
};

}  // namespace

std::vector<int> occlusion_starts(int size, int patch, int stride) {
  std::vector<int> starts;
  for (int s = std::min(0, stride - patch); s < size; s += stride) starts.push_back(s);
  return starts;
}

std::vector<float> occlusion_saliency(const Model& model, std::span<const float> input, std::size_t target,
                                      std::span<const float> baseline, const OcclusionOptions& o) {
  const Shape shape = model.input_shape();
  const auto h = int(shape.h), w = int(shape.w);
  if (input.size() != std::size_t(shape.size()))
    throw InvalidInput(model.name() + ": saliency: " + std::to_string(input.size()) + " input values for shape " + shape.str());
  if (baseline.size() != std::size_t(h))
    throw InvalidInput(model.name() + ": saliency: " + std::to_string(baseline.size()) + " baseline values for " +
                       std::to_string(h) + " rows");
  if (target >= std::size_t(model.output_shape().size()))
    throw InvalidInput(model.name() + ": saliency: class " + std::to_string(target) + " of " +
                       std::to_string(model.output_shape().size()));
  if (o.patch_rows < 1 || o.patch_cols < 1 || o.stride_rows < 1 || o.stride_cols < 1)
    throw InvalidInput("saliency: patch sizes and strides must be at least 1");
  const RunOptions run{.threads = o.threads};

  Tensor x(1, shape);
  std::copy(input.begin(), input.end(), x.data.begin());
  const float reference = model.run(x, Output::probabilities, run).data[target];

  std::vector<Patch> patches;
  for (int r : occlusion_starts(h, o.patch_rows, o.stride_rows))
    for (int c : occlusion_starts(w, o.patch_cols, o.stride_cols)) patches.push_back({r, c});

  std::vector<double> sum(std::size_t(h) * std::size_t(w), 0.0);
  std::vector<int> covered(sum.size(), 0);
  Tensor batch;
  for (std::size_t first = 0; first < patches.size(); first += kBatch) {
    const std::size_t count = std::min(kBatch, patches.size() - first);
    batch.reshape(std::int64_t(count), shape);
    for (std::size_t i = 0; i < count; ++i) {
      float* sample = batch.sample(std::int64_t(i));
      std::copy(input.begin(), input.end(), sample);
      const Patch& p = patches[first + i];
      for (std::int64_t ch = 0; ch < shape.c; ++ch)
        for (int r = std::max(0, p.row); r < std::min(h, p.row + o.patch_rows); ++r)
          for (int c = std::max(0, p.col); c < std::min(w, p.col + o.patch_cols); ++c)
            sample[ch * shape.plane() + r * w + c] = baseline[std::size_t(r)];
    }
    const Tensor probabilities = model.run(batch, Output::probabilities, run);
    for (std::size_t i = 0; i < count; ++i) {
      const double drop = double(reference) - double(probabilities.sample(std::int64_t(i))[target]);
      const Patch& p = patches[first + i];
      for (int r = std::max(0, p.row); r < std::min(h, p.row + o.patch_rows); ++r)
        for (int c = std::max(0, p.col); c < std::min(w, p.col + o.patch_cols); ++c) {
          sum[std::size_t(r) * std::size_t(w) + std::size_t(c)] += drop;
          ++covered[std::size_t(r) * std::size_t(w) + std::size_t(c)];
        }
    }
  }
  std::vector<float> saliency(sum.size());
  for (std::size_t i = 0; i < sum.size(); ++i) saliency[i] = float(sum[i] / std::max(1, covered[i]));
  return saliency;
}

}  // namespace cqtcnn
