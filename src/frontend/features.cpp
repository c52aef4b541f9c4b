#include "frontend/features.hpp"

#include "io/atomic_file.hpp"
#include "cqtcnn/error.hpp"
#include "io/npy_header.hpp"
#include "base/parallel.hpp"
#include "io/csv.hpp"

#include <algorithm>
#include <cstdio>

namespace cqtcnn {
namespace {

// One file's windows, waiting to be written in input order.
struct FileWindows {
  std::vector<float> values;  // the windows one after the other
  std::string index;          // their index rows, without row numbers: ",path,window,start_s,end_s\n"
  std::int64_t count = 0;
  std::string error;
};

FileWindows windows_of(const Frontend& frontend, const std::filesystem::path& path, int hop_frames) {
  FileWindows out;
  const std::string path_field = csv_field(path.string());
  try {
    frontend.process_file(
        path,
        [&](const FeatureWindow& w) {
          out.values.insert(out.values.end(), w.values.begin(), w.values.end());
          char times[64];
          std::snprintf(times, sizeof times, "%.6f,%.6f", w.start_s, w.end_s);
          out.index += "," + path_field + "," + std::to_string(w.index) + "," + times + "\n";
          ++out.count;
        },
        hop_frames);
  } catch (const std::exception& e) {
    out = {};
    out.error = e.what();
  }
  return out;
}

// The NPY header of `rows` windows, at least `length` bytes long.
std::string npy_header(std::int64_t rows, const Frontend& frontend, std::size_t length) {
  return npy::format_header("<f4", {rows, 1, frontend.height(), frontend.width()}, length);
}

}  // namespace

std::int64_t write_features(const Frontend& frontend, const std::vector<std::filesystem::path>& files,
                            const std::filesystem::path& npy, const FeaturesOptions& options) {
  std::string index = "row,path,window,start_s,end_s\n";
  std::int64_t rows = 0;
  std::size_t failed = 0;
  write_file_atomically(npy, [&](std::FILE* f) {
    // A header for the largest row count, written over once the count is known.
    const std::size_t header_length = npy_header(std::int64_t(1) << 62, frontend, 0).size();
    const std::string placeholder = npy_header(0, frontend, header_length);
    write_bytes(f, placeholder.data(), placeholder.size(), npy);

    // A worker does not start a file more than `ahead` places after the next one to write, so
    // that the memory held stays that of a few files.
    const int threads = std::max(1, options.threads);
    const InOrder how{.threads = threads, .ahead = 2 * std::size_t(threads), .finished = options.on_progress};
    parallel_in_order(
        files.size(), how, [&](std::size_t i) { return windows_of(frontend, files[i], options.hop_frames); },
        [&](std::size_t, FileWindows w) {
          if (!w.error.empty()) {
            if (options.on_error) options.on_error(w.error);
            ++failed;
            return;
          }
          if (failed) return;  // no output will be written: only the other failures matter
          write_bytes(f, w.values.data(), w.values.size() * sizeof(float), npy);
          for (std::size_t start = 0, end; (end = w.index.find('\n', start)) != std::string::npos; start = end + 1)
            index += std::to_string(rows++) + w.index.substr(start, end + 1 - start);
        });
    if (failed)
      throw Error(std::to_string(failed) + " of " + std::to_string(files.size()) + " files failed; no output written");
    const std::string header = npy_header(rows, frontend, header_length);
    if (std::fseek(f, 0, SEEK_SET) != 0) throw Error(npy.string() + ": cannot seek to rewrite the header");
    write_bytes(f, header.data(), header.size(), npy);
  });
  if (!options.index.empty())
    write_file_atomically(options.index,
                          [&](std::FILE* f) { write_bytes(f, index.data(), index.size(), options.index); });
  return rows;
}

}  // namespace cqtcnn
