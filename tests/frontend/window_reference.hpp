// What a front-end window should hold, computed the slow way from the whole recording's CQT
// magnitudes: librosa's amplitude_to_db over the window (ref = its maximum), padding frames at
// -top_db, the bin mean subtracted if asked, then the normalisation. With values "pcen", `value`
// gives the whole recording's PCEN instead, taken as it is, and padding frames are 0.
#pragma once

#include "cqtcnn/decibels.hpp"
#include "cqtcnn/frontend.hpp"

#include <algorithm>
#include <cstddef>
#include <vector>

namespace cqtcnn::testing {

// `magnitude(frame, bin)` for frames [0, n_frames) of the whole recording.
template <typename Value>
std::vector<float> expected_window(Value&& value_at, std::size_t n_frames, const FrontendConfig& c,
                                   std::size_t start) {
  const auto n_bins = std::size_t(c.cqt.n_bins), width = std::size_t(c.window_frames);
  const std::size_t available = std::min(width, n_frames - start);
  std::vector<float> db(n_bins * available);
  for (std::size_t k = 0; k < n_bins; ++k)
    for (std::size_t t = 0; t < available; ++t) db[k * available + t] = value_at(start + t, k);
  if (c.values == FrontendValues::db) amplitude_to_db(db, {.ref = {}, .amin = c.amin, .top_db = c.top_db});
  const double silence = c.values == FrontendValues::db ? -c.top_db : 0.0;
  std::vector<float> out(n_bins * width);
  for (std::size_t k = 0; k < n_bins; ++k) {
    // With subtract_bin_mean: the bin's mean over the audio frames (padding excluded) comes off
    // every frame, padding (silence) included.
    double bin_mean = 0.0;
    if (c.subtract_bin_mean) {
      for (std::size_t t = 0; t < available; ++t) bin_mean += db[k * available + t];
      bin_mean /= double(available);
    }
    for (std::size_t t = 0; t < width; ++t) {
      const double value = t < available ? db[k * available + t] : silence;
      out[k * width + t] = float((value - bin_mean - c.norm_mean) / c.norm_std);
    }
  }
  return out;
}

}  // namespace cqtcnn::testing
