// A classifier's accuracy on labelled recordings: the confusion matrix, and the accuracy and
// per-class precision, recall and F1 derived from it (as scikit-learn's classification_report:
// a class never predicted has precision 0, one without files recall 0).
//
//   cqtcnn::Classifier c(cqtcnn::Model::load("digits.json"));
//   cqtcnn::Evaluation e = cqtcnn::evaluate(c, cqtcnn::read_labelled_csv("test.csv"), "test.csv");
//   std::fputs(e.report(c.labels(), c.model().name()).c_str(), stdout);
#pragma once

#include "cqtcnn/classifier.hpp"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace cqtcnn {

struct LabelledFile {
  std::filesystem::path path;
  std::string label;
};

// The rows of a "path,label" CSV. A first row that holds "path" and "label" (or "class") is a
// header naming the columns (other columns are ignored); without one, the path is the first
// column and the label the second. A relative path that does not exist as given is taken from
// the CSV's folder. Throws InvalidInput naming the
// file and line of a row without a label; Error if the file cannot be read.
std::vector<LabelledFile> read_labelled_csv(const std::filesystem::path& csv);

struct ClassScores {
  double precision = 0.0;  // of the files predicted as the class, the fraction that are
  double recall = 0.0;     // of the files of the class, the fraction predicted as it
  double f1 = 0.0;         // their harmonic mean (0 when both are 0)
  int support = 0;         // files of the class
};

// counts[truth][predicted], classes in the model's label order.
class ConfusionMatrix {
 public:
  explicit ConfusionMatrix(std::size_t classes = 0);

  void add(std::size_t truth, std::size_t predicted) { ++counts_.at(truth).at(predicted); }
  int count(std::size_t truth, std::size_t predicted) const { return counts_.at(truth).at(predicted); }
  std::size_t classes() const { return counts_.size(); }
  const std::vector<std::vector<int>>& counts() const { return counts_; }

  int total() const;
  int correct() const;
  double accuracy() const;  // correct / total; 0 for an empty matrix
  ClassScores scores(std::size_t c) const;

 private:
  std::vector<std::vector<int>> counts_;
};

struct Evaluation {
  ConfusionMatrix confusion;
  int files = 0;   // given
  int failed = 0;  // could not be classified (not in the matrix)

  // What `cqtcnn evaluate` prints: the model, the file counts, the accuracy, a table of each
  // class's precision, recall, F1 and support, and the matrix (rows: true class).
  std::string report(const std::vector<std::string>& labels, const std::string& model_name) const;
};

// Classifies each file, `threads` at a time, and counts its top class against its label. A file
// that cannot be classified is counted as failed and its error ("<file>: <problem>") passed to
// `on_error`, in input order; `on_progress` is called after each file with the number done so far. Throws InvalidInput naming `source` (where the labels come from)
// when a label is not one of the classifier's, before classifying anything.
Evaluation evaluate(const Classifier& classifier, const std::vector<LabelledFile>& files, const std::string& source,
                    int threads = 1, const std::function<void(const std::string&)>& on_error = {},
                    const std::function<void(std::size_t)>& on_progress = {});

}  // namespace cqtcnn
