// NumPy .npy files (format versions 1.0-3.0): the exchange format with Python. The reader
// parses the header (descr, fortran_order, shape) and refuses what it does not support with an
// InvalidInput naming the file and the field. Format: numpy/lib/format.py (NEP 1).
#pragma once

#include <complex>
#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

namespace cqtcnn {

struct NpyArray {
  std::vector<std::int64_t> shape;  // C order; empty for a 0-d (scalar) array
  std::vector<float> data;          // converted to float32 (from <f4, <f8, integer types)
  std::size_t size() const { return data.size(); }
};

struct NpyComplexArray {
  std::vector<std::int64_t> shape;
  std::vector<std::complex<float>> data;  // from <c8, <c16, or any real type (imaginary 0)
  std::size_t size() const { return data.size(); }
};

// Reads a little-endian, C-order numeric array as float32. Accepts <f4 <f8 <i1..<i8 <u1..<u8
// and |b1; refuses complex types (use read_npy_complex), big-endian data and files whose
// length does not match the shape. Fortran-ordered files (librosa's outputs) are reordered:
// `data` is always C order.
NpyArray read_npy(const std::filesystem::path& path);
// As read_npy, but also accepts complex <c8 and <c16, returned as complex64.
NpyComplexArray read_npy_complex(const std::filesystem::path& path);

// Writes a float32 or complex64 array. The file is written to a temporary name beside the
// target and renamed, so an interrupted run never leaves a truncated file. Throws
// InvalidInput if the shape's product differs from data.size().
void write_npy(const std::filesystem::path& path, std::span<const std::int64_t> shape,
               std::span<const float> data);
void write_npy(const std::filesystem::path& path, std::span<const std::int64_t> shape,
               std::span<const std::complex<float>> data);

}  // namespace cqtcnn
