// The atomic write helper: the target is replaced whole or not at all.
#include "io/atomic_file.hpp"
#include "cqtcnn/error.hpp"

#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace fs = std::filesystem;

namespace {

fs::path fresh_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("cqtcnn_atomic_test_" + std::to_string(::getpid())) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::size_t entries(const fs::path& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}

}  // namespace

TEST(AtomicFile, ReplacesTheTarget) {
  const fs::path dir = fresh_dir("replace");
  std::ofstream(dir / "out.txt") << "old contents";
  cqtcnn::write_file_atomically(dir / "out.txt", [&](std::FILE* f) { cqtcnn::write_bytes(f, "new", 3, dir / "out.txt"); });
  EXPECT_EQ(slurp(dir / "out.txt"), "new");
  EXPECT_EQ(entries(dir), 1u);
}

TEST(AtomicFile, FailureMidWriteLeavesTheOldFileAndNoTemporary) {
  const fs::path dir = fresh_dir("fail");
  std::ofstream(dir / "out.txt") << "old contents";
  EXPECT_THROW(cqtcnn::write_file_atomically(dir / "out.txt",
                                             [&](std::FILE* f) {
                                               cqtcnn::write_bytes(f, "partial", 7, dir / "out.txt");
                                               throw cqtcnn::Error("interrupted");
                                             }),
               cqtcnn::Error);
  EXPECT_EQ(slurp(dir / "out.txt"), "old contents");
  EXPECT_EQ(entries(dir), 1u);
}

TEST(AtomicFile, ErrorsNameTheTarget) {
  const fs::path dir = fresh_dir("errors");
  for (const fs::path& bad : {dir / "missing" / "out.txt", dir}) {
    try {
      cqtcnn::write_file_atomically(bad, [](std::FILE*) {});
      ADD_FAILURE() << bad;
    } catch (const cqtcnn::Error& e) {
      EXPECT_EQ(std::string(e.what()).rfind(bad.string() + ": ", 0), 0u) << e.what();
    }
  }
  EXPECT_EQ(entries(dir), 0u);
}
