// Layer kinds by name: the only place that knows every kind.
#pragma once

#include "nn/layers/factories.hpp"

#include <string>
#include <vector>

namespace cqtcnn::nn {

// Builds a layer from its JSON object (spec.pointer() is its path, e.g. "/layers/3"); throws
// InvalidInput for an unknown type, a bad option or weight, or an unknown field.
std::unique_ptr<Layer> make_layer(LayerSpec& spec);
std::vector<std::string> layer_types();

}  // namespace cqtcnn::nn
