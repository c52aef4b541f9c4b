// Events from windows: the rule on hand-made probabilities (windows that do not overlap, windows
// that do, silent windows and the none class), checked against a direct statement of it (the
// label of each short cell of time), and the label selection.
#include "cqtcnn/error.hpp"
#include "classify/events.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

namespace cqtcnn {
namespace {

// Window i covers [i * hop, i * hop + width) with probability `top_score` on class `top` and the
// rest spread evenly over the other classes.
WindowResult window(std::size_t i, std::size_t top, float top_score, std::size_t n_classes = 4,
                    double hop = 0.5, double width = 1.0) {
  WindowResult w{double(i) * hop, double(i) * hop + width, std::vector<float>(n_classes, (1 - top_score) / float(n_classes - 1))};
  w.probabilities[top] = top_score;
  return w;
}

TEST(Events, MergesRunsOfTheSameScoringLabel) {
  // Windows that do not overlap (hop = width = 1): labels 1 1 1 | 2 | 2 (too low) | 2 2 | 0 (too low) | 1
  const auto w = [](std::size_t i, std::size_t top, float score) { return window(i, top, score, 4, 1.0, 1.0); };
  const std::vector<WindowResult> windows = {w(0, 1, 0.9f), w(1, 1, 0.7f), w(2, 1, 0.8f),
                                             w(3, 2, 0.6f), w(4, 2, 0.4f), w(5, 2, 0.95f),
                                             w(6, 2, 0.55f), w(7, 0, 0.3f), w(8, 1, 0.99f)};
  const std::vector<Event> events = detect_events(windows, 0.5f);
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].label, 1u);
  EXPECT_DOUBLE_EQ(events[0].start_s, 0.0);
  EXPECT_DOUBLE_EQ(events[0].end_s, 3.0);
  EXPECT_EQ(events[0].windows, 3u);
  EXPECT_FLOAT_EQ(events[0].mean_score, (0.9f + 0.7f + 0.8f) / 3);
  EXPECT_FLOAT_EQ(events[0].max_score, 0.9f);
  EXPECT_EQ(events[1].label, 2u);  // window 3 alone: window 4 scores under 0.5
  EXPECT_DOUBLE_EQ(events[1].start_s, 3.0);
  EXPECT_DOUBLE_EQ(events[1].end_s, 4.0);
  EXPECT_EQ(events[2].label, 2u);
  EXPECT_DOUBLE_EQ(events[2].start_s, 5.0);
  EXPECT_DOUBLE_EQ(events[2].end_s, 7.0);
  EXPECT_FLOAT_EQ(events[2].mean_score, (0.95f + 0.55f) / 2);
  EXPECT_EQ(events[3].label, 1u);  // the last event is closed by finish()
  EXPECT_DOUBLE_EQ(events[3].end_s, 9.0);
}

// Half-overlapping windows (the digits model's hop): window i covers [0.5 i, 0.5 i + 1).
// Class 0 is the model's none class.
std::vector<WindowResult> overlapping_windows() {
  std::vector<WindowResult> w = {window(0, 1, 0.9f), window(1, 1, 0.7f), window(2, 2, 0.8f), window(3, 2, 0.6f),
                                 window(4, 2, 0.9f), window(5, 0, 0.9f), window(6, 1, 0.6f), window(7, 1, 0.95f)};
  w[4].silent = true;
  w[4].probabilities.assign(4, 0.0f);
  return w;
}

TEST(Events, OverlapsGoToTheStrongerWindowAndEventsDoNotOverlap) {
  // Each half second goes to the strongest competing window over it:
  //   0-0.5 w0 (1) | 0.5-1 w0 0.9 > w1 0.7 (1) | 1-1.5 w2 0.8 > w1 (2) | 1.5-2 w2 (2) |
  //   2-2.5 w3 (2; w4 is silent) | 2.5-3 w5, none | 3-3.5 w5 0.9 > w6 0.6, none | 3.5-4.5 w7 (1)
  const std::vector<Event> events = detect_events(overlapping_windows(), 0.5f, {}, 0);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].label, 1u);
  EXPECT_DOUBLE_EQ(events[0].start_s, 0.0);
  EXPECT_DOUBLE_EQ(events[0].end_s, 1.0);
  EXPECT_EQ(events[0].windows, 1u);  // w1 won no time
  EXPECT_FLOAT_EQ(events[0].mean_score, 0.9f);
  EXPECT_EQ(events[1].label, 2u);
  EXPECT_DOUBLE_EQ(events[1].start_s, 1.0);
  EXPECT_DOUBLE_EQ(events[1].end_s, 2.5);
  EXPECT_EQ(events[1].windows, 2u);
  EXPECT_FLOAT_EQ(events[1].mean_score, (0.8f + 0.6f) / 2);
  EXPECT_FLOAT_EQ(events[1].max_score, 0.8f);
  EXPECT_EQ(events[2].label, 1u);
  EXPECT_DOUBLE_EQ(events[2].start_s, 3.5);
  EXPECT_DOUBLE_EQ(events[2].end_s, 4.5);
  EXPECT_FLOAT_EQ(events[2].mean_score, 0.95f);
  // Without a none class, class 0 is a class like the others: an event from 2.5 to 3.5.
  const std::vector<Event> plain = detect_events(overlapping_windows(), 0.5f);
  ASSERT_EQ(plain.size(), 4u);
  EXPECT_EQ(plain[2].label, 0u);
  EXPECT_DOUBLE_EQ(plain[2].start_s, 2.5);
  EXPECT_DOUBLE_EQ(plain[2].end_s, 3.5);
  EXPECT_DOUBLE_EQ(plain[3].start_s, 3.5);
}

TEST(Events, StreamingGivesEachEventWhenTheWindowThatEndsItStarts) {
  EventDetector d(0.5f, {}, 0);
  const std::vector<WindowResult> w = overlapping_windows();
  EXPECT_TRUE(d.add(w[0]).empty());
  EXPECT_TRUE(d.add(w[1]).empty());
  const std::vector<Event> first = d.add(w[2]);  // w2 wins from its start on: label 1 ends there
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].label, 1u);
  EXPECT_DOUBLE_EQ(first[0].end_s, 1.0);
  EXPECT_TRUE(d.add(w[3]).empty());
  EXPECT_TRUE(d.add(w[4]).empty());  // silent, but w3 still covers 2-2.5
  const std::vector<Event> second = d.add(w[5]);  // the none class wins from 2.5 on
  ASSERT_EQ(second.size(), 1u);
  EXPECT_DOUBLE_EQ(second[0].end_s, 2.5);
  EXPECT_TRUE(d.add(w[6]).empty());
  EXPECT_TRUE(d.add(w[7]).empty());
  const std::vector<Event> last = d.finish();
  ASSERT_EQ(last.size(), 1u);
  EXPECT_DOUBLE_EQ(last[0].start_s, 3.5);
  EXPECT_TRUE(d.finish().empty());
}

// The rule stated directly: each short cell of time takes the label of the strongest competing
// window over it (the earlier on ties; -1: no label); events are runs of cells with one label.
std::vector<Event> events_cell_by_cell(const std::vector<WindowResult>& windows, float min_score, double cell) {
  const double end = windows.back().end_s;
  std::vector<Event> events;
  std::set<std::size_t> winners;
  double score_sum = 0;
  const auto close = [&] {
    if (events.empty() || events.back().windows > 0) return;
    events.back().windows = winners.size();
    events.back().mean_score = float(score_sum / double(winners.size()));
  };
  long previous = -1;
  for (std::size_t k = 0; (double(k) + 0.5) * cell < end; ++k) {
    const double t = (double(k) + 0.5) * cell;
    long label = -1;
    float best = -1;
    std::size_t winner = 0;
    for (std::size_t i = 0; i < windows.size(); ++i) {
      const auto& p = windows[i].probabilities;
      const auto top = std::size_t(std::max_element(p.begin(), p.end()) - p.begin());
      if (windows[i].start_s <= t && t < windows[i].end_s && !windows[i].silent && p[top] >= min_score && p[top] > best) {
        best = p[top];
        label = long(top);
        winner = i;
      }
    }
    if (label != previous) {
      close();
      if (label >= 0) {
        events.push_back({std::size_t(label), double(k) * cell, 0, 0, 0, 0});
        winners.clear();
        score_sum = 0;
      }
    }
    if (label >= 0) {
      events.back().end_s = double(k + 1) * cell;
      if (winners.insert(winner).second) score_sum += best;
      events.back().max_score = std::max(events.back().max_score, best);
    }
    previous = label;
  }
  close();
  return events;
}

// Random sequences against the rule written out cell by cell, with windows that overlap by
// three quarters, by more than half (0.6 s windows every 0.25 s: ends fall between starts) and
// not at all.
TEST(Events, AgreeWithADirectStatementOfTheRule) {
  std::mt19937 rng(5);
  std::uniform_int_distribution<std::size_t> label(0, 2);
  std::uniform_real_distribution<float> score(0.34f, 1.0f);
  std::bernoulli_distribution silent(0.1);
  for (const auto& [hop, width] : {std::pair{0.25, 1.0}, {0.25, 0.6}, {0.5, 0.5}}) {
    for (int trial = 0; trial < 100; ++trial) {
      std::vector<WindowResult> windows;
      for (std::size_t i = 0; i < 30; ++i) {
        windows.push_back(window(i, label(rng), score(rng), 3, hop, width));
        if (silent(rng)) {
          windows.back().silent = true;
          windows.back().probabilities.assign(3, 0.0f);
        }
      }
      const std::vector<Event> expected = events_cell_by_cell(windows, 0.6f, 0.01);
      const std::vector<Event> got = detect_events(windows, 0.6f);
      ASSERT_EQ(got.size(), expected.size()) << "hop " << hop << " width " << width << " trial " << trial;
      for (std::size_t e = 0; e < got.size(); ++e) {
        EXPECT_EQ(got[e].label, expected[e].label);
        EXPECT_NEAR(got[e].start_s, expected[e].start_s, 1e-9);
        EXPECT_NEAR(got[e].end_s, expected[e].end_s, 1e-9);
        EXPECT_EQ(got[e].windows, expected[e].windows);
        EXPECT_FLOAT_EQ(got[e].mean_score, expected[e].mean_score);
        EXPECT_EQ(got[e].max_score, expected[e].max_score);
        if (e > 0) {
          EXPECT_LE(got[e - 1].end_s, got[e].start_s);  // events never overlap
        }
      }
    }
  }
}

TEST(Events, KeptLabelsDecideTheTopLabel) {
  const std::vector<std::string> labels = {"dog", "cat", "bird", "car"};
  const std::vector<bool> kept = select_labels(labels, "bird, car");
  EXPECT_EQ(kept, (std::vector<bool>{false, false, true, true}));
  // class 0 is the top overall; among the kept ones class 2 is, with 0.3
  WindowResult w{0, 1, {0.5f, 0.1f, 0.3f, 0.1f}};
  EXPECT_EQ(best_class(w.probabilities, {}), 0u);
  EXPECT_EQ(best_class(w.probabilities, kept), 2u);
  EXPECT_EQ(detect_events({w}, 0.25f, kept).at(0).label, 2u);
  EXPECT_TRUE(detect_events({w}, 0.35f, kept).empty());
  // When class 0 is the none class it stays in, however the labels are chosen: its window gives no event.
  EXPECT_TRUE(detect_events({w}, 0.25f, kept, 0).empty());
  EXPECT_EQ(detect_events({w}, 0.25f, kept, 1).at(0).label, 2u);
  EXPECT_TRUE(select_labels(labels, "").empty());
  try {
    select_labels(labels, "dog,cow");
    FAIL();
  } catch (const InvalidInput& e) {
    EXPECT_STREQ(e.what(), "--labels: \"cow\" is not one of the model's labels (dog,cat,bird,car)");
  }
}

}  // namespace
}  // namespace cqtcnn
