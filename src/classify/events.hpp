// Detection events from a stream of classified windows, as sound-event tools report them
// (BirdNET's selection tables, Audacity label tracks). An event is one stretch of time with one
// label. Each stretch of time takes the label of the strongest window over it: of the windows
// that cover it and whose best class scores at least a threshold, the one whose score is highest
// (the earlier on ties). An event is a run of time with the same label, from where its label
// starts to where it ends; its scores are the mean and the maximum of the windows that won part
// of it. Time that no such window covers (silent windows, windows scoring less, windows whose
// best class is the model's "none" class) has no label and ends events; time that no window at
// all covers (windows further apart than they are long) neither ends nor extends one. With
// windows that do not overlap this is the run of consecutive windows with the same best class.
//
//   cqtcnn::EventDetector events(0.5f, cqtcnn::select_labels(c.labels(), "3,7"), cqtcnn::none_class(c.labels()));
//   c.classify_stream(reader, [&](const cqtcnn::WindowResult& w) {
//     for (const cqtcnn::Event& e : events.add(w)) print(e);  // the events this window's start ends
//   });
//   for (const cqtcnn::Event& e : events.finish()) print(e);
#pragma once

#include "cqtcnn/classifier.hpp"

#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace cqtcnn {

struct Event {
  std::size_t label = 0;  // class index
  double start_s = 0.0;
  double end_s = 0.0;
  float mean_score = 0.0f;  // over the windows that won part of the event
  float max_score = 0.0f;
  std::size_t windows = 0;  // how many windows won part of it
};

// Which classes to keep: a mask over `labels` from a comma-separated list of label names
// ("3,7"); an empty list keeps them all. Throws InvalidInput "--labels: ..." naming an unknown
// label and the model's labels.
std::vector<bool> select_labels(const std::vector<std::string>& labels, const std::string& list);

// The most probable class among the kept ones (`kept` empty: all), the first on ties; nullopt
// when none is kept.
std::optional<std::size_t> best_class(const std::vector<float>& probabilities, const std::vector<bool>& kept);

class EventDetector {
 public:
  // Windows whose best kept class scores at least `min_score` compete for time. `none` is the
  // model's none class (none_class()): always kept, and a window it wins gives its time no label.
  explicit EventDetector(float min_score, std::vector<bool> kept = {}, std::optional<std::size_t> none = std::nullopt);

  // Feeds the next window (windows in order of their start). Returns the events that end before
  // its start, in time order: once a window starts, no later window covers the time before it.
  std::vector<Event> add(const WindowResult& window);
  // Ends the stream: the events still open.
  std::vector<Event> finish();

 private:
  struct Candidate {
    double start_s, end_s;
    bool competes;                     // not silent, and its best kept class scores enough
    std::optional<std::size_t> label;  // its best class; nullopt for the none class
    float score;
    std::size_t id;                    // windows are numbered in order
  };
  // Of the windows covering the time just after cursor_, the one that competes with the highest
  // score (nullptr: none competes); `to` becomes the first end among them, `covered` whether any
  // window covers it at all.
  const Candidate* strongest(double& to, bool& covered) const;
  // Labels the time from cursor_ to `until`, stretch by stretch between the windows' ends.
  void settle(double until, std::vector<Event>& ended);
  // The stretch [from, to) takes `winner`'s label (none: no label).
  void extend(const Candidate* winner, double from, double to, std::vector<Event>& ended);
  void close(std::vector<Event>& ended);

  float min_score_;
  std::vector<bool> kept_;
  std::optional<std::size_t> none_;
  std::deque<Candidate> covering_;  // the windows that may still cover time after cursor_
  std::optional<double> cursor_;    // time before it is settled
  std::size_t next_id_ = 0;
  std::optional<Event> open_;
  double score_sum_ = 0.0;
  std::size_t last_counted_ = 0;  // id of the last window counted in open_
};

// Every event of a finished recording's windows.
std::vector<Event> detect_events(const std::vector<WindowResult>& windows, float min_score,
                                 const std::vector<bool>& kept = {}, std::optional<std::size_t> none = std::nullopt);

}  // namespace cqtcnn
