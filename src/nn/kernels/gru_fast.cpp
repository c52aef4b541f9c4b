// The GRU as the layer runs it (definitions in gru_ops.hpp). Per layer, the input projections
// W_ih x_t + b_ih of every step and both directions are one pointwise convolution of the
// sequence (F x 1 x T, a 1-row image of F channels) with D*3H outputs: conv2d_fast, whose tiled
// kernel keeps the weights packed across calls (sgemm would re-pack them on every call). That
// leaves the recurrent part W_hh h + b_hh in the sequential loop; its product reads W_hh packed in
// column blocks of kGruBlock rows, [block][k][kGruBlock], so that each block's sums stay in
// registers while its weights stream through in memory order (3H x H floats: 48 KB at H = 64, in
// cache across the steps). The gates use the vectorised exp/tanh of fast_math.hpp, in PyTorch's
// order of operations. The step is compiled per instruction set (gru_kernels.cpp).
#include "nn/kernels/conv_ops.hpp"
#include "nn/kernels/gru_ops.hpp"
#include "simd/isa.hpp"

#include <algorithm>

namespace cqtcnn::nn {
namespace {

const GruKernels& kernels() { return simd::pick(scalar::gru_kernels, avx2::gru_kernels, avx512::gru_kernels); }

std::int64_t padded(std::int64_t rows) { return (rows + kGruBlock - 1) / kGruBlock * kGruBlock; }

// dst[c][r] = src[r][c] for a rows x cols matrix, in tiles so that both sides stay in cache.
void transpose(const float* src, std::int64_t rows, std::int64_t cols, float* dst) {
  constexpr std::int64_t kTile = 16;
  for (std::int64_t r0 = 0; r0 < rows; r0 += kTile)
    for (std::int64_t c0 = 0; c0 < cols; c0 += kTile)
      for (std::int64_t r = r0; r < std::min(rows, r0 + kTile); ++r)
        for (std::int64_t c = c0; c < std::min(cols, c0 + kTile); ++c) dst[c * rows + r] = src[r * cols + c];
}

// The projection as a 1x1 convolution of the 1 x steps image of in_size channels.
ConvGeometry projection(std::int64_t in_size, std::int64_t rows, std::int64_t steps) {
  ConvGeometry g;
  g.in = {in_size, 1, steps};
  g.out = {rows, 1, steps};
  return g;
}

}  // namespace

GruPacked pack_gru(const GruShape& shape, const std::vector<GruCell>& cells) {
  const std::int64_t hidden = shape.hidden, rows = 3 * hidden, dirs = shape.directions;
  GruPacked p;
  p.weight_ih.resize(shape.layers);
  p.tiled_ih.resize(shape.layers);
  p.bias_ih.resize(shape.layers);
  for (std::int64_t layer = 0; layer < shape.layers; ++layer) {
    for (std::int64_t d = 0; d < dirs; ++d) {
      const GruCell& c = cells[layer * dirs + d];
      p.weight_ih[layer].insert(p.weight_ih[layer].end(), c.weight_ih.begin(), c.weight_ih.end());
      p.bias_ih[layer].insert(p.bias_ih[layer].end(), c.bias_ih.begin(), c.bias_ih.end());
    }
    const std::int64_t in_size = shape.layer_input(layer);
    if (tiled_conv_applies(projection(in_size, dirs * rows, 1)))
      p.tiled_ih[layer] = pack_tiled_weights(p.weight_ih[layer].data(), dirs * rows, in_size, 1, 1);
  }
  for (const GruCell& c : cells) {
    std::vector<float> w(padded(rows) * hidden, 0.0F), b(padded(rows), 0.0F);
    for (std::int64_t row = 0; row < rows; ++row) {
      float* dst = w.data() + row / kGruBlock * hidden * kGruBlock + row % kGruBlock;
      for (std::int64_t k = 0; k < hidden; ++k) dst[k * kGruBlock] = c.weight_hh[row * hidden + k];
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
  // The sequences need memory that lives across the projection's use of `ws`: the projections
  // [dirs * 3H][steps] and transposed [steps][dirs * 3H], two layers' outputs [features][steps]
  // (feature-major like the layer's input and output), the recurrent product and two states.
  thread_local Workspace buffers;
  const std::int64_t proj_size = steps * dirs * rows, seq_size = steps * features, state = padded(rows);
  float* proj = buffers.get(2 * proj_size + 2 * seq_size + 3 * state);
  float* gates = proj + proj_size;
  float* seq[2] = {gates + proj_size, gates + proj_size + seq_size};
  float* u = seq[1] + seq_size;
  float* h = u + state;
  float* h_next = h + state;

  const float* x = in;
  for (std::int64_t layer = 0; layer < shape.layers; ++layer) {
    const bool top = layer + 1 == shape.layers;
    const std::vector<float>& tiled = packed.tiled_ih[layer];
    const ConvWeights w{packed.weight_ih[layer].data(), tiled.empty() ? nullptr : tiled.data(),
                        packed.bias_ih[layer].data()};
    conv2d_fast(projection(shape.layer_input(layer), dirs * rows, steps), x, w, proj, ws);
    transpose(proj, dirs * rows, steps, gates);
    float* y = top && !shape.last ? out : seq[layer % 2];
    for (std::int64_t d = 0; d < dirs; ++d) {
      const std::size_t cell = layer * dirs + d;
      std::fill(h, h + hidden, 0.0F);
      for (std::int64_t s = 0; s < steps; ++s) {
        const std::int64_t t = d == 0 ? s : steps - 1 - s;
        kernels().step(packed.weight_hh[cell].data(), packed.bias_hh[cell].data(), gates + (t * dirs + d) * rows, h,
                       hidden, u, h_next);
        std::swap(h, h_next);
        if (!(top && shape.last))
          for (std::int64_t j = 0; j < hidden; ++j) y[(d * hidden + j) * steps + t] = h[j];
      }
      if (top && shape.last) std::copy(h, h + hidden, out + d * hidden);
    }
    x = y;
  }
}

}  // namespace cqtcnn::nn
