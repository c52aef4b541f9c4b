// libFuzzer target: an .npy file from a stranger. read_npy and read_npy_complex take a path,
// so each input is written to one scratch file (on tmpfs when /dev/shm exists). They must
// return an array whose element count matches its shape, or throw InvalidInput / Error.
#include "cqtcnn/error.hpp"
#include "io/npy.hpp"

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

namespace {

std::filesystem::path scratch_path() {
  const std::filesystem::path dir = std::filesystem::exists("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
  return dir / ("cqtcnn-fuzz-npy-" + std::to_string(getpid()) + ".npy");
}

template <typename Array>
void check(const Array& a) {
  std::uint64_t n = 1;
  for (std::int64_t d : a.shape) {
    if (d < 0) __builtin_trap();
    n *= std::uint64_t(d);
  }
  if (n != a.data.size()) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::filesystem::path path = scratch_path();
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  const bool written = std::fwrite(data, 1, size, f) == size;
  if (std::fclose(f) != 0 || !written) return 0;
  try {
    check(cqtcnn::read_npy(path));
  } catch (const cqtcnn::Error&) {
  }
  try {
    check(cqtcnn::read_npy_complex(path));
  } catch (const cqtcnn::Error&) {
  }
  return 0;
}
