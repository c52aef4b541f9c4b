#include "cli/output_format.hpp"

#include "cqtcnn/error.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace cqtcnn::cli {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

const OutputFormat* find(const std::vector<OutputFormat>& formats, const std::string& name_or_extension) {
  for (const OutputFormat& f : formats)
    if (f.name == name_or_extension || std::count(f.extensions.begin(), f.extensions.end(), name_or_extension))
      return &f;
  return nullptr;
}

}  // namespace

std::string choose_output_format(const std::string& explicit_format, const std::string& path,
                                 const std::vector<OutputFormat>& formats, const std::optional<std::string>& fallback) {
  std::string names, extensions;
  for (const OutputFormat& f : formats) {
    names += (names.empty() ? "" : "|") + f.name;
    for (const std::string& e : f.extensions) extensions += (extensions.empty() ? "." : ", .") + e;
  }
  if (!explicit_format.empty()) {
    if (const OutputFormat* f = find(formats, lower(explicit_format))) return f->name;
    throw InvalidInput("--format: unknown format \"" + explicit_format + "\" (" + names + ")");
  }
  std::string ext = lower(std::filesystem::path(path).extension().string());
  if (!ext.empty()) ext.erase(0, 1);
  if (!ext.empty())
    if (const OutputFormat* f = find(formats, ext)) return f->name;
  if (fallback && ext.empty()) return *fallback;  // an extension we do not write (.xlsx) is not text
  throw InvalidInput(path + ": cannot tell the output format from the extension " +
                     (ext.empty() ? std::string("(there is none)") : "\"." + ext + "\"") + " (" + extensions +
                     "); use --format " + names);
}

}  // namespace cqtcnn::cli
