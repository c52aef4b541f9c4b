// Sub-command registry for the cqtcnn program. Each command lives in its own
// src/cli/cmd_<name>.cpp and registers itself with a static CommandRegistrar, so adding a
// command touches no other file. main() builds the CLI11 app from this table.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace cqtcnn::cli {

// Exit codes shared by every command (documented in README.md).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;    // a runtime failure (bad audio, I/O) or some batch files failed
inline constexpr int kExitBadInput = 2;   // bad arguments or a bad model file
inline constexpr int kExitInterrupted = 130;  // classify stopped by SIGINT (128 + 2)

struct Command {
  std::string name;
  std::string description;
  int order;  // position in --help
  // Adds the sub-command's options to `app` and returns the function that runs it.
  std::function<std::function<int()>(CLI::App& app)> setup;
};

std::vector<Command>& command_table();

struct CommandRegistrar {
  explicit CommandRegistrar(Command command) { command_table().push_back(std::move(command)); }
};

}  // namespace cqtcnn::cli
