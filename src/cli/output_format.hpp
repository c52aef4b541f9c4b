// How a command picks the format of its output file, the same rule everywhere: --format when
// given, else the output's extension (classify -o out.csv writes CSV).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace cqtcnn::cli {

struct OutputFormat {
  std::string name;                     // as --format takes it, e.g. "text"
  std::vector<std::string> extensions;  // lower case, no dot, e.g. {"txt"}
};

// The format to write `path` in: `explicit_format` when not empty (a name or an extension of
// one of `formats`), else the format whose extension `path` has (any case), else `fallback`
// when `path` has no extension (stdout: ""). An unknown extension is refused (out.xlsx would not
// hold what its name says). Throws InvalidInput naming --format or the file.
std::string choose_output_format(const std::string& explicit_format, const std::string& path,
                                 const std::vector<OutputFormat>& formats,
                                 const std::optional<std::string>& fallback = std::nullopt);

}  // namespace cqtcnn::cli
