// cqtcnn explain: why the model decided. One window of the recording (the one where the class is
// most probable, or the one at --at), its CQT image with the class's occlusion saliency over it
// and the window's top classes, drawn as PNG, SVG or PDF (explain.hpp, figure.hpp).
#include "cli/command.hpp"
#include "classify/model_search.hpp"
#include "cqtcnn/error.hpp"
#include "classify/explain.hpp"
#include "figure/figure.hpp"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

namespace cqtcnn::cli {
namespace {

struct ExplainOptions {
  std::string input;
  std::string model;
  std::string output;
  std::string label;  // --class
  double at_s = -1;   // --at; negative: not given
  std::string frequency_axis = "notes";
  std::size_t top_k = 5;
  int width = 1100;
  int height = 500;
  int threads = 1;
};

int run(const ExplainOptions& o) {
  figure_format(o.output);  // an unknown extension is refused before any work
  const Classifier classifier(load_model_or_builtin(o.model));
  cqtcnn::ExplainOptions options;
  if (!o.label.empty()) {
    const auto& labels = classifier.labels();
    const auto it = std::find(labels.begin(), labels.end(), o.label);
    if (it == labels.end()) {
      std::string valid;
      for (const std::string& l : labels) valid += (valid.empty() ? "" : ", ") + l;
      throw InvalidInput("--class: \"" + o.label + "\" is not one of the labels of " + classifier.model().name() + " (" +
                         valid + ")");
    }
    options.target = std::size_t(it - labels.begin());
  }
  if (o.at_s >= 0) options.at_s = o.at_s;
  options.occlusion.threads = o.threads;
  const Explanation e = explain_file(classifier, o.input, options);

  SpectrogramFigure f = explanation_figure(e, classifier, std::filesystem::path(o.input).filename().string(), o.top_k);
  f.frequency_axis = o.frequency_axis == "hz" ? FrequencyAxis::hz : FrequencyAxis::notes;
  f.width = o.width;
  f.height = o.height;
  write_figure(o.output, f);
  const WindowResult& w = e.file.windows[e.window];
  std::fprintf(stderr, "cqtcnn explain: %s: \"%s\" (p = %.3f) in %.2f-%.2f s -> %s\n", o.input.c_str(),
               classifier.labels()[e.target].c_str(), double(w.probabilities[e.target]), w.start_s, w.end_s,
               o.output.c_str());
  return kExitOk;
}

const CommandRegistrar registrar{{
    "explain",
    "Draw which time-frequency regions drove a classification (occlusion saliency over the CQT)",
    45,
    [](CLI::App& app) -> std::function<int()> {
      auto o = std::make_shared<ExplainOptions>();
      app.add_option("input", o->input, "Audio file")->required();
      app.add_option("-o,--output", o->output, "Figure to write: .png, .svg or .pdf")->required();
      app.add_option("-m,--model", o->model, "Model file (default: the built-in spoken-digit model)");
      app.add_option("--class", o->label, "Explain this label (default: the most probable)");
      app.add_option("--at", o->at_s,
                     "Explain the window around this time in seconds (default: the window "
                     "where the class is most probable)")
          ->check(CLI::NonNegativeNumber);
      app.add_option("--frequency-axis", o->frequency_axis, "notes or hz")
          ->capture_default_str()
          ->check(CLI::IsMember({"notes", "hz"}));
      app.add_option("-k,--top-k", o->top_k, "Classes listed beside the figure")
          ->capture_default_str()
          ->check(CLI::Range(1, 100));
      app.add_option("--width", o->width, "Figure width in pixels (PNG) or points (SVG, PDF)")
          ->capture_default_str()
          ->check(CLI::Range(200, 16384));
      app.add_option("--height", o->height, "Figure height in pixels or points")
          ->capture_default_str()
          ->check(CLI::Range(150, 16384));
      app.add_option("-j,--threads", o->threads, "Threads for the occluded forward passes")
          ->capture_default_str()
          ->check(CLI::Range(1, 256));
      return [o] { return run(*o); };
    },
}};

}  // namespace
}  // namespace cqtcnn::cli
