// A layer kind as the registry knows it: its name, what it does, its options, its weights and
// its factory. Each kind is declared once, in its file in src/nn/layers/, with its options'
// declarations (layer_option.hpp). The declaration drives reading (the factory reads every option
// through it: LayerSpec), the `layers` part of docs/model.schema.json and the layer tables of
// docs/model-format.md (cmake/model_docs.cpp).
#pragma once

#include "nn/model/layer.hpp"
#include "nn/model/layer_option.hpp"
#include "nn/model/layer_spec.hpp"

#include <memory>
#include <span>
#include <string_view>

namespace cqtcnn::nn {

using LayerFactory = std::unique_ptr<Layer> (*)(LayerSpec&);

struct LayerKind {
  std::string_view type;  // the layer object's "type"
  std::string_view help;  // what it computes, one line
  std::span<const LayerOption> options;
  std::span<const LayerWeight> weights = {};
  LayerFactory make;
};

// The kind of a layer L that has neither options nor weights.
template <typename L>
constexpr LayerKind without_options(std::string_view type, std::string_view help) {
  return {type, help, {}, {}, [](LayerSpec&) -> std::unique_ptr<Layer> { return std::make_unique<L>(); }};
}

}  // namespace cqtcnn::nn
