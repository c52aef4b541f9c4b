#include "cli/app.hpp"

#include <algorithm>
#include <cctype>
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

// Of `names`, the nearest to `word` within two edits; empty if none is.
std::string nearest(const std::string& word, const std::vector<std::string>& names) {
  std::string best_name;
  std::size_t best = 3;
  for (const std::string& n : names)
    if (const std::size_t d = edit_distance(word, n); d < best) best = d, best_name = n;
  return best_name;
}

// A word of argv that looks like an option: "--name" or "-x", not a negative number or "-".
bool looks_like_option(const std::string& word) {
  return word.size() > 1 && word[0] == '-' && !std::isdigit(static_cast<unsigned char>(word[1])) && word[1] != '.';
}


// CLI11's help with one change: a flag with a negation reads "--scale,--no-scale", not
// "--scale,--no-scale{false}" (the help text says which is the default).
class HelpFormatter : public CLI::Formatter {
 public:
  std::string make_option_name(const CLI::Option* option, bool positional) const override {
    std::string name = CLI::Formatter::make_option_name(option, positional);
    for (const char* value : {"{false}", "{true}"})
      for (std::size_t at; (at = name.find(value)) != std::string::npos;) name.erase(at, std::string(value).size());
    return name;
  }
};

}  // namespace

std::vector<Command>& command_table() {
  static std::vector<Command> table;
  return table;
}

CliApp::CliApp(int argc, const char* const* argv)
    : app_{"cqtcnn: classify audio with a Constant-Q transform and a CNN", "cqtcnn"} {
  app_.set_version_flag("--version", std::string("cqtcnn ") + CQTCNN_VERSION);
  app_.require_subcommand(1);
  app_.formatter(std::make_shared<HelpFormatter>());  // before the sub-commands: they copy it
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
    if (table[i].name == named) named_ = named;
    if (argc < 0 || table[i].name == named) runners_[i] = table[i].setup(*sub);
    sub->callback([this, i] { run_ = runners_[i]; });
  }
}

std::string CliApp::unknown_command(int argc, const char* const* argv) const {
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word.empty() || word[0] == '-') continue;
    std::vector<std::string> names;
    for (const Command& c : command_table()) {
      if (c.name == word) return "";
      names.push_back(c.name);
    }
    if (const std::string near = nearest(word, names); !near.empty())
      return "unknown command '" + word + "'; did you mean '" + near + "'?";
    std::string list;
    for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
    return "unknown command '" + word + "' (commands: " + list + ")";
  }
  return "";
}

std::string CliApp::parse_error(const CLI::ParseError& e, int argc, const char* const* argv) const {
  const std::string help = " (see " + speaker() + " --help)";
  const CLI::App* command = named_.empty() ? nullptr : app_.get_subcommand(named_);
  if (command && dynamic_cast<const CLI::ExtrasError*>(&e)) {
    std::vector<std::string> options, long_options;
    for (const CLI::Option* option : command->get_options()) {
      for (const std::string& n : option->get_lnames()) long_options.push_back("--" + n);
      for (const std::string& n : option->get_snames()) options.push_back("-" + n);
    }
    options.insert(options.end(), long_options.begin(), long_options.end());
    for (int i = 1; i < argc; ++i) {
      const std::string word = std::string(argv[i]).substr(0, std::string(argv[i]).find('='));
      if (!looks_like_option(word) || std::find(options.begin(), options.end(), word) != options.end()) continue;
      if (word.size() > 2 && word[1] != '-') continue;  // -qr: short flags together, CLI11's to judge
      // One letter is near every short option: only a long name gets a suggestion.
      const std::string near = word.starts_with("--") ? nearest(word, long_options) : "";
      return speaker() + ": unknown option '" + word + "'" + (near.empty() ? help : "; did you mean '" + near + "'?");
    }
  }
  std::string what = e.what();
  if (!what.empty() && what.back() == '\n') what.pop_back();
  return speaker() + ": error: " + what + help;
}

}  // namespace cqtcnn::cli
