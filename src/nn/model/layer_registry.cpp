#include "nn/model/layer_registry.hpp"

#include <algorithm>

namespace cqtcnn::nn {

// Each kind is declared in its own file, src/nn/layers/NAME.cpp, with its options. A new kind:
// its file, its name here and its row below.
extern const LayerKind conv2d_layer, dense_layer, batch_norm_layer, relu_layer, leaky_relu_layer, elu_layer,
    sigmoid_layer, tanh_layer, max_pool2d_layer, avg_pool2d_layer, global_avg_pool_layer, global_max_pool_layer,
    flatten_layer, dropout_layer, softmax_layer, map_to_sequence_layer, sequence_to_map_layer, gru_layer,
    time_pool_layer;

namespace {

const LayerKind* const kKinds[] = {
    &conv2d_layer,
    &dense_layer,
    &batch_norm_layer,
    &relu_layer,
    &leaky_relu_layer,
    &elu_layer,
    &sigmoid_layer,
    &tanh_layer,
    &max_pool2d_layer,
    &avg_pool2d_layer,
    &global_avg_pool_layer,
    &global_max_pool_layer,
    &flatten_layer,
    &dropout_layer,
    &softmax_layer,
    &map_to_sequence_layer,
    &sequence_to_map_layer,
    &gru_layer,
    &time_pool_layer,
};

}  // namespace

std::span<const LayerKind* const> layer_kinds() { return kKinds; }

std::vector<std::string> layer_types() {
  std::vector<std::string> names;
  for (const LayerKind* kind : kKinds) names.emplace_back(kind->type);
  std::sort(names.begin(), names.end());
  return names;
}

std::unique_ptr<Layer> make_layer(LayerSpec& spec) {
  if (spec.type() == "?") spec.fail("type", "missing (a string naming the layer kind)");
  const std::string type = spec.type();
  const auto it = std::find_if(std::begin(kKinds), std::end(kKinds), [&](const LayerKind* k) { return k->type == type; });
  if (it == std::end(kKinds)) {
    std::string known;
    for (const auto& name : layer_types()) known += (known.empty() ? "" : ", ") + name;
    spec.fail("type", "unknown layer type \"" + type.substr(0, 40) + "\" (known: " + known + ")");
  }
  spec.declare((*it)->options);
  auto layer = (*it)->make(spec);
  spec.check_all_used();
  return layer;
}

}  // namespace cqtcnn::nn
