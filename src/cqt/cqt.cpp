// Cqt: builds the per-octave kernels and FFTW plans once; transform() is a stream pushed whole,
// so whole-signal and block processing give identical frames by construction.
#include "cqt/engine.hpp"

#include "cqtcnn/error.hpp"

#include <algorithm>
#include <mutex>
#include <string>

namespace cqtcnn {
namespace {

// FFTW's planner is not thread-safe; executing a plan on new arrays is.
std::mutex& planner_mutex() {
  static std::mutex m;
  return m;
}

}  // namespace

Cqt::Impl::Impl(const CqtParams& p) : params(p), design(cqt::make_design(p)) {
  for (const cqt::Octave& o : design.octaves) {
    kernels.push_back(cqt::octave_kernel(params, design, o));
    max_fft = std::max(max_fft, o.n_fft);
  }
  float* in = fftwf_alloc_real(std::size_t(max_fft));
  fftwf_complex* out = fftwf_alloc_complex(std::size_t(max_fft / 2 + 1));
  {
    const std::lock_guard<std::mutex> lock(planner_mutex());
    for (std::size_t i = 0; i < design.octaves.size(); ++i) {
      const int n = design.octaves[i].n_fft;
      if (i > 0 && design.octaves[i - 1].n_fft == n) {
        plans.push_back(plans.back());
        continue;
      }
      plans.push_back(fftwf_plan_dft_r2c_1d(n, in, out, FFTW_ESTIMATE));
      if (!plans.back()) throw Error("cqt: FFTW could not plan a " + std::to_string(n) + "-point transform");
    }
  }
  fftwf_free(in);
  fftwf_free(out);
}

Cqt::Impl::~Impl() {
  const std::lock_guard<std::mutex> lock(planner_mutex());
  for (std::size_t i = 0; i < plans.size(); ++i)
    if (i == 0 || plans[i] != plans[i - 1]) fftwf_destroy_plan(plans[i]);
}

Cqt::Cqt(const CqtParams& params) : impl_(std::make_unique<Impl>(params)) {}
Cqt::~Cqt() = default;
Cqt::Cqt(Cqt&&) noexcept = default;
Cqt& Cqt::operator=(Cqt&&) noexcept = default;

const CqtParams& Cqt::params() const { return impl_->params; }
int Cqt::n_bins() const { return impl_->params.n_bins; }
std::size_t Cqt::n_frames(std::size_t n_samples) const { return cqt::frame_count(impl_->design, n_samples); }

Spectrogram Cqt::transform(std::span<const float> samples) const {
  // Blocks keep the working set in cache; the stream makes the split invisible in the result.
  constexpr std::size_t block = 1 << 15;
  Spectrogram out;
  out.data.reserve(n_frames(samples.size()) * std::size_t(n_bins()));
  Stream s = stream();
  for (std::size_t at = 0; at < samples.size(); at += block)
    s.push(samples.subspan(at, std::min(block, samples.size() - at)), out);
  s.finish(out);
  return out;
}

}  // namespace cqtcnn
