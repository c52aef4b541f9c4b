#include "classify/events.hpp"

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

EventDetector::EventDetector(float min_score, std::vector<bool> kept, std::optional<std::size_t> none)
    : min_score_(min_score), kept_(std::move(kept)), none_(none) {
  if (none_ && *none_ < kept_.size()) kept_[*none_] = true;  // "no digit" is never filtered into a digit
}

std::vector<Event> EventDetector::add(const WindowResult& window) {
  std::vector<Event> ended;
  if (!cursor_) cursor_ = window.start_s;
  settle(window.start_s, ended);
  const std::optional<std::size_t> best = window.silent ? std::nullopt : best_class(window.probabilities, kept_);
  const float score = best ? window.probabilities[*best] : 0.0f;
  const bool competes = best && score >= min_score_;
  covering_.push_back({window.start_s, window.end_s, competes, best == none_ ? std::nullopt : best, score, next_id_++});
  // No later window starts here: the label from here on is already known, and an event of
  // another label ends now rather than when the next window comes.
  double to = 0.0;
  bool covered = false;
  const Candidate* winner = strongest(to, covered);
  if (open_ && (!winner || winner->label != open_->label)) close(ended);
  return ended;
}

std::vector<Event> EventDetector::finish() {
  std::vector<Event> ended;
  double end = cursor_.value_or(0.0);
  for (const Candidate& c : covering_) end = std::max(end, c.end_s);
  if (cursor_) settle(end, ended);
  close(ended);
  covering_.clear();
  cursor_.reset();
  return ended;
}

const EventDetector::Candidate* EventDetector::strongest(double& to, bool& covered) const {
  const Candidate* winner = nullptr;
  covered = false;
  for (const Candidate& c : covering_) {
    if (c.end_s <= *cursor_) continue;
    to = covered ? std::min(to, c.end_s) : c.end_s;
    covered = true;
    if (c.competes && (!winner || c.score > winner->score)) winner = &c;
  }
  return winner;
}

void EventDetector::settle(double until, std::vector<Event>& ended) {
  while (*cursor_ < until) {
    // The stretch from the cursor to the first end of a window covering it: the same windows
    // cover all of it.
    double to = until;
    bool covered = false;
    const Candidate* winner = strongest(to, covered);
    to = covered ? std::min(to, until) : until;
    if (covered) extend(winner, *cursor_, to, ended);
    cursor_ = to;
    while (!covering_.empty() && covering_.front().end_s <= *cursor_) covering_.pop_front();
  }
}

void EventDetector::extend(const Candidate* winner, double from, double to, std::vector<Event>& ended) {
  if (!winner || !winner->label) {
    close(ended);
    return;
  }
  if (open_ && open_->label != *winner->label) close(ended);
  const bool opens = !open_;
  if (opens) {
    open_ = Event{*winner->label, from, to, 0.0f, 0.0f, 0};
    score_sum_ = 0.0;
  }
  open_->end_s = to;
  // The stretches a window wins are consecutive (a later, stronger window covers the rest of
  // it), so a window is new to the event when it comes after the last one counted.
  if (opens || winner->id > last_counted_) {
    last_counted_ = winner->id;
    score_sum_ += winner->score;
    open_->max_score = std::max(open_->max_score, winner->score);
    ++open_->windows;
  }
}

void EventDetector::close(std::vector<Event>& ended) {
  if (!open_) return;
  open_->mean_score = float(score_sum_ / double(open_->windows));
  ended.push_back(*open_);
  open_.reset();
}

std::vector<Event> detect_events(const std::vector<WindowResult>& windows, float min_score,
                                 const std::vector<bool>& kept, std::optional<std::size_t> none) {
  EventDetector detector(min_score, kept, none);
  std::vector<Event> events;
  for (const WindowResult& w : windows)
    for (const Event& e : detector.add(w)) events.push_back(e);
  for (const Event& e : detector.finish()) events.push_back(e);
  return events;
}

}  // namespace cqtcnn
