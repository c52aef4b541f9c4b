// The filter bank: the time-domain filters h_k from librosa's spectral kernel (see
// filter_bank.hpp), applied by the frame product (simd/frame_product.hpp).
#include "cqt/filter_bank.hpp"

#include "simd/frame_product.hpp"

#include <algorithm>
#include <complex>
#include <cstdint>

namespace cqtcnn::cqt {

std::size_t tile_frames() { return simd::frame_product_tile_frames(); }

FilterBank zero_filter_bank(int n_taps, int n_bins) {
  FilterBank b;
  b.n_taps = n_taps;
  b.n_bins = n_bins;
  const int lanes = simd::frame_product_lanes();
  b.stride = (2 * n_bins + lanes - 1) / lanes * lanes;
  constexpr std::size_t line = 64 / sizeof(float);
  b.storage.assign(std::size_t(n_taps) * std::size_t(b.stride) + line, 0.0f);
  const auto address = reinterpret_cast<std::uintptr_t>(b.storage.data());
  b.offset = (line - address / sizeof(float) % line) % line;
  return b;
}

std::vector<FilterBank> design_filter_banks(const CqtParams& p, const Design& d) {
  std::vector<FilterBank> banks;
  for (const Octave& o : d.octaves) banks.push_back(time_domain_filters(octave_kernel(p, d, o), o.n_fft));
  return banks;
}

FilterBank time_domain_filters(const SparseKernel& k, int n_fft) {
  FilterBank b = zero_filter_bank(n_fft, k.n_rows);
  float* taps = b.storage.data() + b.offset;
  // h_k[n] = sum_f K[k, f] e^{-2 pi i f n / N}: the forward DFT of the zero-filled kernel row
  const Dft dft(n_fft);
  std::vector<std::complex<double>> row(static_cast<std::size_t>(n_fft));
  for (int r = 0; r < k.n_rows; ++r) {
    std::fill(row.begin(), row.end(), std::complex<double>());
    for (int e = k.row_start[std::size_t(r)]; e < k.row_start[std::size_t(r) + 1]; ++e)
      row[std::size_t(k.col[std::size_t(e)])] = std::complex<double>(k.value[std::size_t(e)]);
    dft(row);
    for (int n = 0; n < n_fft; ++n) {
      taps[std::size_t(n) * std::size_t(b.stride) + 2 * std::size_t(r)] = float(row[std::size_t(n)].real());
      taps[std::size_t(n) * std::size_t(b.stride) + 2 * std::size_t(r) + 1] = float(row[std::size_t(n)].imag());
    }
  }
  return b;
}

void apply_filter_bank(const FilterBank& b, const float* x, std::ptrdiff_t hop, std::size_t n_frames, float* out) {
  simd::frame_product({x, hop, n_frames, b.taps(), b.n_taps, b.stride, out});
}

}  // namespace cqtcnn::cqt
