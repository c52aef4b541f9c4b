// The factory of each layer kind (one file each in this folder). The name -> factory table in
// src/nn/model/layer_registry.cpp lists them; a factory reads its options and weights through the
// LayerSpec, which refuses anything malformed with the JSON path.
#pragma once

#include "nn/model/layer.hpp"
#include "nn/model/layer_spec.hpp"

#include <memory>

namespace cqtcnn::nn {

using LayerFactory = std::unique_ptr<Layer> (*)(LayerSpec&);

std::unique_ptr<Layer> make_conv2d(LayerSpec&);
std::unique_ptr<Layer> make_dense(LayerSpec&);
std::unique_ptr<Layer> make_batch_norm(LayerSpec&);
std::unique_ptr<Layer> make_relu(LayerSpec&);
std::unique_ptr<Layer> make_leaky_relu(LayerSpec&);
std::unique_ptr<Layer> make_elu(LayerSpec&);
std::unique_ptr<Layer> make_sigmoid(LayerSpec&);
std::unique_ptr<Layer> make_tanh(LayerSpec&);
std::unique_ptr<Layer> make_max_pool2d(LayerSpec&);
std::unique_ptr<Layer> make_avg_pool2d(LayerSpec&);
std::unique_ptr<Layer> make_global_avg_pool(LayerSpec&);
std::unique_ptr<Layer> make_global_max_pool(LayerSpec&);
std::unique_ptr<Layer> make_flatten(LayerSpec&);
std::unique_ptr<Layer> make_dropout(LayerSpec&);
std::unique_ptr<Layer> make_softmax(LayerSpec&);
std::unique_ptr<Layer> make_map_to_sequence(LayerSpec&);
std::unique_ptr<Layer> make_sequence_to_map(LayerSpec&);
std::unique_ptr<Layer> make_gru(LayerSpec&);
std::unique_ptr<Layer> make_time_pool(LayerSpec&);

}  // namespace cqtcnn::nn
