#include "io/atomic_file.hpp"
#include "cqtcnn/error.hpp"
#include "io/csv.hpp"

#include <cstdio>
#include <string>

namespace cqtcnn {

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::vector<std::string> split_csv_line(std::string_view line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      fields.back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      fields.emplace_back();
    } else if (c != '\r' || quoted) {
      fields.back() += c;
    }
  }
  return fields;
}

void write_csv(const std::filesystem::path& path, std::span<const float> values, std::size_t rows, std::size_t cols,
               const std::vector<std::string>& header) {
  if (values.size() != rows * cols)
    throw InvalidInput(path.string() + ": " + std::to_string(values.size()) + " values do not form " +
                       std::to_string(rows) + " x " + std::to_string(cols));
  if (!header.empty() && header.size() != cols)
    throw InvalidInput(path.string() + ": " + std::to_string(header.size()) + " column names for " +
                       std::to_string(cols) + " columns");
  write_file_atomically(path, [&](std::FILE* f) {
    std::string line;
    for (std::size_t c = 0; c < header.size(); ++c) line.append(c ? "," : "").append(csv_field(header[c]));
    if (!header.empty()) {
      line += '\n';
      write_bytes(f, line.data(), line.size(), path);
    }
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
