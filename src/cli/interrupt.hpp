// Ending a stream or a batch cleanly. While a StreamSignals object lives, SIGINT (Ctrl-C) makes
// interrupted() true and ends a read of standard input that is waiting for data (standard input
// is replaced by /dev/null, so the reader sees its end), so the command stops after the line it
// is writing and closes its output; a second SIGINT kills as usual.
//
// A reader of the output that goes away (| head) ends every command quietly: once
// watch_closed_output() has run (main() calls it first), SIGPIPE no longer kills the process
// (exit 141 would break `set -o pipefail` scripts) but is noted, so a write to the closed pipe
// fails with errno EPIPE, a command that writes as it goes (classify) stops on it, and main()
// ends with exit 0 and no message when output_closed().
#pragma once

namespace cqtcnn::cli {

class StreamSignals {
 public:
  StreamSignals();
  ~StreamSignals();
  StreamSignals(const StreamSignals&) = delete;
  StreamSignals& operator=(const StreamSignals&) = delete;

  static bool interrupted();
};

void watch_closed_output();
bool output_closed();

}  // namespace cqtcnn::cli
