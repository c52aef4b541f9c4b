// The figures of cqtcnn's results: a file's spectrogram and an explanation, with their titles.
#include "figure/figure.hpp"

#include <algorithm>
#include <cstdio>

namespace cqtcnn {
namespace {

// The first `keep` columns of a rows x columns image stored row by row.
std::vector<float> first_columns(const std::vector<float>& image, int rows, int columns, int keep) {
  std::vector<float> kept;
  kept.reserve(std::size_t(rows) * std::size_t(keep));
  for (int r = 0; r < rows; ++r) {
    const auto row = image.begin() + std::ptrdiff_t(r) * columns;
    kept.insert(kept.end(), row, row + keep);
  }
  return kept;
}

}  // namespace

std::string describe_cqt(const CqtParams& cqt) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "%d bins from %.1f Hz (%s), %d per octave, hop %d (%.1f ms) at %g Hz", cqt.n_bins,
                cqt.fmin, note_name(cqt.bin_frequency(0)).c_str(), cqt.bins_per_octave, cqt.hop_length,
                1000.0 * cqt.hop_length / cqt.sr, cqt.sr);
  return buf;
}

SpectrogramFigure spectrogram_figure(const FileSpectrogram& s, const std::string& file_name, ValueScale values,
                                     std::optional<double> range) {
  SpectrogramFigure f;
  f.title = file_name;
  f.subtitle = "Constant-Q transform: " + describe_cqt(s.cqt);
  f.values = s.values;
  f.n_bins = s.cqt.n_bins;
  f.n_frames = s.n_frames;
  f.frequencies = s.cqt.frequencies();
  f.frame_seconds = s.cqt.hop_length / s.cqt.sr;
  f.value_label = values == ValueScale::db      ? "dB (re maximum)"
                  : values == ValueScale::power ? "power"
                  : values == ValueScale::pcen  ? "PCEN"
                                                : "magnitude";
  f.range = values == ValueScale::db ? range : std::nullopt;
  return f;
}

SpectrogramFigure explanation_figure(const Explanation& e, const Classifier& classifier, const std::string& file_name,
                                     std::size_t top_k) {
  const FrontendConfig& config = classifier.frontend().config();
  const auto& labels = classifier.labels();
  const WindowResult& window = e.file.windows[e.window];
  SpectrogramFigure f;
  char buf[256];
  std::snprintf(buf, sizeof buf, "%s: why \"%s\" (p = %.3f), window %.2f-%.2f s", file_name.c_str(),
                labels[e.target].c_str(), double(window.probabilities[e.target]), window.start_s, window.end_s);
  f.title = buf;
  f.subtitle = "Occlusion saliency (red: hiding it lowers p, blue: raises it); " + classifier.model().name() +
               "; " + describe_cqt(config.cqt);
  // The audio's extent only: padding past a short clip's end is no part of the recording.
  f.values = first_columns(e.db, e.bins, e.frames, e.audio_frames);
  f.n_bins = e.bins;
  f.n_frames = std::size_t(e.audio_frames);
  f.frequencies = config.cqt.frequencies();
  f.frame_seconds = config.frame_seconds();
  f.start_s = window.start_s;
  f.colormap = Colormap::grey;
  f.value_label = config.subtract_bin_mean ? "dB minus the bin's mean" : "dB (re window maximum)";
  f.overlay = first_columns(e.saliency, e.bins, e.frames, e.audio_frames);
  f.overlay_label = "drop in p(" + labels[e.target] + ")";
  f.scores_title = "Top classes (this window)";
  std::vector<std::size_t> order(labels.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return window.probabilities[a] > window.probabilities[b]; });
  for (std::size_t i = 0; i < std::min(top_k, order.size()); ++i)
    f.scores.emplace_back(labels[order[i]], window.probabilities[order[i]]);
  f.width = 1100;
  return f;
}

}  // namespace cqtcnn
