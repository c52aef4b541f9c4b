// The GRU as the layer runs it (definitions in gru_ops.hpp). Per layer, one sgemm projects the
// inputs of every step for all directions (W_ih x_t + b_ih), leaving only the recurrent part
// W_hh h + b_hh in the sequential loop. That product reads W_hh packed in column blocks of
// kBlock rows, [block][k][kBlock], so each block's sums stay in registers while its weights
// stream through in memory order (3H x H floats: 48 KB at H = 64, in L1/L2 across the steps).
// The gates use the vectorised exp/tanh of fast_math.hpp, in PyTorch's order of operations.
#include "nn/fast_math.hpp"
#include "nn/gru_ops.hpp"

#include <cblas.h>

#include <algorithm>

namespace cqtcnn::nn {
namespace {

constexpr std::int64_t kBlock = 64;  // 8 AVX registers of sums: enough independent FMA chains

std::int64_t padded(std::int64_t rows) { return (rows + kBlock - 1) / kBlock * kBlock; }

// u = W_hh h + b_hh (u and the bias padded to whole blocks).
void recurrent_product(const float* packed, const float* bias, const float* h, std::int64_t hidden,
                       std::int64_t rows, float* u) {
  for (std::int64_t b0 = 0; b0 < rows; b0 += kBlock, packed += hidden * kBlock) {
    float acc[kBlock];
    for (std::int64_t i = 0; i < kBlock; ++i) acc[i] = bias[b0 + i];
    for (std::int64_t k = 0; k < hidden; ++k) {
      const float hk = h[k];
      const float* w = packed + k * kBlock;
      for (std::int64_t i = 0; i < kBlock; ++i) acc[i] += hk * w[i];
    }
    for (std::int64_t i = 0; i < kBlock; ++i) u[b0 + i] = acc[i];
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

// proj[t][row] = sum_i x[t][i] w[row][i] + bias[row] for every step; x is feature-major (the
// layer's input sequence) or time-major (a lower layer's output).
void project(const float* x, bool feature_major, std::int64_t steps, std::int64_t in_size, const float* w,
             const float* bias, std::int64_t rows, float* proj) {
  cblas_sgemm(CblasRowMajor, feature_major ? CblasTrans : CblasNoTrans, CblasTrans, static_cast<int>(steps),
              static_cast<int>(rows), static_cast<int>(in_size), 1.0F, x,
              static_cast<int>(feature_major ? steps : in_size), w, static_cast<int>(in_size), 0.0F, proj,
              static_cast<int>(rows));
  for (std::int64_t t = 0; t < steps; ++t)
    for (std::int64_t r = 0; r < rows; ++r) proj[t * rows + r] += bias[r];
}

}  // namespace

GruPacked pack_gru(const GruShape& shape, const std::vector<GruCell>& cells) {
  const std::int64_t hidden = shape.hidden, rows = 3 * hidden;
  GruPacked p;
  p.weight_ih.resize(shape.layers);
  p.bias_ih.resize(shape.layers);
  for (std::int64_t layer = 0; layer < shape.layers; ++layer)
    for (std::int64_t d = 0; d < shape.directions; ++d) {
      const GruCell& c = cells[layer * shape.directions + d];
      p.weight_ih[layer].insert(p.weight_ih[layer].end(), c.weight_ih.begin(), c.weight_ih.end());
      p.bias_ih[layer].insert(p.bias_ih[layer].end(), c.bias_ih.begin(), c.bias_ih.end());
    }
  for (const GruCell& c : cells) {
    std::vector<float> w(padded(rows) * hidden, 0.0F), b(padded(rows), 0.0F);
    for (std::int64_t row = 0; row < rows; ++row) {
      float* dst = w.data() + row / kBlock * hidden * kBlock + row % kBlock;
      for (std::int64_t k = 0; k < hidden; ++k) dst[k * kBlock] = c.weight_hh[row * hidden + k];
      b[row] = c.bias_hh[row];
    }
    p.weight_hh.push_back(std::move(w));
    p.bias_hh.push_back(std::move(b));
  }
  return p;
}

void gru_fast(const GruShape& shape, const GruPacked& packed, const float* in, std::int64_t steps, float* out,
              Workspace& ws) {
  const std::int64_t hidden = shape.hidden, dirs = shape.directions, rows = 3 * hidden, features = shape.features();
  // Scratch: the input projections [steps][dirs * 3H], two layer outputs [steps][features]
  // (time-major, ping-pong), the recurrent product and a zero initial state.
  const std::int64_t proj_size = steps * dirs * rows, seq_size = steps * features;
  float* scratch = ws.get(proj_size + 2 * seq_size + padded(rows) + hidden);
  float* proj = scratch;
  float* seq[2] = {proj + proj_size, proj + proj_size + seq_size};
  float* u = seq[1] + seq_size;
  float* zero = u + padded(rows);
  std::fill(zero, zero + hidden, 0.0F);

  const float* x = in;
  float* y = nullptr;
  for (std::int64_t layer = 0; layer < shape.layers; ++layer) {
    project(x, layer == 0, steps, shape.layer_input(layer), packed.weight_ih[layer].data(),
            packed.bias_ih[layer].data(), dirs * rows, proj);
    y = seq[layer % 2];
    for (std::int64_t d = 0; d < dirs; ++d) {
      const std::size_t cell = layer * dirs + d;
      const float* h = zero;
      for (std::int64_t s = 0; s < steps; ++s) {
        const std::int64_t t = d == 0 ? s : steps - 1 - s;
        float* h_out = y + t * features + d * hidden;
        recurrent_product(packed.weight_hh[cell].data(), packed.bias_hh[cell].data(), h, hidden, rows, u);
        update_state(proj + (t * dirs + d) * rows, u, h, hidden, h_out);
        h = h_out;
      }
      if (shape.last && layer + 1 == shape.layers) std::copy(h, h + hidden, out + d * hidden);
    }
    x = y;
  }
  if (shape.last) return;
  for (std::int64_t t = 0; t < steps; ++t)  // time-major -> the sequence's feature-major layout
    for (std::int64_t i = 0; i < features; ++i) out[i * steps + t] = y[t * features + i];
}

}  // namespace cqtcnn::nn
