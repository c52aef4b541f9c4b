// Colour lookup for spectrogram images.
#pragma once

#include <array>
#include <cstdint>

namespace cqtcnn::io {

const std::array<std::array<float, 3>, 256>& magma_table();

// The RGB colour of t in [0, 1] (clamped): the nearest of the 256 entries, converted to bytes
// by truncating v * 255 as matplotlib's Colormap(..., bytes=True) does.
inline std::array<std::uint8_t, 3> magma(float t) {
  const float c = t >= 0.0f ? (t < 1.0f ? t : 1.0f) : 0.0f;  // NaN maps to 0
  int i = static_cast<int>(c * 256.0f);  // matplotlib: int(x * N), with x == 1 -> N - 1
  i = i < 0 ? 0 : (i > 255 ? 255 : i);
  const auto& e = magma_table()[std::size_t(i)];
  return {std::uint8_t(e[0] * 255.0f), std::uint8_t(e[1] * 255.0f), std::uint8_t(e[2] * 255.0f)};
}

}  // namespace cqtcnn::io
