#include "cli/inputs.hpp"

#include "cqtcnn/error.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
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

void add_list(std::istream& in, const InputOptions& o, std::vector<fs::path>& out) {
  std::string line;
  while (std::getline(in, line, o.null_separated ? '\0' : '\n')) {
    if (!o.null_separated && !line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) out.emplace_back(line);
  }
}

// Why collect_inputs found nothing: every path given was a folder without files to take, and
// the list, if any, was empty.
[[noreturn]] void throw_no_inputs(const InputOptions& o, const std::string& command) {
  std::string what = "audio files";
  if (o.extensions != audio_extensions()) {
    what = "files ending in";
    for (std::size_t i = 0; i < o.extensions.size(); ++i) what += (i ? ", ." : " .") + o.extensions[i];
  }
  std::string why;
  const auto add = [&](const std::string& reason) { why += (why.empty() ? ": " : "; ") + reason; };
  for (const std::string& dir : o.paths) {
    if (o.recursive) {
      add(dir + " and its sub-folders have no " + what);
      continue;
    }
    std::vector<fs::path> ignored;
    const std::size_t deeper = files_in_folder(dir, true, o.extensions, ignored).size();
    add(dir + " has no " + what +
        (deeper ? " (its sub-folders have " + std::to_string(deeper) + ": add -r to include them)" : ""));
  }
  if (o.files_from == "-") add("the list on standard input is empty");
  else if (!o.files_from.empty()) add(o.files_from + " lists no files");
  throw InvalidInput(command + ": no input files" + (why.empty() ? " (give files, folders or --files-from)" : why));
}

// The folders directly in `dir` (what -r would walk into).
std::size_t count_subfolders(const fs::path& dir) {
  std::size_t n = 0;
  std::error_code ec;
  for (fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end; !ec && it != end;
       it.increment(ec))
    n += it->is_directory(ec) ? 1 : 0;
  return n;
}

}  // namespace

std::vector<fs::path> files_in_folder(const fs::path& dir, bool recursive, const std::vector<std::string>& extensions,
                                      std::vector<fs::path>& skipped) {
  std::vector<fs::path> found;
  std::error_code ec;
  const auto options = fs::directory_options::skip_permission_denied;
  const std::size_t skipped_before = skipped.size();
  auto keep = [&](const fs::directory_entry& e) {
    std::error_code ignored;
    if (!e.is_regular_file(ignored)) return;
    if (has_extension(e.path(), extensions)) found.push_back(e.path());
    else if (!has_audio_extension(e.path())) skipped.push_back(e.path());
  };
  if (recursive) {
    for (fs::recursive_directory_iterator it(dir, options, ec), end; !ec && it != end; it.increment(ec)) keep(*it);
  } else {
    for (fs::directory_iterator it(dir, options, ec), end; !ec && it != end; it.increment(ec)) keep(*it);
  }
  if (ec) throw Error(dir.string() + ": cannot read folder: " + ec.message());
  std::sort(found.begin(), found.end());
  std::sort(skipped.begin() + std::ptrdiff_t(skipped_before), skipped.end());
  return found;
}

void report_skipped(const std::string& command, const std::vector<fs::path>& skipped) {
  if (skipped.empty()) return;
  constexpr std::size_t kNamed = 5;
  std::string names;
  for (std::size_t i = 0; i < std::min(skipped.size(), kNamed); ++i)
    names += (i ? ", " : "") + skipped[i].filename().string();
  if (skipped.size() > kNamed) names += " and " + std::to_string(skipped.size() - kNamed) + " more";
  const bool one = skipped.size() == 1;
  std::fprintf(stderr, "cqtcnn %s: skipped %zu %s not audio (%s)\n", command.c_str(), skipped.size(),
               one ? "file that is" : "files that are", names.c_str());
}

std::vector<fs::path> collect_inputs(const InputOptions& o, const std::string& command, bool quiet) {
  std::vector<fs::path> out, skipped;
  std::string skipped_folders;  // "2 sub-folders of a/, 1 of b/"
  for (const std::string& p : o.paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      const auto found = files_in_folder(p, o.recursive, o.extensions, skipped);
      out.insert(out.end(), found.begin(), found.end());
      if (const std::size_t n = o.recursive ? 0 : count_subfolders(p))
        skipped_folders += (skipped_folders.empty() ? std::to_string(n) + (n == 1 ? " sub-folder" : " sub-folders")
                                                    : ", " + std::to_string(n)) + " of " + p;
    } else {
      out.emplace_back(p);
    }
  }
  if (o.files_from == "-") {
    add_list(std::cin, o, out);
  } else if (!o.files_from.empty()) {
    std::ifstream list(o.files_from, std::ios::binary);
    if (!list) throw Error(o.files_from + ": cannot open the list of files: " + std::strerror(errno));
    add_list(list, o, out);
  }
  if (out.empty()) throw_no_inputs(o, command);
  if (!quiet) report_skipped(command, skipped);
  if (!quiet && !skipped_folders.empty())
    std::fprintf(stderr, "cqtcnn %s: skipped %s (-r includes them)\n", command.c_str(), skipped_folders.c_str());
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
