// Periodic windows as scipy.signal.get_window(name, n, fftbins=True) makes them: a generalised
// cosine sum_k a_k cos(k x) over x = linspace(-pi, pi, n + 1), last point dropped.
#include "cqt/design.hpp"

#include <cmath>
#include <numbers>
#include <string_view>

namespace cqtcnn::cqt {
namespace {

struct WindowInfo {
  std::string_view name;
  std::vector<double> coefficients;  // general cosine a_0, a_1, ...
  double bandwidth;                  // librosa filters.WINDOW_BANDWIDTHS
};

const std::vector<WindowInfo>& windows() {
  static const std::vector<WindowInfo> table = {
      {"hann", {0.5, 0.5}, 1.50018310546875},
      {"hamming", {0.54, 0.46}, 1.3629455320350348},
      {"blackman", {0.42, 0.50, 0.08}, 1.7269681554262326},
      {"blackmanharris", {0.35875, 0.48829, 0.14128, 0.01168}, 2.0045975283585014},
      {"rectangular", {1.0}, 1.0},
  };
  return table;
}

const WindowInfo* find(const std::string& name) {
  for (const auto& w : windows())
    if (w.name == name) return &w;
  return nullptr;
}

}  // namespace

double window_bandwidth(const std::string& name) { return find(name)->bandwidth; }

std::vector<double> periodic_window(const std::string& name, int n) {
  const WindowInfo& w = *find(name);
  std::vector<double> out(static_cast<std::size_t>(n), 0.0);
  if (n == 1) {
    out[0] = 1.0;  // scipy returns ones(1) for a single tap
    return out;
  }
  // numpy.linspace(-pi, pi, n + 1)[i] = -pi + i * step
  const double step = 2.0 * std::numbers::pi / double(n);
  for (int i = 0; i < n; ++i) {
    const double x = double(i) * step - std::numbers::pi;
    double v = 0.0;
    for (std::size_t k = 0; k < w.coefficients.size(); ++k) v += w.coefficients[k] * std::cos(double(k) * x);
    out[std::size_t(i)] = v;
  }
  return out;
}

}  // namespace cqtcnn::cqt
