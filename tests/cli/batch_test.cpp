// The batch runner's parts: parallel_in_order (results taken in input order whatever order the
// threads finish in, the look-ahead bound, a stop and a failed take ending the batch without a
// hang), --shard against the published FNV-1a test vector, and --resume's cut of a partial row.
#include "audio/audio_test_util.hpp"
#include "base/parallel.hpp"
#include "cli/batch.hpp"
#include "cqtcnn/error.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace cqtcnn::cli {
namespace {

namespace fs = std::filesystem;

// Work that takes longer for some items than for later ones, so that threads finish out of order.
int slow_square(std::size_t i) {
  std::this_thread::sleep_for(std::chrono::milliseconds((i * 7) % 5));
  return int(i * i);
}

TEST(ParallelInOrder, TakesEachResultInInputOrder) {
  for (const std::size_t ahead : {std::size_t{0}, std::size_t{3}}) {
    std::vector<std::pair<std::size_t, int>> taken;
    std::vector<std::size_t> finished;
    std::atomic<std::size_t> taken_count{0};
    std::atomic<bool> too_far{false};
    const InOrder how{.threads = 4, .ahead = ahead, .finished = [&](std::size_t n) { finished.push_back(n); }};
    const std::size_t n = parallel_in_order(
        40, how,
        [&](std::size_t i) {
          if (ahead && i >= taken_count.load() + ahead) too_far = true;  // started beyond the bound
          return slow_square(i);
        },
        [&](std::size_t i, int square) {
          taken.emplace_back(i, square);
          ++taken_count;
        });
    EXPECT_EQ(n, 40u);
    ASSERT_EQ(taken.size(), 40u);
    for (std::size_t i = 0; i < 40; ++i) EXPECT_EQ(taken[i], std::make_pair(i, int(i * i))) << "ahead " << ahead;
    ASSERT_EQ(finished.size(), 40u);
    for (std::size_t i = 0; i < 40; ++i) EXPECT_EQ(finished[i], i + 1);
    EXPECT_FALSE(too_far) << "ahead " << ahead;
  }
}

TEST(ParallelInOrder, AStopEndsTheBatchAtTheFirstItemNotTaken) {
  // Stopped once item 10 is taken (on one thread, so that no later result is in yet): nothing
  // after it is started or taken.
  std::atomic<bool> stop{false};
  std::vector<std::size_t> taken;
  std::size_t n = parallel_in_order(
      40, InOrder{.threads = 1, .stop = [&] { return stop.load(); }}, slow_square, [&](std::size_t i, int) {
        taken.push_back(i);
        if (i == 10) stop = true;
      });
  EXPECT_EQ(n, 11u);
  EXPECT_EQ(taken.size(), 11u);
  // Stopped while item 3 is being worked on, with workers waiting for the look-ahead to move on:
  // item 3's result is dropped (it may be cut short), and no worker waits for ever.
  stop = false;
  taken.clear();
  n = parallel_in_order(
      40, InOrder{.threads = 3, .ahead = 2, .stop = [&] { return stop.load(); }},
      [&](std::size_t i) {
        if (i == 3) stop = true;
        return slow_square(i);
      },
      [&](std::size_t i, int) { taken.push_back(i); });
  EXPECT_LE(n, 3u);
  EXPECT_EQ(taken.size(), n);
}

TEST(ParallelInOrder, AFailedTakeIsRethrownOnceTheWorkersHaveEnded) {
  std::vector<std::size_t> taken;
  EXPECT_THROW(parallel_in_order(
                   40, InOrder{.threads = 3, .ahead = 2}, slow_square,
                   [&](std::size_t i, int) {
                     if (i == 5) throw std::runtime_error("disk full");
                     taken.push_back(i);
                   }),
               std::runtime_error);
  EXPECT_EQ(taken, (std::vector<std::size_t>{0, 1, 2, 3, 4}));
}

TEST(Batch, RunsTheFilesInInputOrder) {
  Batch batch("test", 20, true);
  std::vector<std::size_t> taken;
  EXPECT_EQ(batch.run(2, {}, slow_square, [&](std::size_t i, int) { taken.push_back(i); }), 20u);
  ASSERT_EQ(taken.size(), 20u);
  for (std::size_t i = 0; i < 20; ++i) EXPECT_EQ(taken[i], i);
}

TEST(Batch, ShardsPartitionTheFilesByAStableHash) {
  // FNV-1a 64 of "a" (the published test vector): the shard of "a" is fixed on every machine.
  constexpr std::uint64_t kFnvOfA = 0xaf63dc4c8601ec8cULL;
  for (unsigned n : {1u, 2u, 7u, 10u})
    for (unsigned k = 1; k <= n; ++k)
      EXPECT_EQ(select_shard({"a"}, std::to_string(k) + "/" + std::to_string(n)).size(), kFnvOfA % n == k - 1 ? 1u : 0u)
          << k << "/" << n;
  std::vector<fs::path> files;
  for (int i = 0; i < 100; ++i) files.push_back("dir/" + std::to_string(i) + ".wav");
  std::vector<fs::path> together;
  for (unsigned k = 1; k <= 3; ++k) {
    const auto shard = select_shard(files, std::to_string(k) + "/3");
    EXPECT_TRUE(std::is_sorted(shard.begin(), shard.end(), [](const fs::path& a, const fs::path& b) {
      return std::stoi(a.stem().string()) < std::stoi(b.stem().string());
    }));  // input order kept
    together.insert(together.end(), shard.begin(), shard.end());
  }
  std::sort(together.begin(), together.end());
  std::vector<fs::path> all = files;
  std::sort(all.begin(), all.end());
  EXPECT_EQ(together, all);  // every file in exactly one shard
  for (const char* bad : {"0/3", "4/3", "1/0", "1/2x", "1", ""})
    EXPECT_THROW(select_shard(files, bad), InvalidInput) << bad;
}

TEST(Batch, ResumeCutsAPartialRowAndDropsTheFilesWritten) {
  const fs::path out = testing::temp_dir() / "resume.csv";
  std::ofstream(out, std::ios::binary) << "path\na.wav\nb.wav\nc.w";
  std::vector<fs::path> files{"a.wav", "b.wav", "c.wav", "d.wav"};
  std::string seen;
  const std::string rows = resume_output(
      out.string(),
      [&](const std::string& text) {
        seen = text;
        return std::set<std::string>{"a.wav", "b.wav"};
      },
      files);
  EXPECT_EQ(rows, "path\na.wav\nb.wav\n");
  EXPECT_EQ(seen, rows);
  EXPECT_EQ(fs::file_size(out), rows.size());
  EXPECT_EQ(files, (std::vector<fs::path>{"c.wav", "d.wav"}));
  fs::remove(out);
  EXPECT_EQ(resume_output(out.string(), [](const std::string&) { return std::set<std::string>{}; }, files), "");
  EXPECT_EQ(files.size(), 2u);
}

}  // namespace
}  // namespace cqtcnn::cli
