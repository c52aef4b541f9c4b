// cqtcnn: Constant-Q transform + CNN audio classifier. This file only parses the command line
// (cli/app.hpp builds it from the registered sub-commands, src/cli/cmd_*.cpp) and maps errors
// to exit codes.
#include "cli/app.hpp"
#include "cli/interrupt.hpp"
#include "cqtcnn/error.hpp"

#include <cstdio>
#include <exception>
#include <iostream>
#include <string>

namespace {

// What the command wrote is in the pipe (or the pipe is found closed) before the exit status is
// chosen: printf's buffer would otherwise be written by exit(), after it.
bool output_reader_gone() {
  std::cout.flush();
  std::fflush(stdout);
  return cqtcnn::cli::output_closed();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace cqtcnn::cli;
  watch_closed_output();
  CliApp cli(argc, argv);
  if (const std::string unknown = cli.unknown_command(argc, argv); !unknown.empty()) {
    std::fprintf(stderr, "cqtcnn: %s\n", unknown.c_str());
    return kExitBadInput;
  }
  try {
    cli.app().parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return cli.app().exit(e);  // --help, --version
    std::fprintf(stderr, "%s\n", cli.parse_error(e, argc, argv).c_str());
    return kExitBadInput;
  }
  // Every message starts with the command it comes from: "cqtcnn classify: error: ...".
  const std::string speaker = cli.speaker();
  // A reader that went away (| head) is no failure: every command ends quietly with exit 0, as
  // classify does (cli/interrupt.hpp); what it could not write is what the reader did not want.
  try {
    const int status = cli.selected() ? cli.selected()() : kExitOk;
    return output_reader_gone() ? kExitOk : status;
  } catch (const cqtcnn::InvalidInput& e) {
    if (output_reader_gone()) return kExitOk;
    std::fprintf(stderr, "%s: error: %s\n", speaker.c_str(), e.what());
    return kExitBadInput;
  } catch (const std::exception& e) {
    if (output_reader_gone()) return kExitOk;
    std::fprintf(stderr, "%s: error: %s\n", speaker.c_str(), e.what());
    return kExitFailure;
  }
}
