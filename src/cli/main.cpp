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
    const int code = cli.app().exit(e);
    return code == 0 ? kExitOk : kExitBadInput;
  }
  try {
    return cli.selected() ? cli.selected()() : kExitOk;
  } catch (const cqtcnn::InvalidInput& e) {
    std::fprintf(stderr, "cqtcnn: error: %s\n", e.what());
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cqtcnn: error: %s\n", e.what());
    return kExitFailure;
  }
}
