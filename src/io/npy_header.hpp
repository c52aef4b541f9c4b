// The .npy header: a Python dict literal such as
//   {'descr': '<f4', 'fortran_order': False, 'shape': (84, 130), }
// preceded by the magic "\x93NUMPY", a version and the header length (numpy/lib/format.py).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cqtcnn::npy {

struct Header {
  std::string descr;  // e.g. "<f4"
  bool fortran_order = false;
  std::vector<std::int64_t> shape;
};

// Parses the dict text; throws std::invalid_argument with a short cause on malformed input.
Header parse_header_dict(std::string_view text);

// The full preamble (magic, version, length, padded dict, '\n') for an array of `descr`
// and `shape`: version 1.0 unless the dict needs more than 65535 bytes. The preamble length
// is a multiple of 64 so that the data is aligned for memory mapping, and at least `min_length`
// (more padding), so that a header written before the shape was known can be written over.
// With `fortran_order` the data that follows is column-major (the first index varies fastest).
std::string format_header(std::string_view descr, const std::vector<std::int64_t>& shape,
                          std::size_t min_length = 0, bool fortran_order = false);

}  // namespace cqtcnn::npy
