// The spectral kernel of one octave (Brown & Puckette 1992): the FFT of each bin's time-domain
// wavelet, sparsified, so that bin k of a frame is sum_j K[k, j] X[j] over the frame's rfft X.
// Built as librosa's __vqt_filter_fft does, with the octave's rate compensation and (scale=True)
// the 1/sqrt(L_k) of vqt folded into each row.
#pragma once

#include "cqt/design.hpp"

#include <complex>
#include <vector>

struct fftw_plan_s;  // fftw3.h's fftw_plan points to one

namespace cqtcnn::cqt {

// Compressed sparse rows over the n_fft/2 + 1 rfft bins.
struct SparseKernel {
  int n_rows = 0;
  std::vector<int> row_start;  // n_rows + 1 offsets into col / value
  std::vector<int> col;
  std::vector<std::complex<float>> value;
  int min_col = 0, max_col = -1;  // the rfft bins any row uses
};

SparseKernel octave_kernel(const CqtParams& p, const Design& d, const Octave& o);

// librosa util.sparsify_rows for one row: keeps the entries whose magnitude is at least that
// of the smallest entries holding `quantile` of the row's L1 mass (so the dropped ones hold
// less than `quantile`). Returns the kept indices in increasing order.
std::vector<int> sparsify_row(const std::vector<std::complex<double>>& row, double quantile);

// In-place forward DFT (sign -1, unnormalised) of one length with FFTW, in double precision as
// numpy.fft computes the kernel. Planned once (FFTW_ESTIMATE), executed on many rows.
class Dft {
 public:
  explicit Dft(int n);
  ~Dft();
  Dft(const Dft&) = delete;
  Dft& operator=(const Dft&) = delete;
  void operator()(std::vector<std::complex<double>>& x) const;

 private:
  int n_;
  ::fftw_plan_s* plan_;
};

}  // namespace cqtcnn::cqt
