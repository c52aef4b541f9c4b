// CqtParams: presets, validation and the bin frequencies (librosa interval_frequencies with
// intervals="equal").
#include "cqtcnn/cqt.hpp"
#include "cqtcnn/error.hpp"
#include "cqt/design.hpp"

#include <cmath>
#include <string>
#include <string_view>

namespace cqtcnn {
namespace {

[[noreturn]] void bad(std::string_view name, const std::string& problem) {
  throw InvalidInput("cqt: " + std::string(name) + " " + problem);
}

// Each kind of parameter against its declaration in params::cqt.
template <typename Param, typename T>
void check(const Param& param, const T& value) {
  if (const std::string problem = param.check(value); !problem.empty()) bad(param.name, problem);
}
void check(const ChoiceParam& param, PadMode value) {
  if (std::size_t(value) >= param.choices.size()) bad(param.name, "is not a PadMode");
}
void check(const FlagParam&, bool) {}

}  // namespace

namespace cqt {
void check_params(const CqtParams& p) {
  NumberParam<double> sr = params::frontend::sample_rate;  // the front end's rate, librosa's name
  sr.name = "sr";
  check(sr, p.sr);
  for_each_cqt_param([&](const auto& param, auto member) { check(param, p.*member); });
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

int CqtParams::bins_below_nyquist() const { return cqt::bins_below_nyquist(*this); }

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
