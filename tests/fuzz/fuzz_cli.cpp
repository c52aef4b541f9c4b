// libFuzzer target: the command line. The input is argv (arguments separated by NUL bytes,
// argv[0] = "cqtcnn"); the CLI11 app is built from the command registry exactly as main()
// builds it and parses them. No command is run. A parse must succeed or throw CLI::ParseError,
// whose message (help text included) is rendered as main() would print it.
#include "cli/app.hpp"

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> args{"cqtcnn"};
  std::string current;
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == 0) {
      args.push_back(current);
      current.clear();
    } else {
      current.push_back(char(data[i]));
    }
  }
  if (!current.empty()) args.push_back(current);
  if (args.size() > 64) return 0;  // argv beyond this only repeats what shorter inputs test

  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());

  cqtcnn::cli::CliApp cli(int(argv.size()), argv.data());
  try {
    cli.app().parse(int(argv.size()), argv.data());
  } catch (const CLI::ParseError& e) {
    std::ostringstream out, err;
    (void)cli.app().exit(e, out, err);
  }
  return 0;
}
