#include "cli/report.hpp"

#include "cli/output_format.hpp"

#include <algorithm>
#include <numeric>
#include <optional>

namespace cqtcnn::cli {

std::string report_format(const std::string& explicit_format, const std::string& output) {
  std::vector<OutputFormat> formats;
  for (const RowFormat& f : row_formats()) formats.push_back({f.name, f.extensions});
  return choose_output_format(explicit_format, output, formats, "text");
}

Report::Report(ReportOptions options, std::vector<std::string> labels)
    : options_(std::move(options)), labels_(std::move(labels)) {
  options_.top_k = std::clamp<std::size_t>(options_.top_k, 1, labels_.size());
  writer_ = make_row_writer(options_);
}

std::vector<Scored> Report::ranked(const std::vector<float>& probabilities) const {
  std::vector<std::size_t> order(probabilities.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return probabilities[a] > probabilities[b]; });
  std::vector<Scored> out;
  if (!options_.kept.empty()) std::erase_if(order, [&](std::size_t c) { return !options_.kept[c]; });
  for (std::size_t i = 0; i < options_.top_k && i < order.size(); ++i)
    if (probabilities[order[i]] >= options_.min_score) out.push_back({labels_[order[i]], probabilities[order[i]]});
  return out;
}

std::string Report::row(const std::string& path, const std::vector<float>& probabilities, double start_s,
                        double end_s, bool silent) const {
  const std::vector<Scored> top = silent ? std::vector<Scored>{} : ranked(probabilities);
  return writer_->result({path, top, start_s, end_s, silent});
}

std::string Report::event_rows(const std::string& path, const Event& e) const {
  return writer_->event(path, labels_[e.label], e);
}

std::string Report::window_rows(const std::string& path, const WindowResult& w) const {
  if (w.silent)  // a label track or selection table holds detections: silence is not one
    return writer_->holds_notes() ? row(path, {}, w.start_s, w.end_s, true) : "";
  const std::optional<std::size_t> best = best_class(w.probabilities, options_.kept);
  if (!best || w.probabilities[*best] < options_.min_score) return "";
  return row(path, w.probabilities, w.start_s, w.end_s);
}

std::string Report::rows(const std::string& path, const FileResult& result, const std::string& warning) const {
  std::string out;
  const auto append = [&](const std::string& rows) {
    if (rows.empty()) return;
    out.append(out.empty() ? "" : separator()).append(warning.empty() ? rows : writer_->noted(rows, warning));
  };
  if (options_.events) {
    for (const Event& e : detect_events(result.windows, options_.min_score, options_.kept, none_class(labels_)))
      append(event_rows(path, e));
  } else if (options_.segments) {
    for (const WindowResult& w : result.windows) append(window_rows(path, w));
  } else {
    append(row(path, result.probabilities, 0.0, result.duration_s, result.silent()));
  }
  return out;
}

}  // namespace cqtcnn::cli
