#include "cqtcnn/events.hpp"

#include "cqtcnn/error.hpp"

#include <algorithm>

namespace cqtcnn {

std::vector<bool> select_labels(const std::vector<std::string>& labels, const std::string& list) {
  if (list.empty()) return {};
  std::vector<bool> kept(labels.size(), false);
  std::size_t from = 0;
  for (;;) {
    const std::size_t comma = std::min(list.find(',', from), list.size());
    std::string name = list.substr(from, comma - from);
    name.erase(0, name.find_first_not_of(' '));
    name.erase(name.find_last_not_of(' ') + 1);
    const auto found = std::find(labels.begin(), labels.end(), name);
    if (found == labels.end()) {
      std::string known;
      for (const std::string& l : labels) known += (known.empty() ? "" : ",") + l;
      throw InvalidInput("--labels: \"" + name + "\" is not one of the model's labels (" + known + ")");
    }
    kept[std::size_t(found - labels.begin())] = true;
    if (comma == list.size()) break;
    from = comma + 1;
  }
  return kept;
}

std::optional<std::size_t> best_class(const std::vector<float>& probabilities, const std::vector<bool>& kept) {
  std::optional<std::size_t> best;
  for (std::size_t c = 0; c < probabilities.size(); ++c) {
    if (!kept.empty() && !kept[c]) continue;
    if (!best || probabilities[c] > probabilities[*best]) best = c;
  }
  return best;
}

EventDetector::EventDetector(float min_score, std::vector<bool> kept) : min_score_(min_score), kept_(std::move(kept)) {}

std::optional<Event> EventDetector::add(const WindowResult& window) {
  const std::optional<std::size_t> best = best_class(window.probabilities, kept_);
  const bool scores = best && window.probabilities[*best] >= min_score_;
  if (scores && open_ && open_->label == *best) {  // the event goes on
    const float score = window.probabilities[*best];
    open_->end_s = window.end_s;
    open_->max_score = std::max(open_->max_score, score);
    score_sum_ += score;
    ++open_->windows;
    return std::nullopt;
  }
  std::optional<Event> ended = finish();
  if (scores) {
    const float score = window.probabilities[*best];
    open_ = Event{*best, window.start_s, window.end_s, score, score, 1};
    score_sum_ = score;
  }
  return ended;
}

std::optional<Event> EventDetector::finish() {
  std::optional<Event> ended = std::move(open_);
  open_.reset();
  if (ended) ended->mean_score = float(score_sum_ / double(ended->windows));
  return ended;
}

std::vector<Event> detect_events(const std::vector<WindowResult>& windows, float min_score,
                                 const std::vector<bool>& kept) {
  EventDetector detector(min_score, kept);
  std::vector<Event> events;
  for (const WindowResult& w : windows)
    if (auto e = detector.add(w)) events.push_back(*e);
  if (auto e = detector.finish()) events.push_back(*e);
  return events;
}

}  // namespace cqtcnn
