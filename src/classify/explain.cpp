#include "classify/explain.hpp"

#include "cqtcnn/error.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace cqtcnn {
namespace {

std::size_t most_probable(const std::vector<float>& p) {
  return std::size_t(std::max_element(p.begin(), p.end()) - p.begin());
}

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g s", s);
  return buf;
}

}  // namespace

Explanation explain_file(const Classifier& classifier, const std::filesystem::path& path, const ExplainOptions& o) {
  const std::size_t n_classes = classifier.labels().size();
  if (o.target && *o.target >= n_classes)
    throw InvalidInput("explain: class " + std::to_string(*o.target) + " of " + std::to_string(n_classes));
  Explanation e;
  e.file = classifier.classify(path);
  const std::vector<WindowResult>& windows = e.file.windows;
  if (o.at_s) {
    if (!(*o.at_s >= 0 && *o.at_s <= e.file.duration_s))
      throw InvalidInput("--at: " + seconds(*o.at_s) + " is outside " + path.string() + " (0 to " +
                         seconds(e.file.duration_s) + ")");
    const auto distance = [&](const WindowResult& w) { return std::fabs((w.start_s + w.end_s) / 2 - *o.at_s); };
    e.window = std::size_t(std::min_element(windows.begin(), windows.end(),
                                            [&](const auto& a, const auto& b) { return distance(a) < distance(b); }) -
                           windows.begin());
    e.target = o.target ? *o.target : most_probable(windows[e.window].probabilities);
  } else {
    e.target = o.target ? *o.target : most_probable(e.file.probabilities);
    e.window = std::size_t(std::max_element(windows.begin(), windows.end(),
                                            [&](const auto& a, const auto& b) {
                                              return a.probabilities[e.target] < b.probabilities[e.target];
                                            }) -
                           windows.begin());
  }

  // The window's network input, from a second pass through the front end (constant memory).
  const Frontend& frontend = classifier.frontend();
  frontend.process_file(path, [&](const FeatureWindow& w) {
    if (w.index != e.window) return;
    e.input = w.values;
    e.audio_frames = int(w.audio_frames);
  });
  const FrontendConfig& config = frontend.config();
  e.bins = frontend.height();
  e.frames = frontend.width();
  e.db.resize(e.input.size());
  for (std::size_t i = 0; i < e.input.size(); ++i)
    e.db[i] = float(double(e.input[i]) * config.norm_std + config.norm_mean);
  e.baseline.assign(std::size_t(e.bins), config.pad_value());
  if (config.subtract_bin_mean)
    for (std::size_t k = 0; k < e.baseline.size(); ++k) {
      const auto row = e.input.begin() + std::ptrdiff_t(k * std::size_t(e.frames));
      e.baseline[k] = *std::min_element(row, row + e.frames);
    }
  e.saliency = occlusion_saliency(classifier.model(), e.input, e.target, e.baseline, o.occlusion);
  return e;
}

}  // namespace cqtcnn
