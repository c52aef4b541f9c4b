#include "cli/app.hpp"

#include <algorithm>
#include <memory>
#include <string>

namespace cqtcnn::cli {
namespace {

// Levenshtein distance: the fewest single-character insertions, deletions and substitutions.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::vector<Command>& command_table() {
  static std::vector<Command> table;
  return table;
}

CliApp::CliApp(int argc, const char* const* argv)
    : app_{"cqtcnn: classify audio with a Constant-Q transform and a CNN", "cqtcnn"} {
  app_.set_version_flag("--version", std::string("cqtcnn ") + CQTCNN_VERSION);
  app_.require_subcommand(1);
  app_.get_formatter()->column_width(34);

  // Only the command argv names gets its options (parse() can select no other): building every
  // command's options was most of `cqtcnn --version`'s own work.
  std::string named;
  for (int i = 1; i < argc && named.empty(); ++i)
    if (argv[i][0] != '-' && argv[i][0] != '\0') named = argv[i];
  auto& table = command_table();
  std::stable_sort(table.begin(), table.end(), [](const Command& a, const Command& b) { return a.order < b.order; });
  runners_.resize(table.size());
  for (std::size_t i = 0; i < table.size(); ++i) {
    CLI::App* sub = app_.add_subcommand(table[i].name, table[i].description);
    if (argc < 0 || table[i].name == named) runners_[i] = table[i].setup(*sub);
    sub->callback([this, i] { run_ = runners_[i]; });
  }
}

std::string CliApp::unknown_command(int argc, const char* const* argv) const {
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word.empty() || word[0] == '-') continue;
    std::string nearest, names;
    std::size_t best = 3;  // suggest only names within two edits
    for (const Command& c : command_table()) {
      if (c.name == word) return "";
      names += (names.empty() ? "" : ", ") + c.name;
      if (const std::size_t d = edit_distance(word, c.name); d < best) best = d, nearest = c.name;
    }
    if (!nearest.empty()) return "unknown command '" + word + "'; did you mean '" + nearest + "'?";
    return "unknown command '" + word + "' (commands: " + names + ")";
  }
  return "";
}

}  // namespace cqtcnn::cli
