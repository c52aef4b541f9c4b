// Naive GRU straight from the definition (gru_ops.hpp, PyTorch's GRU docs): double sums, libm's
// exp and tanh, one step and one gate row at a time. The reference the fast kernel is tested
// against; not used for inference.
#include "nn/kernels/gru_ops.hpp"

#include <cmath>

namespace cqtcnn::nn {
namespace {

using Sequence = std::vector<std::vector<double>>;  // [step][feature]

double sigmoid(double v) { return 1.0 / (1.0 + std::exp(-v)); }

// Row `row` of the [rows, x.size()] matrix `w` times `x`, plus bias[row].
double row_dot(const std::vector<float>& w, const std::vector<float>& bias, std::int64_t row,
               const std::vector<double>& x) {
  const auto cols = static_cast<std::int64_t>(x.size());
  double sum = bias[row];
  for (std::int64_t k = 0; k < cols; ++k) sum += w[row * cols + k] * x[k];
  return sum;
}

// One direction over the whole sequence; writes its states into columns [offset, offset + H)
// of `out` and returns the final state.
std::vector<double> run_cell(const GruCell& c, std::int64_t hidden, bool backward, const Sequence& in, Sequence& out,
                             std::int64_t offset) {
  const auto steps = static_cast<std::int64_t>(in.size());
  std::vector<double> h(hidden, 0.0), next(hidden);
  for (std::int64_t s = 0; s < steps; ++s) {
    const std::int64_t t = backward ? steps - 1 - s : s;
    const std::vector<double>& x = in[t];
    for (std::int64_t j = 0; j < hidden; ++j) {
      const double r = sigmoid(row_dot(c.weight_ih, c.bias_ih, j, x) + row_dot(c.weight_hh, c.bias_hh, j, h));
      const double z = sigmoid(row_dot(c.weight_ih, c.bias_ih, hidden + j, x) +
                               row_dot(c.weight_hh, c.bias_hh, hidden + j, h));
      const double n = std::tanh(row_dot(c.weight_ih, c.bias_ih, 2 * hidden + j, x) +
                                 r * row_dot(c.weight_hh, c.bias_hh, 2 * hidden + j, h));
      next[j] = (1.0 - z) * n + z * h[j];
    }
    h = next;
    for (std::int64_t j = 0; j < hidden; ++j) out[t][offset + j] = h[j];
  }
  return h;
}

}  // namespace

void gru_reference(const GruShape& shape, const std::vector<GruCell>& cells, const float* in, std::int64_t steps,
                   float* out) {
  const std::int64_t hidden = shape.hidden, features = shape.features();
  Sequence seq(steps, std::vector<double>(shape.input_size));
  for (std::int64_t t = 0; t < steps; ++t)
    for (std::int64_t i = 0; i < shape.input_size; ++i) seq[t][i] = in[i * steps + t];
  std::vector<double> final_state;
  for (std::int64_t layer = 0; layer < shape.layers; ++layer) {
    Sequence next(steps, std::vector<double>(features));
    final_state.clear();
    for (std::int64_t d = 0; d < shape.directions; ++d) {
      const auto h = run_cell(cells[layer * shape.directions + d], hidden, d == 1, seq, next, d * hidden);
      final_state.insert(final_state.end(), h.begin(), h.end());
    }
    seq = std::move(next);
  }
  for (std::int64_t i = 0; i < features; ++i) {
    if (shape.last) out[i] = static_cast<float>(final_state[i]);
    else
      for (std::int64_t t = 0; t < steps; ++t) out[i * steps + t] = static_cast<float>(seq[t][i]);
  }
}

}  // namespace cqtcnn::nn
