// The spectral kernel of one octave applied as the equivalent time-domain filter bank.
//
// Brown & Puckette (1992) compute bin k of a frame x as C[k] = sum_f K[k, f] X[f], X the frame's
// DFT and K the (sparsified) spectral kernel; librosa sums the rfft half f = 0 .. N/2 only. The
// product is linear in the samples, so with X[f] = sum_n x[n] e^{-2 pi i f n / N}
//     C[k] = sum_n x[n] h_k[n],   h_k[n] = sum_{f = 0}^{N/2} K[k, f] e^{-2 pi i f n / N},
// exactly (only the float rounding differs). h_k is computed once, in double precision (FFTW: the
// DFT of the zero-filled kernel row), from the
// very kernel librosa would use (same design, sparsification and normalisation), and every frame
// of an octave then costs one dense real product with the (2 bins) x N matrix of Re h_k and
// Im h_k rows. That replaces, per frame, a frame copy, an FFT and a sparse product: on the
// default layouts (N = 256 or 512) the dense product runs near the core's FMA peak straight from
// the signal buffer (the frames overlap, so frame t is just x + t * hop), while the FFT path was
// bound by FFTW's per-call cost on small transforms and by the transposes the sparse product needs.
#pragma once

#include "cqt/kernel.hpp"

#include <cstddef>
#include <vector>

namespace cqtcnn::cqt {

struct FilterBank {
  int n_taps = 0;   // N, the octave's n_fft
  int n_bins = 0;   // complex outputs per frame
  int stride = 0;   // floats per tap row and per output row: 2 n_bins rounded up to the SIMD width
  // taps()[n * stride + 2k] = Re h_k[n], [.. + 2k + 1] = Im h_k[n]; the padding columns are zero,
  // so an output row holds bin k as the complex float pair at 2k.
  const float* taps() const { return storage.data() + offset; }

  std::vector<float> storage;
  std::size_t offset = 0;  // to the first cache-line-aligned float of storage
};

FilterBank time_domain_filters(const SparseKernel& k, int n_fft);
// A bank of n_taps x n_bins with every tap zero (the storage aligned and padded as above).
FilterBank zero_filter_bank(int n_taps, int n_bins);
// One bank per octave of the design, designed from librosa's kernels (octave_kernel).
std::vector<FilterBank> design_filter_banks(const CqtParams& p, const Design& d);

// Output row t (stride floats) of each of n_frames frames: frame t is the n_taps samples from
// x + t * hop. Every output is the sum over n = 0 .. N-1, in that order, of fused multiply-adds
// started from zero, whatever n_frames is, however the frames are grouped and whichever
// instruction set runs it (simd/frame_product.hpp), so frames computed in different calls
// (streams pushed in different blocks) are bitwise equal.
// apply_filter_bank is fastest on multiples of this many frames (a few dozen at most); the
// frames past the last multiple cost as much as a whole tile.
std::size_t tile_frames();

void apply_filter_bank(const FilterBank& bank, const float* x, std::ptrdiff_t hop, std::size_t n_frames,
                       float* out);

}  // namespace cqtcnn::cqt
