#include "cli/inputs.hpp"

#include "cqtcnn/error.hpp"

#include <algorithm>
#include <fstream>
#include <iostream>

namespace cqtcnn::cli {
namespace fs = std::filesystem;
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

bool has_extension(const fs::path& p, const std::vector<std::string>& extensions) {
  std::string ext = lower(p.extension().string());
  if (!ext.empty() && ext[0] == '.') ext.erase(0, 1);
  return std::find(extensions.begin(), extensions.end(), ext) != extensions.end();
}

void add_folder(const fs::path& dir, const InputOptions& o, std::vector<fs::path>& out) {
  std::vector<fs::path> found;
  std::error_code ec;
  const auto options = fs::directory_options::skip_permission_denied;
  auto keep = [&](const fs::directory_entry& e) {
    std::error_code ignored;
    if (e.is_regular_file(ignored) && has_extension(e.path(), o.extensions)) found.push_back(e.path());
  };
  if (o.recursive) {
    for (fs::recursive_directory_iterator it(dir, options, ec), end; !ec && it != end; it.increment(ec)) keep(*it);
  } else {
    for (fs::directory_iterator it(dir, options, ec), end; !ec && it != end; it.increment(ec)) keep(*it);
  }
  if (ec) throw Error(dir.string() + ": cannot read folder: " + ec.message());
  std::sort(found.begin(), found.end());
  out.insert(out.end(), found.begin(), found.end());
}

void add_list(std::istream& in, const InputOptions& o, std::vector<fs::path>& out) {
  std::string line;
  while (std::getline(in, line, o.null_separated ? '\0' : '\n')) {
    if (!o.null_separated && !line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) out.emplace_back(line);
  }
}

}  // namespace

std::vector<fs::path> collect_inputs(const InputOptions& o) {
  std::vector<fs::path> out;
  for (const std::string& p : o.paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec))
      add_folder(p, o, out);
    else
      out.emplace_back(p);
  }
  if (o.files_from == "-") {
    add_list(std::cin, o, out);
  } else if (!o.files_from.empty()) {
    std::ifstream list(o.files_from, std::ios::binary);
    if (!list) throw Error(o.files_from + ": cannot open the list of files");
    add_list(list, o, out);
  }
  return out;
}

std::vector<std::string> parse_extensions(const std::string& list) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    std::string ext = lower(list.substr(start, comma - start));
    if (!ext.empty() && ext[0] == '.') ext.erase(0, 1);
    if (!ext.empty()) out.push_back(ext);
    start = comma + 1;
  }
  return out;
}

}  // namespace cqtcnn::cli
