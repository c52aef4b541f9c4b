#include "cqt/kernel.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>

namespace cqtcnn::cqt {

void fft_inplace(std::vector<std::complex<double>>& x) {
  const std::size_t n = x.size();
  for (std::size_t i = 1, j = 0; i < n; ++i) {  // bit-reversal permutation
    std::size_t bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) std::swap(x[i], x[j]);
  }
  for (std::size_t len = 2; len <= n; len <<= 1) {
    const double angle = -2.0 * std::numbers::pi / double(len);
    for (std::size_t i = 0; i < n; i += len)
      for (std::size_t k = 0; k < len / 2; ++k) {
        const std::complex<double> w = std::polar(1.0, angle * double(k));
        const std::complex<double> a = x[i + k], b = x[i + k + len / 2] * w;
        x[i + k] = a + b;
        x[i + k + len / 2] = a - b;
      }
  }
}

std::vector<int> sparsify_row(const std::vector<std::complex<double>>& row, double quantile) {
  std::vector<double> mag(row.size());
  for (std::size_t j = 0; j < row.size(); ++j) mag[j] = std::abs(row[j]);
  std::vector<double> sorted = mag;
  std::sort(sorted.begin(), sorted.end());
  const double total = std::accumulate(mag.begin(), mag.end(), 0.0);
  // threshold index: the first position where the cumulative share reaches `quantile`
  std::size_t idx = 0;
  double cumulative = 0.0;
  for (std::size_t j = 0; j < sorted.size(); ++j) {
    cumulative += sorted[j] / total;
    if (!(cumulative < quantile)) {
      idx = j;
      break;
    }
  }
  std::vector<int> keep;
  for (std::size_t j = 0; j < mag.size(); ++j)
    if (mag[j] >= sorted[idx] && mag[j] > 0) keep.push_back(int(j));
  return keep;
}

SparseKernel octave_kernel(const CqtParams& p, const Design& d, const Octave& o) {
  std::vector<double> lengths;
  auto rows = octave_wavelets(p, d, o, lengths);
  SparseKernel k;
  k.n_rows = o.n_bins;
  k.row_start.push_back(0);
  const std::size_t half = std::size_t(o.n_fft / 2 + 1);
  const float gain = float(o.gain);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    auto& row = rows[r];
    // librosa stacks the wavelets as complex64, then scales by L / n_fft (rounded again)
    for (auto& v : row) {
      const std::complex<float> c64(v);
      v = std::complex<double>(std::complex<float>(std::complex<double>(c64) * (lengths[r] / o.n_fft)));
    }
    fft_inplace(row);
    row.resize(half);
    const double row_scale = p.scale ? 1.0 / std::sqrt(d.scale_lengths[std::size_t(o.first_bin) + r]) : 1.0;
    for (const int j : sparsify_row(row, p.sparsity)) {
      const std::complex<float> c64(row[std::size_t(j)]);
      k.col.push_back(j);
      k.value.push_back(std::complex<float>(std::complex<double>(c64 * gain) * row_scale));
    }
    k.row_start.push_back(int(k.col.size()));
  }
  if (!k.col.empty()) {
    k.min_col = *std::min_element(k.col.begin(), k.col.end());
    k.max_col = *std::max_element(k.col.begin(), k.col.end());
  }
  return k;
}

}  // namespace cqtcnn::cqt
