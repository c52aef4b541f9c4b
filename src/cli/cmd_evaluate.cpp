// cqtcnn evaluate: a model's accuracy on labelled recordings (a path,label CSV or a folder whose
// sub-folders are the labels): overall accuracy, per-class precision and recall, and the
// confusion matrix as text and, with --confusion, as a figure (PNG, SVG or PDF; figure.hpp).
#include "cli/batch.hpp"
#include "cli/command.hpp"
#include "cli/inputs.hpp"
#include "classify/model_search.hpp"
#include "cqtcnn/error.hpp"
#include "classify/evaluation.hpp"
#include "figure/figure.hpp"
#include "base/parallel.hpp"

#include <algorithm>
#include <cstdio>

namespace cqtcnn::cli {
namespace {
namespace fs = std::filesystem;

struct EvaluateOptions {
  std::string model;
  std::string labelled;
  std::string confusion;
  int threads = default_threads();
};

// A folder's label folders give their audio files (other files are skipped, and counted once
// on stderr); a CSV gives its rows, relative paths taken from the CSV's folder if need be.
std::vector<LabelledFile> read_examples(const fs::path& source) {
  std::vector<LabelledFile> out;
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
  return read_labelled_csv(source);
}

int run(const EvaluateOptions& o) {
  if (!o.confusion.empty()) figure_format(o.confusion);  // an unknown extension is refused before any work
  const Classifier classifier(load_model_or_builtin(o.model));
  const std::vector<LabelledFile> examples = read_examples(o.labelled);
  if (examples.empty()) throw InvalidInput("evaluate: no input files: " + o.labelled + " has no path,label rows");
  Batch batch("evaluate", examples.size(), false);
  const Evaluation e = evaluate(classifier, examples, o.labelled, o.threads, batch.messages(), batch.progress());
  batch.finish();
  std::fputs(e.report(classifier.labels(), classifier.model().name()).c_str(), stdout);
  if (!o.confusion.empty())
    write_figure(o.confusion, ConfusionFigure{o.model.empty() ? classifier.model().name() : fs::path(o.model).filename().string(),
                                              classifier.labels(), e.confusion.counts()});
  return e.failed ? kExitFailure : kExitOk;
}

const CommandRegistrar registrar{{
    "evaluate",
    "Accuracy, per-class precision/recall and the confusion matrix of a model on labelled files",
    40,
    [](CLI::App& app) -> std::function<int()> {
      auto o = std::make_shared<EvaluateOptions>();
      app.add_option("labelled", o->labelled, "CSV of path,label rows, or a folder whose sub-folders are the labels")->required();
      app.add_option("-m,--model", o->model, "Model file, or the name of an installed one (default: the built-in spoken-digit model)");
      app.add_option("--confusion,--confusion-png", o->confusion,
                     "Also draw the labelled confusion matrix (colours: each row's shares) as .png, .svg or .pdf");
      app.add_option("-j,--threads", o->threads, "Files processed in parallel")->capture_default_str()->check(CLI::Range(1, 256));
      return [o] { return run(*o); };
    },
}};

}  // namespace
}  // namespace cqtcnn::cli
