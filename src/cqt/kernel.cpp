#include "cqt/kernel.hpp"

#include "cqtcnn/error.hpp"
#include "io/shared_library.hpp"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <numeric>
#include <string>

namespace cqtcnn::cqt {

namespace {

// FFTW is opened on first use (io/shared_library.hpp): the built-in model's filters are designed
// at build time (cqt/precomputed.hpp), so most commands never plan a DFT.
struct FftwApi {
  decltype(&fftw_plan_dft_1d) plan_dft_1d;
  decltype(&fftw_destroy_plan) destroy_plan;
  decltype(&fftw_execute_dft) execute_dft;
};

const FftwApi& fftw() {
  static const FftwApi api = [] {
    const SharedLibrary lib(CQTCNN_FFTW_SONAME, "designing CQT filters");
    return FftwApi{CQTCNN_LIBRARY_FUNCTION(lib, fftw_plan_dft_1d),
                   CQTCNN_LIBRARY_FUNCTION(lib, fftw_destroy_plan),
                   CQTCNN_LIBRARY_FUNCTION(lib, fftw_execute_dft)};
  }();
  return api;
}

// FFTW's planner is not thread-safe (executing a plan is): Cqt objects may be built concurrently.
std::mutex planner_mutex;

}  // namespace

Dft::Dft(int n) : n_(n) {
  const FftwApi& api = fftw();
  std::vector<std::complex<double>> scratch(static_cast<std::size_t>(n));
  auto* data = reinterpret_cast<fftw_complex*>(scratch.data());
  const std::lock_guard lock(planner_mutex);
  plan_ = api.plan_dft_1d(n, data, data, FFTW_FORWARD, FFTW_ESTIMATE | FFTW_UNALIGNED);
  if (!plan_) throw Error("FFTW: cannot plan a DFT of length " + std::to_string(n));
}

Dft::~Dft() {
  const std::lock_guard lock(planner_mutex);
  fftw().destroy_plan(plan_);
}

void Dft::operator()(std::vector<std::complex<double>>& x) const {
  if (x.size() != static_cast<std::size_t>(n_)) throw Error("Dft: length mismatch");
  auto* data = reinterpret_cast<fftw_complex*>(x.data());
  fftw().execute_dft(plan_, data, data);
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
  const Dft dft(o.n_fft);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    auto& row = rows[r];
    // librosa stacks the wavelets as complex64, then scales by L / n_fft (rounded again)
    for (auto& v : row) {
      const std::complex<float> c64(v);
      v = std::complex<double>(std::complex<float>(std::complex<double>(c64) * (lengths[r] / o.n_fft)));
    }
    dft(row);
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
