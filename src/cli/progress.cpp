#include "cli/progress.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

namespace cqtcnn::cli {
namespace {

bool same_terminal(int a, int b) {
  struct stat sa {}, sb {};
  return isatty(a) && isatty(b) && fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_rdev == sb.st_rdev;
}

}  // namespace

Progress::Progress(std::size_t total, bool enabled)
    : total_(total),
      enabled_(enabled && isatty(STDERR_FILENO)),
      shares_stdout_(enabled_ && same_terminal(STDOUT_FILENO, STDERR_FILENO)) {}

void Progress::update(std::size_t done) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (done != total_ && now - last_ < std::chrono::milliseconds(200)) return;
  last_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double rate = elapsed > 0 ? double(done) / elapsed : 0.0;
  const double left = rate > 0 ? double(total_ - done) / rate : 0.0;
  std::fprintf(stderr, "\r\x1b[K%zu/%zu files  %.1f files/s  %.0f s left", done, total_, rate, left);
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::clear() {
  if (!drawn_) return;
  std::fputs("\r\x1b[K", stderr);
  std::fflush(stderr);
  drawn_ = false;
}

void Progress::finish() {
  if (!drawn_) return;
  if (shares_stdout_) {
    clear();
  } else {
    std::fputc('\n', stderr);
    std::fflush(stderr);
    drawn_ = false;
  }
}

}  // namespace cqtcnn::cli
