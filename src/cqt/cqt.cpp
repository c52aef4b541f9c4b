// Cqt: builds the per-octave filter banks once; transform() is a stream pushed whole, so
// whole-signal and block processing give identical frames by construction.
#include "cqt/cqt_impl.hpp"

#include "cqt/precomputed.hpp"

#include <algorithm>

namespace cqtcnn {

Cqt::Impl::Impl(const CqtParams& p)
    : params(p), design(cqt::make_design(p)), filters(cqt::provided_filter_banks(p, design)) {
  if (filters.empty()) filters = cqt::design_filter_banks(params, design);  // none built in
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
  constexpr std::size_t block = 1 << 13;
  Spectrogram out;
  out.data.reserve(n_frames(samples.size()) * std::size_t(n_bins()));
  Stream s = stream();
  for (std::size_t at = 0; at < samples.size(); at += block)
    s.push(samples.subspan(at, std::min(block, samples.size() - at)), out);
  s.finish(out);
  return out;
}

}  // namespace cqtcnn
