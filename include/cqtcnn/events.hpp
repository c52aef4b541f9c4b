// Detection events from a stream of classified windows, as sound-event tools report them
// (BirdNET's selection tables, Audacity label tracks): consecutive windows whose best class is
// the same and scores at least a threshold become one event, from the first window's start to
// the last one's end, with the mean and the maximum of those windows' scores.
//
//   cqtcnn::EventDetector events(0.5f, cqtcnn::select_labels(c.labels(), "3,7"));
//   c.classify_stream(reader, [&](const cqtcnn::WindowResult& w) {
//     if (auto e = events.add(w)) print(*e);   // an event ends when its run of windows does
//   });
//   if (auto e = events.finish()) print(*e);
#pragma once

#include "cqtcnn/classifier.hpp"

#include <optional>
#include <string>
#include <vector>

namespace cqtcnn {

struct Event {
  std::size_t label = 0;  // class index
  double start_s = 0.0;
  double end_s = 0.0;
  float mean_score = 0.0f;  // over the event's windows
  float max_score = 0.0f;
  std::size_t windows = 0;
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
  // Windows whose best kept class scores at least `min_score` take part in events.
  EventDetector(float min_score, std::vector<bool> kept = {});

  // Feeds the next window (windows in time order). Returns the event that this window ends:
  // the open one, when this window's best class differs or scores too little.
  std::optional<Event> add(const WindowResult& window);
  // Ends the stream: the event still open, if any.
  std::optional<Event> finish();

 private:
  float min_score_;
  std::vector<bool> kept_;
  std::optional<Event> open_;
  double score_sum_ = 0.0;
};

// Every event of a finished recording's windows.
std::vector<Event> detect_events(const std::vector<WindowResult>& windows, float min_score,
                                 const std::vector<bool>& kept = {});

}  // namespace cqtcnn
