// Image output: PNG via libpng (a generic 8-bit grey/RGB writer, and spectrogram rendering with
// the magma colormap). Every file is written atomically (io/atomic_file.hpp).
#pragma once

#include "cqtcnn/params.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace cqtcnn {

struct Image {
  int width = 0;
  int height = 0;
  int channels = 3;                  // 1 = grey, 3 = RGB
  std::vector<std::uint8_t> pixels;  // row-major, top row first, channels interleaved
};

// Writes an 8-bit grey or RGB PNG (with libpng, in the figures module that figure.hpp's drawing
// loads on first use). Throws InvalidInput for an inconsistent image, Error for I/O or when the
// module cannot be loaded.
void write_png(const std::filesystem::path& path, const Image& image);

enum class Resize { nearest, bilinear };

struct SpectrogramImageOptions {
  // Colour range [max - top_db, max] (for dB values); empty: [min, max] of the data.
  std::optional<double> top_db = params::db::top_db.default_value;
  int width = 0;   // output size in pixels; 0 = one pixel per frame / per bin
  int height = 0;
  Resize resize = Resize::bilinear;
};

// Renders values[bin * n_frames + frame] (row 0 = lowest frequency) as an RGB image with the
// magma colormap: time to the right, low frequencies at the bottom, the maximum brightest.
Image spectrogram_image(std::span<const float> values, int n_bins, int n_frames,
                        const SpectrogramImageOptions& options = {});

}  // namespace cqtcnn
