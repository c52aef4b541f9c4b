#include "frontend/features.hpp"

#include "io/atomic_file.hpp"
#include "cqtcnn/error.hpp"
#include "io/npy_header.hpp"
#include "base/parallel.hpp"
#include "io/csv.hpp"

#include <condition_variable>
#include <cstdio>
#include <exception>
#include <mutex>
#include <optional>

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

    // Files finish in any order; each waits here until the ones before it are written. A worker
    // does not start a file more than `ahead` places after the next one to write, so that the
    // memory held stays that of a few files.
    const std::size_t ahead = 2 * std::size_t(std::max(1, options.threads));
    std::vector<std::optional<FileWindows>> finished(files.size());
    std::size_t next = 0;
    std::exception_ptr write_error;  // a failed write, rethrown here rather than in a worker
    std::mutex mutex;
    std::condition_variable written;
    parallel_for(files.size(), options.threads, [&](std::size_t i) {
      {
        std::unique_lock lock(mutex);
        written.wait(lock, [&] { return i < next + ahead; });
      }
      FileWindows result = windows_of(frontend, files[i], options.hop_frames);
      std::lock_guard lock(mutex);
      finished[i] = std::move(result);
      for (; next < files.size() && finished[next]; ++next) {
        FileWindows& w = *finished[next];
        if (!w.error.empty()) {
          if (options.on_error) options.on_error(w.error);
          ++failed;
        } else if (!failed && !write_error) {
          try {
            write_bytes(f, w.values.data(), w.values.size() * sizeof(float), npy);
          } catch (...) {
            write_error = std::current_exception();
          }
          for (std::size_t start = 0, end; (end = w.index.find('\n', start)) != std::string::npos; start = end + 1)
            index += std::to_string(rows++) + w.index.substr(start, end + 1 - start);
        }
        finished[next] = FileWindows{};  // frees its windows; the slot stays marked done
      }
      written.notify_all();
    });
    if (write_error) std::rethrow_exception(write_error);
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
