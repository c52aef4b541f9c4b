#include "cli/app.hpp"

#include <algorithm>
#include <memory>
#include <string>

namespace cqtcnn::cli {

std::vector<Command>& command_table() {
  static std::vector<Command> table;
  return table;
}

CliApp::CliApp() : app_{"cqtcnn: classify audio with a Constant-Q transform and a CNN", "cqtcnn"} {
  app_.set_version_flag("--version", std::string("cqtcnn ") + CQTCNN_VERSION);
  app_.require_subcommand(1);
  app_.get_formatter()->column_width(34);

  auto& table = command_table();
  std::stable_sort(table.begin(), table.end(), [](const Command& a, const Command& b) { return a.order < b.order; });
  runners_.resize(table.size());
  for (std::size_t i = 0; i < table.size(); ++i) {
    CLI::App* sub = app_.add_subcommand(table[i].name, table[i].description);
    runners_[i] = table[i].setup(*sub);
    sub->callback([this, i] { run_ = runners_[i]; });
  }
}

}  // namespace cqtcnn::cli
