// Layer kinds by name: the only place that knows every kind.
#pragma once

#include "nn/model/layer_kind.hpp"

#include <span>
#include <string>
#include <vector>

namespace cqtcnn::nn {

// Builds a layer from its JSON object (spec.pointer() is its path, e.g. "/layers/3"); throws
// InvalidInput for an unknown type, a bad option or weight, or an unknown field.
std::unique_ptr<Layer> make_layer(LayerSpec& spec);
std::vector<std::string> layer_types();  // sorted
// Every kind, in the order the documentation lists them.
std::span<const LayerKind* const> layer_kinds();

}  // namespace cqtcnn::nn
