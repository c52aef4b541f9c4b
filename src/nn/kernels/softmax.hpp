// Softmax over the channels of each position of each sample, in place (the softmax layer, and
// `Output::probabilities` for models without one).
#pragma once

#include "cqtcnn/tensor.hpp"

namespace cqtcnn::nn {

void softmax_channels(Tensor& t);

}  // namespace cqtcnn::nn
