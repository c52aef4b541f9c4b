// A command's batch of files: which of them to run (a shard, or what an earlier run has not
// written yet), and the run itself: the files `threads` at a time, each result taken in input
// order as soon as it and every one before it are in (parallel_in_order), the progress on
// stderr when it is a terminal, messages that never land after the progress text, and, for a
// command that writes as it goes, Ctrl-C ending the batch at the first file not finished.
// classify, evaluate and features run their files through it; each supplies the work on one
// file and what to do with its result (evaluate and features through the library's loops, which
// take the batch's messages and progress).
#pragma once

#include "base/parallel.hpp"
#include "cli/interrupt.hpp"
#include "cli/progress.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace cqtcnn::cli {

// --shard K/N: keeps the files whose path falls in shard K (1-based) of N, by a hash of the
// path's bytes that is the same on every machine and every run. Throws InvalidInput for a bad
// spec.
std::vector<std::filesystem::path> select_shard(std::vector<std::filesystem::path> files, const std::string& spec);

// --resume: the complete rows `output` already holds (a killed run may have left a partial last
// row: it is cut off the file), "" when there is no such file. The files whose paths
// `paths_in(rows)` names are dropped from `files`.
std::string resume_output(const std::string& output,
                          const std::function<std::set<std::string>(const std::string& rows)>& paths_in,
                          std::vector<std::filesystem::path>& files);

class Batch {
 public:
  // `command` starts each message ("cqtcnn classify: ..."); `quiet`: no messages, no progress.
  // `interruptible`: Ctrl-C ends the batch (StreamSignals) instead of the process.
  Batch(std::string command, std::size_t files, bool quiet, bool interruptible = false);
  Batch(const Batch&) = delete;
  Batch& operator=(const Batch&) = delete;
  ~Batch() { progress_.finish(); }

  // Runs work(i) for each file i and take(i, result) in input order (parallel_in_order), until
  // Ctrl-C (when interruptible) or `stop` ends the batch. Returns the number of results taken.
  template <typename Work, typename Take>
  std::size_t run(int threads, const std::function<bool()>& stop, Work&& work, Take&& take) {
    const InOrder how{.threads = threads, .stop = [&] { return interrupted() || (stop && stop()); },
                      .finished = progress()};
    const struct Finish {
      Progress& progress;
      ~Finish() { progress.finish(); }
    } finish{progress_};
    return parallel_in_order(files_, how, work, take);
  }

  // One line on stderr, "cqtcnn COMMAND: text", the progress line erased first.
  void say(const std::string& text);
  std::function<void(const std::string&)> messages() {
    return [this](const std::string& text) { say(text); };
  }
  // Draws the progress for `finished` files, unless held.
  std::function<void(std::size_t finished)> progress() {
    return [this](std::size_t finished) {
      if (!held_) progress_.update(finished);
    };
  }
  // Results written to the terminal that shows the progress: the progress line is erased before
  // each (clear_progress) and not drawn again while one has not ended its line (hold_progress).
  bool progress_on_stdout() const { return progress_.shares_stdout(); }
  void clear_progress() { progress_.clear(); }
  void hold_progress(bool held) { held_ = held; }
  // Ends the progress display (before a summary line).
  void finish() { progress_.finish(); }

  bool interrupted() const { return signals_ && StreamSignals::interrupted(); }

 private:
  std::string command_;
  std::size_t files_;
  bool quiet_;
  bool held_ = false;
  Progress progress_;
  std::optional<StreamSignals> signals_;
};

}  // namespace cqtcnn::cli
