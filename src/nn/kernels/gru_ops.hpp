// The arithmetic of the gru layer for one sample: a naive reference written from PyTorch's GRU
// documentation and the fast version the layer uses. Tests compare the two on random shapes,
// and the layer's fixtures compare the fast one with PyTorch.
//
// Cho et al. 2014, "Learning phrase representations using RNN encoder-decoder for statistical
// machine translation", with PyTorch's gate order (r, z, n) and two bias vectors:
//   r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)        z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
//   n = tanh(W_in x + b_in + r * (W_hn h + b_hn))      h' = (1 - z) * n + z * h
// from h = 0. A bidirectional layer runs a second cell from the last step to the first and
// concatenates the two states at each step, forward first; layer l > 0 reads layer l-1's
// concatenated output.
#pragma once

#include "nn/model/layer.hpp"
#include "simd/isa.hpp"

#include <cstdint>
#include <vector>

namespace cqtcnn::nn {

struct GruShape {
  std::int64_t input_size = 0, hidden = 0, layers = 1, directions = 1;
  bool last = false;  // output each direction's final state instead of the whole sequence

  std::int64_t layer_input(std::int64_t layer) const { return layer == 0 ? input_size : directions * hidden; }
  std::int64_t features() const { return directions * hidden; }  // per output step
};

// One direction of one layer, as PyTorch stores it: weight_ih [3H, in], weight_hh [3H, H],
// bias_ih and bias_hh [3H] (zeros for a layer without bias), rows in gate order r, z, n.
struct GruCell {
  std::vector<float> weight_ih, weight_hh, bias_ih, bias_hh;
};

// `cells` holds layer l's direction d at l * directions + d. `in` is a sequence of `steps` steps
// of input_size features, feature-major (nn/layers/sequence.hpp); `out` receives features() x
// steps, feature-major, or, with `last`, features() values: the forward cell's state after the
// last step and the backward cell's after the first (PyTorch's h_n of the top layer).
void gru_reference(const GruShape& shape, const std::vector<GruCell>& cells, const float* in, std::int64_t steps,
                   float* out);

// The weights in the fast kernel's order: per layer, the input weights and biases of all
// directions stacked into one [directions * 3H, in] matrix (one pointwise convolution projects
// every step of the sequence at once), also packed for the tiled convolution kernel where it
// applies; per cell, weight_hh re-ordered into column blocks for the recurrent product.
struct GruPacked {
  std::vector<std::vector<float>> weight_ih, tiled_ih, bias_ih;  // per layer
  std::vector<std::vector<float>> weight_hh, bias_hh;            // per cell; bias padded to the blocks
};
GruPacked pack_gru(const GruShape& shape, const std::vector<GruCell>& cells);

// Rows per column block of the packed weight_hh ([block][k][kGruBlock]): 8 AVX registers of
// sums, enough independent chains of fused multiply-adds.
constexpr std::int64_t kGruBlock = 64;

// One instruction set's step (gru_kernels.cpp): u = W_hh h + b_hh (u: 3H rounded up to whole
// blocks), then h_out from the step's input projection `gates` and u.
struct GruKernels {
  void (*step)(const float* packed_hh, const float* bias_hh, const float* gates, const float* h, std::int64_t hidden,
               float* u, float* h_out);
};
CQTCNN_DECLARE_KERNEL_TABLE(GruKernels, gru_kernels)

void gru_fast(const GruShape& shape, const GruPacked& packed, const float* in, std::int64_t steps, float* out,
              Workspace& ws);

}  // namespace cqtcnn::nn
