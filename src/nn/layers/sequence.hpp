// How the engine holds a sequence: T steps of F features are the shape F x 1 x T, the layout
// of a 1-row feature map (PyTorch's Conv1d [N, F, T]) with time on the W axis as in the CQT
// image. So a [C, H, W] map read as a sequence over its W frames is C*H x 1 x W without moving
// any data (features in C, H order: PyTorch's x.permute(0, 3, 1, 2).reshape(N, W, C*H)), a
// sequence of one step is a flat vector (F x 1 x 1) and elementwise layers, batch_norm (per
// feature) and softmax (over the features of each step) already work on sequences.
#pragma once

#include "cqtcnn/error.hpp"
#include "cqtcnn/tensor.hpp"

#include <string>

namespace cqtcnn::nn {

inline Shape sequence_shape(std::int64_t features, std::int64_t steps) { return {features, 1, steps}; }

// Throws InvalidInput unless `in` is a sequence (H == 1), saying what to put before the layer.
inline void require_sequence(Shape in) {
  if (in.h != 1)
    throw InvalidInput("expects a sequence (features x 1 x steps), got the map " + in.str() +
                       " (add a map_to_sequence layer before it)");
}

}  // namespace cqtcnn::nn
