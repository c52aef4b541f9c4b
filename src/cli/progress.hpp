// The progress of a batch on stderr ("12/40 files  31.2 files/s  1 s left"), drawn only when
// stderr is a terminal, on a line of its own that is redrawn in place. Whatever else goes to
// that terminal (a message on stderr, a result on stdout when stdout is the same terminal)
// calls clear() first, so that it never lands after the progress text.
#pragma once

#include <chrono>
#include <cstddef>

namespace cqtcnn::cli {

class Progress {
 public:
  Progress(std::size_t total, bool enabled);

  // Draws the line for `done` files: at most every 200 ms, and always for the last file.
  void update(std::size_t done);
  // Erases the line, if it is drawn ("\r" and clear to the end of the line, "\x1b[K").
  void clear();
  // Ends the display. The last line stays, ended by a newline, unless stdout is the same
  // terminal: then it is erased, and the terminal shows the results alone.
  void finish();
  // Whether stdout is the terminal the progress is drawn on.
  bool shares_stdout() const { return shares_stdout_; }

 private:
  std::size_t total_;
  bool enabled_;
  bool shares_stdout_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace cqtcnn::cli
