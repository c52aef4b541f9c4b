#include "cqtcnn/atomic_file.hpp"
#include "cqtcnn/error.hpp"
#include "cqtcnn/image.hpp"

#include <cstdio>
#include <string>

namespace cqtcnn {

void write_csv(const std::filesystem::path& path, std::span<const float> values, std::size_t rows, std::size_t cols) {
  if (values.size() != rows * cols)
    throw InvalidInput(path.string() + ": " + std::to_string(values.size()) + " values do not form " +
                       std::to_string(rows) + " x " + std::to_string(cols));
  write_file_atomically(path, [&](std::FILE* f) {
    std::string line;
    char number[32];
    for (std::size_t r = 0; r < rows; ++r) {
      line.clear();
      for (std::size_t c = 0; c < cols; ++c) {
        const int n = std::snprintf(number, sizeof number, "%.9g", double(values[r * cols + c]));
        if (c) line += ',';
        line.append(number, std::size_t(n));
      }
      line += '\n';
      write_bytes(f, line.data(), line.size(), path);
    }
  });
}

}  // namespace cqtcnn
