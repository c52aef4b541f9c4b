#include "classify/evaluation.hpp"

#include "cqtcnn/error.hpp"
#include "base/parallel.hpp"
#include "io/csv.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>

namespace cqtcnn {
namespace fs = std::filesystem;

std::vector<LabelledFile> read_labelled_csv(const fs::path& csv) {
  std::ifstream in(csv);
  if (!in) throw Error(csv.string() + ": cannot open: " + std::strerror(errno));
  std::vector<LabelledFile> out;
  std::size_t path_column = 0, label_column = 1;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line == "\r") continue;
    const auto fields = split_csv_line(line);
    if (number == 1) {  // a header names the columns
      const auto column = [&](std::string_view name) { return std::find(fields.begin(), fields.end(), name); };
      const auto label = column("label") != fields.end() ? column("label") : column("class");
      if (column("path") != fields.end() && label != fields.end()) {
        path_column = std::size_t(column("path") - fields.begin());
        label_column = std::size_t(label - fields.begin());
        continue;
      }
      // A header that names a label column but no path column is not a first row of data.
      if (label != fields.end())
        throw InvalidInput(csv.string() + ": line 1 names the columns (" + line +
                           ") but none is \"path\": name the audio files' column path");
      if (fields[0] == "path")
        throw InvalidInput(csv.string() + ": line 1 names the columns (" + line +
                           ") but none is \"label\" or \"class\": name the labels' column label");
    }
    if (fields.size() <= std::max(path_column, label_column))
      throw InvalidInput(csv.string() + ": line " + std::to_string(number) + ": expected path,label");
    fs::path p = fields[path_column];
    if (p.is_relative() && !fs::exists(p)) p = csv.parent_path() / p;
    out.push_back({p, fields[label_column]});
  }
  return out;
}

ConfusionMatrix::ConfusionMatrix(std::size_t classes) : counts_(classes, std::vector<int>(classes, 0)) {}

int ConfusionMatrix::total() const {
  int n = 0;
  for (const auto& row : counts_)
    for (int v : row) n += v;
  return n;
}

int ConfusionMatrix::correct() const {
  int n = 0;
  for (std::size_t c = 0; c < classes(); ++c) n += counts_[c][c];
  return n;
}

double ConfusionMatrix::accuracy() const {
  const int n = total();
  return n ? double(correct()) / n : 0.0;
}

ClassScores ConfusionMatrix::scores(std::size_t c) const {
  ClassScores s;
  int predicted = 0;
  for (std::size_t k = 0; k < classes(); ++k) s.support += counts_.at(c)[k], predicted += counts_[k][c];
  const int tp = counts_[c][c];
  s.precision = predicted ? double(tp) / predicted : 0.0;
  s.recall = s.support ? double(tp) / s.support : 0.0;
  s.f1 = s.precision + s.recall > 0 ? 2 * s.precision * s.recall / (s.precision + s.recall) : 0.0;
  return s;
}

std::string Evaluation::report(const std::vector<std::string>& labels, const std::string& model_name) const {
  char buf[256];
  std::string out = "model: " + model_name + "\n";
  out += "files: " + std::to_string(files) + " (" + std::to_string(failed) + " failed)\n";
  std::snprintf(buf, sizeof buf, "accuracy: %.2f%% (%d/%d)\n\n", 100.0 * confusion.accuracy(), confusion.correct(),
                confusion.total());
  out += buf;
  std::size_t width = 5;
  for (const auto& l : labels) width = std::max(width, l.size());
  std::snprintf(buf, sizeof buf, "%-*s %9s %9s %9s %7s\n", int(width), "class", "precision", "recall", "f1", "support");
  out += buf;
  for (std::size_t c = 0; c < labels.size(); ++c) {
    const ClassScores s = confusion.scores(c);
    std::snprintf(buf, sizeof buf, "%-*s %9.4f %9.4f %9.4f %7d\n", int(width), labels[c].c_str(), s.precision,
                  s.recall, s.f1, s.support);
    out += buf;
  }
  out += "\nconfusion matrix (rows: true class, columns: predicted, in the order above)\n";
  for (std::size_t r = 0; r < labels.size(); ++r) {
    std::snprintf(buf, sizeof buf, "%-*s", int(width), labels[r].c_str());
    out += buf;
    for (std::size_t c = 0; c < labels.size(); ++c) {
      std::snprintf(buf, sizeof buf, " %4d", confusion.count(r, c));
      out += buf;
    }
    out += "\n";
  }
  return out;
}

Evaluation evaluate(const Classifier& classifier, const std::vector<LabelledFile>& files, const std::string& source,
                    int threads, const std::function<void(const std::string&)>& on_error,
                    const std::function<void(std::size_t)>& on_progress) {
  const auto& labels = classifier.labels();
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < labels.size(); ++i) index[labels[i]] = i;
  for (const LabelledFile& f : files)
    if (!index.count(f.label)) {
      std::string valid;
      for (const std::string& l : labels) valid += (valid.empty() ? "" : ", ") + l;
      throw InvalidInput(source + ": label \"" + f.label + "\" (for " + f.path.string() +
                         ") is not one of the model's labels (" + valid + ")");
    }

  Evaluation e{ConfusionMatrix(labels.size()), int(files.size()), 0};
  // A file's top class, or its error.
  struct Outcome {
    std::size_t predicted = 0;
    std::string error;
  };
  const InOrder how{.threads = threads, .finished = on_progress};
  parallel_in_order(
      files.size(), how,
      [&](std::size_t i) {
        try {
          return Outcome{classifier.classify(files[i].path).top(1)[0], ""};
        } catch (const std::exception& error) {
          return Outcome{0, error.what()};
        }
      },
      [&](std::size_t i, const Outcome& outcome) {
        if (outcome.error.empty()) return e.confusion.add(index[files[i].label], outcome.predicted);
        if (on_error) on_error(outcome.error);
        ++e.failed;
      });
  return e;
}

}  // namespace cqtcnn
