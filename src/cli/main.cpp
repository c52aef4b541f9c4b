// cqtcnn: Constant-Q transform + CNN audio classifier. This file only builds the command line
// from the registered sub-commands (src/cli/cmd_*.cpp) and maps errors to exit codes.
#include "cli/command.hpp"
#include "cqtcnn/error.hpp"

#include <algorithm>
#include <cstdio>
#include <exception>
#include <memory>

namespace cqtcnn::cli {
std::vector<Command>& command_table() {
  static std::vector<Command> table;
  return table;
}
}  // namespace cqtcnn::cli

int main(int argc, char** argv) {
  using namespace cqtcnn::cli;
  CLI::App app{"cqtcnn: classify audio with a Constant-Q transform and a CNN", "cqtcnn"};
  app.set_version_flag("--version", std::string("cqtcnn ") + CQTCNN_VERSION);
  app.require_subcommand(1);
  app.get_formatter()->column_width(34);

  auto& table = command_table();
  std::sort(table.begin(), table.end(), [](const Command& a, const Command& b) { return a.order < b.order; });
  std::function<int()> run;
  std::vector<std::function<int()>> runners(table.size());
  for (std::size_t i = 0; i < table.size(); ++i) {
    CLI::App* sub = app.add_subcommand(table[i].name, table[i].description);
    runners[i] = table[i].setup(*sub);
    sub->callback([&run, &runners, i] { run = runners[i]; });
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitBadInput;
  }
  try {
    return run ? run() : kExitOk;
  } catch (const cqtcnn::InvalidInput& e) {
    std::fprintf(stderr, "cqtcnn: error: %s\n", e.what());
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cqtcnn: error: %s\n", e.what());
    return kExitFailure;
  }
}
