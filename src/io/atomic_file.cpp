// Temporary file + rename: rename(2) within one directory is atomic on POSIX file systems.
#include "io/atomic_file.hpp"

#include "cqtcnn/error.hpp"

#include <cerrno>
#include <cstring>
#include <random>
#include <string>
#include <unistd.h>

namespace cqtcnn {
namespace {

std::string errno_text() { return std::strerror(errno); }

// A name beside the target (same directory, hence same file system) that no other writer
// picks: the process id plus a random suffix.
std::filesystem::path temporary_name(const std::filesystem::path& path) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  std::filesystem::path tmp = path;
  tmp += ".tmp" + std::to_string(::getpid()) + "_" + std::to_string(rng() % 1000000000ULL);
  return tmp;
}

}  // namespace

void write_bytes(std::FILE* file, const void* bytes, std::size_t size,
                 const std::filesystem::path& path) {
  if (size != 0 && std::fwrite(bytes, 1, size, file) != size)
    throw Error(path.string() + ": write failed (" + errno_text() + ")");
}

void write_file_atomically(const std::filesystem::path& path,
                           const std::function<void(std::FILE*)>& write) {
  if (path.empty()) throw Error("output file name is empty");
  const std::filesystem::path tmp = temporary_name(path);
  std::FILE* file = std::fopen(tmp.c_str(), "w+b");  // readable too: a writer may pass over its output again
  if (!file) throw Error(path.string() + ": cannot create file (" + errno_text() + ")");
  try {
    write(file);
    if (std::fflush(file) != 0 || ::fsync(::fileno(file)) != 0)
      throw Error(path.string() + ": write failed (" + errno_text() + ")");
  } catch (...) {
    std::fclose(file);
    std::remove(tmp.c_str());
    throw;
  }
  if (std::fclose(file) != 0) {
    std::remove(tmp.c_str());
    throw Error(path.string() + ": write failed (" + errno_text() + ")");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = errno_text();
    std::remove(tmp.c_str());
    throw Error(path.string() + ": cannot write file (" + why + ")");
  }
}

}  // namespace cqtcnn
