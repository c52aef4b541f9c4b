// Ending a stream or a batch cleanly. While a StreamSignals object lives, SIGINT (Ctrl-C) makes
// interrupted() true and ends a read of standard input that is waiting for data (standard input
// is replaced by /dev/null, so the reader sees its end), so the command stops after the line it
// is writing and closes its output; a second SIGINT kills as usual. SIGPIPE is ignored, so that
// a closed stdout shows as a failed write (errno EPIPE) which the command ends on, quietly,
// instead of being killed by it (exit 141 would break `set -o pipefail` scripts).
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

}  // namespace cqtcnn::cli
