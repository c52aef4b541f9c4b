// cqtcnn evaluate: a model's accuracy on labelled recordings (a path,label CSV or a folder whose
// sub-folders are the labels): overall accuracy, per-class precision and recall, and the
// confusion matrix as text and, with --confusion, as a figure (PNG, SVG or PDF; figure.hpp).
#include "cli/command.hpp"
#include "cli/inputs.hpp"
#include "cli/parallel.hpp"
#include "cqtcnn/classifier.hpp"
#include "cqtcnn/error.hpp"
#include "cqtcnn/figure.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

namespace cqtcnn::cli {
namespace {
namespace fs = std::filesystem;

struct EvaluateOptions {
  std::string model;
  std::string labelled;
  std::string confusion;
  int threads = default_threads();
};

struct Example {
  fs::path path;
  std::string label;
};

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      fields.back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return fields;
}

// A folder's label folders give their audio files (other files are skipped, and counted once
// on stderr); a CSV gives its rows, relative paths taken from the CSV's folder if need be.
std::vector<Example> read_examples(const fs::path& source) {
  std::vector<Example> out;
  if (fs::is_directory(source)) {
    std::vector<fs::path> labels, skipped;
    for (const auto& e : fs::directory_iterator(source))
      if (e.is_directory()) labels.push_back(e.path());
    std::sort(labels.begin(), labels.end());
    for (const fs::path& dir : labels)
      for (const fs::path& f : files_in_folder(dir, false, audio_extensions(), skipped))
        out.push_back({f, dir.filename().string()});
    if (out.empty())
      throw InvalidInput("evaluate: no input files: " + source.string() +
                         (labels.empty() ? " has no label folders (sub-folders named by label, holding audio files)"
                                         : " has no audio files in its label folders"));
    report_skipped("evaluate", skipped);
    return out;
  }
  std::ifstream in(source);
  if (!in) throw Error(source.string() + ": cannot open");
  std::string line;
  std::size_t line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.empty() || line == "\r") continue;
    const auto fields = split_csv_line(line);
    if (line_number == 1 && fields[0] == "path") continue;
    if (fields.size() < 2)
      throw InvalidInput(source.string() + ": line " + std::to_string(line_number) + ": expected path,label");
    fs::path p = fields[0];
    if (p.is_relative() && !fs::exists(p)) p = source.parent_path() / p;
    out.push_back({p, fields[1]});
  }
  return out;
}

std::string percent(double x) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.2f%%", 100.0 * x);
  return buf;
}

int run(const EvaluateOptions& o) {
  if (!o.confusion.empty()) figure_format(o.confusion);  // an unknown extension is refused before any work
  const Classifier classifier(Model::load(o.model));
  const auto& labels = classifier.labels();
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < labels.size(); ++i) index[labels[i]] = i;

  const std::vector<Example> examples = read_examples(o.labelled);
  if (examples.empty()) throw InvalidInput("evaluate: no input files: " + o.labelled + " has no path,label rows");
  for (const Example& e : examples)
    if (!index.count(e.label))
      throw InvalidInput(o.labelled + ": label \"" + e.label + "\" (for " + e.path.string() + ") is not one of the model's labels");

  std::vector<long> predicted(examples.size(), -1);
  std::vector<std::string> errors(examples.size());
  parallel_for(examples.size(), o.threads, [&](std::size_t i) {
    try {
      predicted[i] = long(classifier.classify(examples[i].path).top(1)[0]);
    } catch (const std::exception& e) {
      errors[i] = e.what();
    }
  });

  const std::size_t n = labels.size();
  std::vector<std::vector<int>> confusion(n, std::vector<int>(n, 0));
  int correct = 0, failed = 0;
  for (std::size_t i = 0; i < examples.size(); ++i) {
    if (predicted[i] < 0) {
      std::fprintf(stderr, "cqtcnn evaluate: %s\n", errors[i].c_str());
      ++failed;
      continue;
    }
    const std::size_t truth = index[examples[i].label];
    ++confusion[truth][std::size_t(predicted[i])];
    correct += truth == std::size_t(predicted[i]);
  }
  const int evaluated = int(examples.size()) - failed;

  std::ostringstream out;
  out << "model: " << classifier.model().name() << "\n";
  out << "files: " << examples.size() << " (" << failed << " failed)\n";
  out << "accuracy: " << percent(evaluated ? double(correct) / evaluated : 0.0) << " (" << correct << "/" << evaluated << ")\n\n";
  std::size_t width = 5;
  for (const auto& l : labels) width = std::max(width, l.size());
  char buf[256];
  std::snprintf(buf, sizeof buf, "%-*s %9s %9s %9s %7s\n", int(width), "class", "precision", "recall", "f1", "support");
  out << buf;
  for (std::size_t c = 0; c < n; ++c) {
    int tp = confusion[c][c], row = 0, col = 0;
    for (std::size_t k = 0; k < n; ++k) row += confusion[c][k], col += confusion[k][c];
    const double precision = col ? double(tp) / col : 0.0, recall = row ? double(tp) / row : 0.0;
    const double f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
    std::snprintf(buf, sizeof buf, "%-*s %9.4f %9.4f %9.4f %7d\n", int(width), labels[c].c_str(), precision, recall, f1, row);
    out << buf;
  }
  out << "\nconfusion matrix (rows: true class, columns: predicted, in the order above)\n";
  for (std::size_t r = 0; r < n; ++r) {
    std::snprintf(buf, sizeof buf, "%-*s", int(width), labels[r].c_str());
    out << buf;
    for (std::size_t c = 0; c < n; ++c) {
      std::snprintf(buf, sizeof buf, " %4d", confusion[r][c]);
      out << buf;
    }
    out << "\n";
  }
  std::fputs(out.str().c_str(), stdout);
  if (!o.confusion.empty())
    write_figure(o.confusion, ConfusionFigure{fs::path(o.model).filename().string(), labels, confusion});
  return failed ? kExitFailure : kExitOk;
}

const CommandRegistrar registrar{{
    "evaluate",
    "Accuracy, per-class precision/recall and the confusion matrix of a model on labelled files",
    40,
    [](CLI::App& app) -> std::function<int()> {
      auto o = std::make_shared<EvaluateOptions>();
      app.add_option("labelled", o->labelled, "CSV of path,label rows, or a folder whose sub-folders are the labels")->required();
      app.add_option("-m,--model", o->model, "Model file")->required();
      app.add_option("--confusion,--confusion-png", o->confusion,
                     "Also draw the labelled confusion matrix (colours: each row's shares) as .png, .svg or .pdf");
      app.add_option("-j,--threads", o->threads, "Files processed in parallel")->capture_default_str()->check(CLI::Range(1, 256));
      return [o] { return run(*o); };
    },
}};

}  // namespace
}  // namespace cqtcnn::cli
