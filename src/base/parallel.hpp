// Runs work(i) for i in [0, n) on `threads` threads, each taking the next index as it becomes
// free (files differ in length, so a static split would leave threads idle); and, for batches
// whose results must come out in input order, parallel_in_order: the one place that holds a
// finished result until every one before it is out.
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <vector>

namespace cqtcnn {

template <typename Work>
void parallel_for(std::size_t n, int threads, Work&& work) {
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < n;) work(i);
  };
  const auto count = std::size_t(std::max(1, threads));
  std::vector<std::jthread> pool;
  for (std::size_t t = 1; t < std::min(count, n); ++t) pool.emplace_back(worker);
  worker();
}

inline int default_threads() { return int(std::max(1u, std::thread::hardware_concurrency())); }

// How parallel_in_order runs a batch.
struct InOrder {
  int threads = 1;
  // A worker starts item i only while i < (items taken) + ahead, so that the results waiting to
  // be taken are those of a few items, not of all (0: no limit).
  std::size_t ahead = 0;
  // Asked before and after each item's work; once it says true (it must stay true: Ctrl-C, a
  // closed output), no item is started or taken any more, so nothing cut short is taken as if
  // whole.
  std::function<bool()> stop = {};
  // Called after each item's result is in (and what could be taken is), with the count of items
  // finished so far: a progress display.
  std::function<void(std::size_t finished)> finished = {};
};

// Runs work(i) for i in [0, n) as parallel_for does, and take(i, result) in input order, one at a
// time, as soon as result i and every one before it are in. Returns the number of items taken:
// n, unless how.stop ended the batch. An exception from take ends the batch too, and is rethrown
// here once every worker has ended.
template <typename Work, typename Take>
std::size_t parallel_in_order(std::size_t n, const InOrder& how, Work&& work, Take&& take) {
  using Result = std::invoke_result_t<Work&, std::size_t>;
  std::vector<std::optional<Result>> waiting(n);
  std::size_t next = 0, finished = 0;
  bool ended = false;  // stopped, or take threw
  std::exception_ptr error;
  std::mutex mutex;
  std::condition_variable moved;  // `next` advanced, or the batch ended
  const auto stopped = [&] { return how.stop && how.stop(); };
  const auto end = [&] {
    ended = true;
    moved.notify_all();
  };
  parallel_for(n, how.threads, [&](std::size_t i) {
    {
      std::unique_lock lock(mutex);
      moved.wait(lock, [&] { return ended || how.ahead == 0 || i < next + how.ahead; });
      if (ended) return;
    }
    std::optional<Result> result;
    if (!stopped()) result.emplace(work(i));
    std::lock_guard lock(mutex);
    if (ended) return;
    if (!result || stopped()) return end();  // its result may be cut short: it is not taken
    waiting[i] = std::move(result);
    try {
      for (; next < n && waiting[next]; ++next) {
        take(next, std::move(*waiting[next]));
        waiting[next].reset();
      }
    } catch (...) {
      error = std::current_exception();
      return end();
    }
    if (how.finished) how.finished(++finished);
    moved.notify_all();
  });
  if (error) std::rethrow_exception(error);
  return next;
}

}  // namespace cqtcnn
