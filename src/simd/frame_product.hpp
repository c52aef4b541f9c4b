// The product of overlapping frames of a signal with a matrix of taps:
//     out[t][c] = sum_{n = 0}^{n_taps - 1} x[t * hop + n] * taps[n][c],   t < n_frames, c < stride,
// each output the chain of fused multiply-adds over n in that order, started from zero, whatever
// the instruction set (simd/isa.hpp), n_frames and the grouping of frames into calls: frames
// computed in different calls are bitwise equal. The CQT's filter banks (a frame is a window of
// the signal, hop < n_taps) and the dense layer (a frame is a sample of the batch, hop = n_taps)
// are this product.
#pragma once

#include "simd/isa.hpp"

#include <cstddef>

namespace cqtcnn::simd {

struct Operands {
  const float* x;
  std::ptrdiff_t hop;
  std::size_t n_frames;
  const float* taps;  // n_taps rows of stride floats
  int n_taps;
  int stride;  // a multiple of frame_product_lanes() of the kernel used
  float* out;  // n_frames rows of stride floats
};

// One instruction set's kernel (frame_product_kernels.cpp): floats per vector, frames per tile.
struct FrameProductKernels {
  int lanes;
  std::size_t tile_frames;
  void (*apply)(const Operands& operands);
};
CQTCNN_DECLARE_KERNEL_TABLE(FrameProductKernels, frame_product_kernels)

// The active instruction set's vector width (strides that are multiples of it run fastest) and
// tile (calls of a multiple of this many frames run fastest; a few dozen at most).
int frame_product_lanes();
std::size_t frame_product_tile_frames();

// Any stride that is a multiple of 2 runs: a stride the active set's vectors do not divide runs
// on the widest set whose vectors do.
void frame_product(const Operands& operands);

}  // namespace cqtcnn::simd
