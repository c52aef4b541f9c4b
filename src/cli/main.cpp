// cqtcnn: Constant-Q transform + CNN audio classifier. This file only parses the command line
// (cli/app.hpp builds it from the registered sub-commands, src/cli/cmd_*.cpp) and maps errors
// to exit codes.
#include "cli/app.hpp"
#include "cqtcnn/error.hpp"

#include <cstdio>
#include <exception>
#include <string>

int main(int argc, char** argv) {
  using namespace cqtcnn::cli;
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
  try {
    return cli.selected() ? cli.selected()() : kExitOk;
  } catch (const cqtcnn::InvalidInput& e) {
    std::fprintf(stderr, "%s: error: %s\n", speaker.c_str(), e.what());
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: error: %s\n", speaker.c_str(), e.what());
    return kExitFailure;
  }
}
