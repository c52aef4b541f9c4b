#include "cli/interrupt.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>

namespace cqtcnn::cli {
namespace {

std::atomic<bool> g_interrupted{false};
std::atomic<bool> g_output_closed{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set in a signal handler");
pthread_t g_main_thread;
int g_null_fd = -1;
struct sigaction g_old_int;

void on_sigint(int) {
  // Only the main thread reads standard input: a signal that another thread (BLAS's) received
  // is passed on, so that the main thread's read returns EINTR and reads again from /dev/null.
  if (!pthread_equal(pthread_self(), g_main_thread)) {
    pthread_kill(g_main_thread, SIGINT);
    return;
  }
  g_interrupted.store(true);
  if (g_null_fd >= 0) dup2(g_null_fd, STDIN_FILENO);
  signal(SIGINT, SIG_DFL);  // a second Ctrl-C kills at once
}

// Returning from the handler (rather than ignoring the signal) fails the write with EPIPE, as
// SIG_IGN would, and leaves a mark that the reader has gone.
void on_sigpipe(int) { g_output_closed.store(true); }

}  // namespace

StreamSignals::StreamSignals() {
  g_main_thread = pthread_self();
  g_null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  struct sigaction action {};
  action.sa_handler = on_sigint;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: a blocked read returns EINTR
  sigaction(SIGINT, &action, &g_old_int);
}

StreamSignals::~StreamSignals() {
  sigaction(SIGINT, &g_old_int, nullptr);
  if (g_null_fd >= 0) close(g_null_fd);
  g_null_fd = -1;
}

bool StreamSignals::interrupted() { return g_interrupted.load(); }

void watch_closed_output() {
  struct sigaction action {};
  action.sa_handler = on_sigpipe;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGPIPE, &action, nullptr);
}

bool output_closed() { return g_output_closed.load(); }

}  // namespace cqtcnn::cli
