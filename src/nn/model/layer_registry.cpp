#include "nn/model/layer_registry.hpp"

#include <map>

namespace cqtcnn::nn {
namespace {

const std::map<std::string, LayerFactory>& table() {
  static const std::map<std::string, LayerFactory> factories{
      {"conv2d", make_conv2d},
      {"dense", make_dense},
      {"batch_norm", make_batch_norm},
      {"relu", make_relu},
      {"leaky_relu", make_leaky_relu},
      {"elu", make_elu},
      {"sigmoid", make_sigmoid},
      {"tanh", make_tanh},
      {"max_pool2d", make_max_pool2d},
      {"avg_pool2d", make_avg_pool2d},
      {"global_avg_pool", make_global_avg_pool},
      {"global_max_pool", make_global_max_pool},
      {"flatten", make_flatten},
      {"dropout", make_dropout},
      {"softmax", make_softmax},
      {"map_to_sequence", make_map_to_sequence},
      {"sequence_to_map", make_sequence_to_map},
      {"gru", make_gru},
      {"time_pool", make_time_pool},
  };
  return factories;
}

}  // namespace

std::vector<std::string> layer_types() {
  std::vector<std::string> names;
  for (const auto& [name, factory] : table()) names.push_back(name);
  return names;
}

std::unique_ptr<Layer> make_layer(LayerSpec& spec) {
  if (spec.type() == "?") spec.fail("type", "missing (a string naming the layer kind)");
  const std::string type = spec.type();
  const auto it = table().find(type);
  if (it == table().end()) {
    std::string known;
    for (const auto& name : layer_types()) known += (known.empty() ? "" : ", ") + name;
    spec.fail("type", "unknown layer type \"" + type.substr(0, 40) + "\" (known: " + known + ")");
  }
  auto layer = it->second(spec);
  spec.check_all_used();
  return layer;
}

}  // namespace cqtcnn::nn
