// The choice of the frame product's kernel for the CPU (see frame_product.hpp).
#include "simd/frame_product.hpp"

namespace cqtcnn::simd {
namespace {

const FrameProductKernels& active_kernels() {
  return pick(scalar::frame_product_kernels, avx2::frame_product_kernels, avx512::frame_product_kernels);
}

}  // namespace

int frame_product_lanes() { return active_kernels().lanes; }
std::size_t frame_product_tile_frames() { return active_kernels().tile_frames; }

void frame_product(const Operands& operands) {
  const FrameProductKernels* k = &active_kernels();
  if (operands.stride % k->lanes != 0)
    k = active() != Isa::scalar && operands.stride % avx2::frame_product_kernels.lanes == 0 ? &avx2::frame_product_kernels
                                                                                         : &scalar::frame_product_kernels;
  k->apply(operands);
}

}  // namespace cqtcnn::simd
