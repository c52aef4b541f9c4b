// Spectrogram rendering: resize the value grid (nearest or bilinear, pixel centres aligned as
// in image resampling with align_corners=False), map the range to [0, 1], colour with magma.
#include "cqtcnn/error.hpp"
#include "figure/image.hpp"
#include "figure/colormap.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace cqtcnn {
namespace {

// Source coordinate of output pixel centre i when n_in samples are stretched to n_out.
double source_position(int i, int n_in, int n_out) {
  return std::clamp((i + 0.5) * double(n_in) / double(n_out) - 0.5, 0.0, double(n_in - 1));
}

// Value of the grid at fractional position (row r, column c).
float sample(std::span<const float> v, int n_cols, double r, double c, Resize mode) {
  if (mode == Resize::nearest) {
    const auto ri = std::size_t(std::lround(r)), ci = std::size_t(std::lround(c));
    return v[ri * std::size_t(n_cols) + ci];
  }
  const int r0 = int(r), c0 = int(c);
  const int n_rows = int(v.size() / std::size_t(n_cols));
  const int r1 = std::min(r0 + 1, n_rows - 1), c1 = std::min(c0 + 1, n_cols - 1);
  const double fr = r - r0, fc = c - c0;
  auto at = [&](int rr, int cc) { return double(v[std::size_t(rr) * std::size_t(n_cols) + std::size_t(cc)]); };
  return float((1 - fr) * ((1 - fc) * at(r0, c0) + fc * at(r0, c1)) + fr * ((1 - fc) * at(r1, c0) + fc * at(r1, c1)));
}

}  // namespace

Image spectrogram_image(std::span<const float> values, int n_bins, int n_frames, const SpectrogramImageOptions& o) {
  if (n_bins <= 0 || n_frames <= 0 || values.size() != std::size_t(n_bins) * std::size_t(n_frames))
    throw InvalidInput("spectrogram image: " + std::to_string(values.size()) + " values do not form " +
                       std::to_string(n_bins) + " bins x " + std::to_string(n_frames) + " frames");
  if (o.width < 0 || o.height < 0) throw InvalidInput("--width/--height: must not be negative");
  if (o.top_db && !(*o.top_db > 0)) throw InvalidInput("top_db: must be positive");
  const auto [lo_it, hi_it] = std::minmax_element(values.begin(), values.end());
  const double hi = *hi_it;
  const double lo = o.top_db ? hi - *o.top_db : double(*lo_it);
  const double span = hi > lo ? hi - lo : 1.0;

  Image img;
  img.width = o.width ? o.width : n_frames;
  img.height = o.height ? o.height : n_bins;
  img.channels = 3;
  img.pixels.resize(std::size_t(img.width) * std::size_t(img.height) * 3);
  for (int y = 0; y < img.height; ++y) {
    // Image rows run top-down, bins bottom-up.
    const double bin = source_position(img.height - 1 - y, n_bins, img.height);
    for (int x = 0; x < img.width; ++x) {
      const double frame = source_position(x, n_frames, img.width);
      const float v = sample(values, n_frames, bin, frame, o.resize);
      const auto rgb = io::magma(float((double(v) - lo) / span));
      std::copy(rgb.begin(), rgb.end(), img.pixels.begin() + (std::ptrdiff_t(y) * img.width + x) * 3);
    }
  }
  return img;
}

}  // namespace cqtcnn
