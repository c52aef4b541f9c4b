// CSV: tables of numbers written atomically (atomic_file.hpp), and one field quoted or one line
// split as RFC 4180 says.
#pragma once

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cqtcnn {

// A rows x cols table of values[row * cols + col], one line per row, comma-separated, each
// number printed with %.9g (enough to round-trip a float32); `header`, when given, is the
// first line (one name per column).
void write_csv(const std::filesystem::path& path, std::span<const float> values, std::size_t rows,
               std::size_t cols, const std::vector<std::string>& header = {});

// A CSV field, quoted (RFC 4180) when it holds a comma, quote or line break.
std::string csv_field(const std::string& s);
// The fields of one CSV line, unquoted (the reverse of csv_field; carriage returns outside
// quotes are dropped). An empty line is one empty field.
std::vector<std::string> split_csv_line(std::string_view line);

}  // namespace cqtcnn
