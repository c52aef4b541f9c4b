// NumPy .npy files (format versions 1.0-3.0): the exchange format with Python. The reader
// parses the header (descr, fortran_order, shape) and refuses what it does not support with an
// InvalidInput naming the file and the field.
#pragma once

#include <complex>
#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

namespace cqtcnn {

struct NpyArray {
  std::vector<std::int64_t> shape;  // C order
  std::vector<float> data;          // converted to float32 (from <f4, <f8, integer types)
  std::size_t size() const { return data.size(); }
};

// Reads a little-endian, C-order numeric array as float32.
NpyArray read_npy(const std::filesystem::path& path);

// Writes a float32 or complex64 array. The file is written to a temporary name beside the
// target and renamed, so an interrupted run never leaves a truncated file.
void write_npy(const std::filesystem::path& path, std::span<const std::int64_t> shape,
               std::span<const float> data);
void write_npy(const std::filesystem::path& path, std::span<const std::int64_t> shape,
               std::span<const std::complex<float>> data);

}  // namespace cqtcnn
