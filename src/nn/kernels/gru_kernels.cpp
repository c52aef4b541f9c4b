// One step of the GRU's sequential loop (see gru_fast.cpp), compiled once per instruction set
// (simd/isa.hpp) as plain loops the compiler vectorises: the recurrent product u = W_hh h + b_hh
// as chains of fused multiply-adds over k, and the gates in PyTorch's order of operations with
// fast_math.hpp's exp and tanh. Every variant computes the same operations on each element, so
// all give the same numbers.
#include "nn/kernels/fast_math.hpp"
#include "nn/kernels/gru_ops.hpp"

#include <cmath>

#include "simd/target.hpp"

namespace cqtcnn::nn::CQTCNN_ISA {
CQTCNN_TARGET_BEGIN
namespace {

// u = W_hh h + b_hh (u and the bias padded to whole blocks).
void recurrent_product(const float* packed, const float* bias, const float* h, std::int64_t hidden,
                       std::int64_t rows, float* u) {
  for (std::int64_t b0 = 0; b0 < rows; b0 += kGruBlock, packed += hidden * kGruBlock) {
    float acc[kGruBlock];
    for (std::int64_t i = 0; i < kGruBlock; ++i) acc[i] = bias[b0 + i];
    for (std::int64_t k = 0; k < hidden; ++k) {
      const float hk = h[k];
      const float* w = packed + k * kGruBlock;
      for (std::int64_t i = 0; i < kGruBlock; ++i) acc[i] = std::fma(hk, w[i], acc[i]);
    }
    for (std::int64_t i = 0; i < kGruBlock; ++i) u[b0 + i] = acc[i];
  }
}

// One step's new state from the input projection g and the recurrent product u (both [3H] in
// gate order r, z, n), as PyTorch's GRUCell: n = tanh(g_n + r * u_n), h' = (h - n) * z + n.
void update_state(const float* g, const float* u, const float* h, std::int64_t hidden, float* h_out) {
  for (std::int64_t j = 0; j < hidden; ++j) {
    const float r = sigmoid_fast(g[j] + u[j]);
    const float z = sigmoid_fast(g[hidden + j] + u[hidden + j]);
    const float n = tanh_fast(g[2 * hidden + j] + r * u[2 * hidden + j]);
    h_out[j] = (h[j] - n) * z + n;
  }
}

void step(const float* packed_hh, const float* bias_hh, const float* gates, const float* h, std::int64_t hidden,
          float* u, float* h_out) {
  recurrent_product(packed_hh, bias_hh, h, hidden, 3 * hidden, u);
  update_state(gates, u, h, hidden, h_out);
}

}  // namespace
CQTCNN_TARGET_END

const GruKernels gru_kernels = {step};

}  // namespace cqtcnn::nn::CQTCNN_ISA
