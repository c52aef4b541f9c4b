// Events from windows: the merging rule on hand-made probabilities, checked against a direct
// statement of it (runs of equal, scoring top labels), and the label selection.
#include "cqtcnn/error.hpp"
#include "cqtcnn/events.hpp"

#include <gtest/gtest.h>

#include <random>

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
  // labels 1 1 1 | 2 | 2 (too low) | 2 2 | 0 (too low) | 1
  const std::vector<WindowResult> windows = {window(0, 1, 0.9f), window(1, 1, 0.7f), window(2, 1, 0.8f),
                                             window(3, 2, 0.6f), window(4, 2, 0.4f), window(5, 2, 0.95f),
                                             window(6, 2, 0.55f), window(7, 0, 0.3f), window(8, 1, 0.99f)};
  const std::vector<Event> events = detect_events(windows, 0.5f);
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].label, 1u);
  EXPECT_DOUBLE_EQ(events[0].start_s, 0.0);
  EXPECT_DOUBLE_EQ(events[0].end_s, 2.0);  // window 2 ends at 1.0 + 1.0
  EXPECT_EQ(events[0].windows, 3u);
  EXPECT_FLOAT_EQ(events[0].mean_score, (0.9f + 0.7f + 0.8f) / 3);
  EXPECT_FLOAT_EQ(events[0].max_score, 0.9f);
  EXPECT_EQ(events[1].label, 2u);  // window 3 alone: window 4 scores under 0.5
  EXPECT_DOUBLE_EQ(events[1].start_s, 1.5);
  EXPECT_DOUBLE_EQ(events[1].end_s, 2.5);
  EXPECT_EQ(events[2].label, 2u);
  EXPECT_DOUBLE_EQ(events[2].start_s, 2.5);
  EXPECT_DOUBLE_EQ(events[2].end_s, 4.0);
  EXPECT_FLOAT_EQ(events[2].mean_score, (0.95f + 0.55f) / 2);
  EXPECT_EQ(events[3].label, 1u);  // the last event is closed by finish()
  EXPECT_DOUBLE_EQ(events[3].end_s, 5.0);
}

TEST(Events, StreamingGivesEachEventWhenItsLastWindowIsFollowed) {
  EventDetector d(0.5f);
  EXPECT_FALSE(d.add(window(0, 3, 0.8f)));
  EXPECT_FALSE(d.add(window(1, 3, 0.8f)));
  const auto e = d.add(window(2, 0, 0.8f));  // another label ends the event of label 3
  ASSERT_TRUE(e);
  EXPECT_EQ(e->label, 3u);
  EXPECT_EQ(e->windows, 2u);
  const auto last = d.finish();
  ASSERT_TRUE(last);
  EXPECT_EQ(last->label, 0u);
  EXPECT_FALSE(d.finish());
}

// Random sequences against the rule written out directly.
TEST(Events, AgreeWithADirectStatementOfTheRule) {
  std::mt19937 rng(5);
  std::uniform_int_distribution<std::size_t> label(0, 2);
  std::uniform_real_distribution<float> score(0.34f, 1.0f);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<WindowResult> windows;
    for (std::size_t i = 0; i < 30; ++i) windows.push_back(window(i, label(rng), score(rng), 3));
    const float min_score = 0.6f;
    std::vector<Event> expected;
    for (std::size_t i = 0; i < windows.size();) {
      const auto& p = windows[i].probabilities;
      const std::size_t top = std::size_t(std::max_element(p.begin(), p.end()) - p.begin());
      if (p[top] < min_score) {
        ++i;
        continue;
      }
      std::size_t j = i;
      double sum = 0;
      float max = 0;
      while (j < windows.size() && windows[j].probabilities[top] >= min_score &&
             std::max_element(windows[j].probabilities.begin(), windows[j].probabilities.end()) -
                     windows[j].probabilities.begin() == std::ptrdiff_t(top)) {
        sum += windows[j].probabilities[top];
        max = std::max(max, windows[j].probabilities[top]);
        ++j;
      }
      expected.push_back({top, windows[i].start_s, windows[j - 1].end_s, float(sum / double(j - i)), max, j - i});
      i = j;
    }
    const std::vector<Event> got = detect_events(windows, min_score);
    ASSERT_EQ(got.size(), expected.size()) << "trial " << trial;
    for (std::size_t e = 0; e < got.size(); ++e) {
      EXPECT_EQ(got[e].label, expected[e].label);
      EXPECT_EQ(got[e].start_s, expected[e].start_s);
      EXPECT_EQ(got[e].end_s, expected[e].end_s);
      EXPECT_EQ(got[e].windows, expected[e].windows);
      EXPECT_FLOAT_EQ(got[e].mean_score, expected[e].mean_score);
      EXPECT_EQ(got[e].max_score, expected[e].max_score);
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
