#include "cli/batch.hpp"

#include "cqtcnn/error.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>

namespace cqtcnn::cli {
namespace {

// FNV-1a: a hash of the path's bytes that is the same on every machine and every run.
std::uint64_t stable_hash(const std::string& s) {
  std::uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}

// The complete rows of an existing output: a killed run may have left a partial last row, which
// is not part of them.
std::string complete_rows(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  const auto last_newline = text.rfind('\n');
  text.resize(last_newline == std::string::npos ? 0 : last_newline + 1);
  return text;
}

}  // namespace

std::vector<std::filesystem::path> select_shard(std::vector<std::filesystem::path> files, const std::string& spec) {
  unsigned k = 0, n = 0;
  char extra = 0;
  if (std::sscanf(spec.c_str(), "%u/%u%c", &k, &n, &extra) != 2 || n == 0 || k < 1 || k > n)
    throw InvalidInput("--shard: expected K/N with 1 <= K <= N, got \"" + spec + "\"");
  std::erase_if(files, [&](const std::filesystem::path& p) { return stable_hash(p.string()) % n != k - 1; });
  return files;
}

std::string resume_output(const std::string& output,
                          const std::function<std::set<std::string>(const std::string& rows)>& paths_in,
                          std::vector<std::filesystem::path>& files) {
  std::string rows = complete_rows(output);
  const std::set<std::string> done = paths_in(rows);
  std::error_code missing;
  const auto size = std::filesystem::file_size(output, missing);
  if (!missing && size > rows.size()) std::filesystem::resize_file(output, rows.size());
  std::erase_if(files, [&](const std::filesystem::path& p) { return done.count(p.string()) > 0; });
  return rows;
}

Batch::Batch(std::string command, std::size_t files, bool quiet, bool interruptible)
    : command_(std::move(command)), files_(files), quiet_(quiet), progress_(files, !quiet) {
  if (interruptible) signals_.emplace();
}

void Batch::say(const std::string& text) {
  if (quiet_) return;
  progress_.clear();
  std::fprintf(stderr, "cqtcnn %s: %s\n", command_.c_str(), text.c_str());
}

}  // namespace cqtcnn::cli
