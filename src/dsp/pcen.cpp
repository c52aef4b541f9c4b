// PCEN, as librosa.pcen (pcen.hpp): scipy's lfilter in direct form II transposed, then the gain
// control and compression, all in double precision.
#include "cqtcnn/pcen.hpp"

#include "cqtcnn/error.hpp"

#include <cmath>
#include <string>

namespace cqtcnn {

double pcen_smoothing(double time_constant, double frames_per_second) {
  const double t = time_constant * frames_per_second;
  return (std::sqrt(1.0 + 4.0 * t * t) - 1.0) / (2.0 * t * t);
}

Pcen::Pcen(int n_bins, const PcenOptions& options, double frames_per_second) : o_(options) {
  for_each_pcen_param([&](const auto& param, auto member) {
    if (const std::string problem = param.check(o_.*member); !problem.empty())
      throw InvalidInput("pcen: " + std::string(param.name) + " " + problem);
  });
  if (n_bins < 1) throw InvalidInput("pcen: n_bins must be at least 1");
  if (!(frames_per_second > 0) || !std::isfinite(frames_per_second))
    throw InvalidInput("pcen: the frame rate must be positive");
  b_ = pcen_smoothing(o_.time_constant, frames_per_second);
  // scipy.signal.lfilter_zi([b], [1, b - 1]): the delay of a filter that has seen 1 forever
  state_.assign(std::size_t(n_bins), 1.0 - b_);
}

void Pcen::apply(std::span<float> frame) {
  if (frame.size() != state_.size())
    throw Error("pcen: a frame of " + std::to_string(frame.size()) + " bins, expected " + std::to_string(state_.size()));
  const double log_eps = std::log(o_.eps), a1 = b_ - 1.0;
  const double bias_power = std::pow(o_.bias, o_.power);
  const bool settle = o_.settled && !started_;
  started_ = true;
  for (std::size_t k = 0; k < frame.size(); ++k) {
    const double s = double(float(double(frame[k]) * o_.scale));  // numpy: float32 |C| * scale stays float32
    if (settle) state_[k] = -a1 * s;  // the delay of a filter that has seen s forever
    const double m = b_ * s + state_[k];                            // lfilter, direct form II transposed
    state_[k] = -a1 * m;
    const double smooth = std::exp(-o_.gain * (log_eps + std::log1p(m / o_.eps)));
    double p;
    if (o_.power == 0.0)
      p = std::log1p(s * smooth);
    else if (o_.bias == 0.0)
      p = std::exp(o_.power * (std::log(s) + std::log(smooth)));
    else
      p = bias_power * std::expm1(o_.power * std::log1p(s * smooth / o_.bias));
    frame[k] = float(p);
  }
}

}  // namespace cqtcnn
