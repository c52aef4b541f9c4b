// The cqtcnn command line as an object: the CLI11 app built from the registered sub-commands
// (command.hpp). main() parses argv with it and runs the selected command; the command-line
// fuzz target (tests/fuzz/fuzz_cli.cpp) parses with it and runs nothing.
#pragma once

#include "cli/command.hpp"

#include <functional>
#include <string>
#include <vector>

namespace cqtcnn::cli {

class CliApp {
 public:
  // Adds every registered command as a sub-command, with its options only for the command that
  // argv names (its first word that is not an option); argc < 0: every command's options.
  CliApp(int argc, const char* const* argv);
  CliApp(const CliApp&) = delete;  // the sub-command callbacks refer to this object
  CliApp& operator=(const CliApp&) = delete;

  CLI::App& app() { return app_; }
  // The command the last successful parse selected; empty if none ran (e.g. --version).
  const std::function<int()>& selected() const { return run_; }

  // When the first word of argv that is not an option names no command: "unknown command
  // 'clasify'; did you mean 'classify'?" (the nearest name by edit distance, if it is near),
  // else "unknown command 'x' (commands: ...)". Empty when there is no such word.
  std::string unknown_command(int argc, const char* const* argv) const;

  // The one line for a failed parse, "cqtcnn COMMAND: ..." (help and --version excepted: they
  // are not failures). An option the command does not have: "unknown option '--fromat'; did you
  // mean '--format'?" (the nearest of its options, if it is near).
  std::string parse_error(const CLI::ParseError& e, int argc, const char* const* argv) const;
  // "cqtcnn COMMAND" for the command argv names, else "cqtcnn": how every message starts.
  std::string speaker() const { return named_.empty() ? "cqtcnn" : "cqtcnn " + named_; }

 private:
  CLI::App app_;
  std::string named_;  // the first word of argv that is not an option, if it names a command
  std::vector<std::function<int()>> runners_;
  std::function<int()> run_;
};

}  // namespace cqtcnn::cli
