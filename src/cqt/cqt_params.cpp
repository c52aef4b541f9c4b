// CqtParams: presets, validation and the bin frequencies (librosa interval_frequencies with
// intervals="equal").
#include "cqtcnn/cqt.hpp"
#include "cqtcnn/error.hpp"
#include "cqt/design.hpp"

#include <cmath>
#include <sstream>

namespace cqtcnn {
namespace {

[[noreturn]] void bad(const std::string& field, const std::string& problem, double value) {
  std::ostringstream s;
  s << "cqt: " << field << " " << problem << ", got " << value;
  throw InvalidInput(s.str());
}

}  // namespace

namespace cqt {
void check_params(const CqtParams& p) {
  if (!(p.sr > 0) || !std::isfinite(p.sr)) bad("sr", "must be a positive sample rate", p.sr);
  if (p.hop_length <= 0) bad("hop_length", "must be > 0", p.hop_length);
  if (!(p.fmin > 0) || !std::isfinite(p.fmin)) bad("fmin", "must be > 0 Hz", p.fmin);
  if (p.n_bins <= 0) bad("n_bins", "must be > 0", p.n_bins);
  if (p.bins_per_octave <= 0) bad("bins_per_octave", "must be > 0", p.bins_per_octave);
  if (!(p.filter_scale > 0) || !std::isfinite(p.filter_scale)) bad("filter_scale", "must be > 0", p.filter_scale);
  if (!std::isfinite(p.gamma)) bad("gamma", "must be finite (negative selects ERB)", p.gamma);
  if (!(p.norm >= 0)) bad("norm", "must be 0 (none), > 0 or inf", p.norm);
  if (!(p.sparsity >= 0 && p.sparsity < 1)) bad("sparsity", "must be in [0, 1)", p.sparsity);
  if (!std::isfinite(p.tuning)) bad("tuning", "must be finite", p.tuning);
  if (!is_known_window(p.window))
    throw InvalidInput("cqt: window \"" + p.window +
                       "\" is not supported (hann, hamming, blackman, blackmanharris, rectangular)");
}
}  // namespace cqt

CqtParams CqtParams::librosa(double sr) {
  CqtParams p;
  p.sr = sr;
  return p;
}

CqtParams CqtParams::brown1991(double sr, int bins_per_octave) {
  // Brown's Q = 1 / (2^(1/B) - 1) written as librosa's Q = filter_scale / alpha, with
  // alpha = (2^(2/B) - 1) / (2^(2/B) + 1); then L_k = Q sr / f_k is Brown's N[k].
  CqtParams p = librosa(sr);
  const double b = bins_per_octave;
  const double r = std::pow(2.0, 2.0 / b);
  p.bins_per_octave = bins_per_octave;
  p.n_bins = 7 * bins_per_octave;
  p.filter_scale = ((r - 1.0) / (r + 1.0)) / (std::pow(2.0, 1.0 / b) - 1.0);
  p.window = "hamming";
  return p;
}

void CqtParams::validate() const { cqt::make_design(*this); }

double CqtParams::bin_frequency(int k) const {
  // interval_frequencies: (2^octave * 2^(j/B)) * fmin', fmin' = fmin 2^(tuning/B)
  const double fmin_tuned = fmin * std::pow(2.0, tuning / bins_per_octave);
  const int octave = k / bins_per_octave, j = k % bins_per_octave;
  return std::pow(2.0, double(octave)) * std::pow(2.0, double(j) / bins_per_octave) * fmin_tuned;
}

std::vector<double> CqtParams::frequencies() const {
  std::vector<double> f;
  for (int k = 0; k < n_bins; ++k) f.push_back(bin_frequency(k));
  return f;
}

std::vector<double> CqtParams::filter_lengths() const { return cqt::make_design(*this).lengths; }

}  // namespace cqtcnn
