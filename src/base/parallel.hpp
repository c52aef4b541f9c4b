// Runs work(i) for i in [0, n) on `threads` threads, each taking the next index as it becomes
// free (files differ in length, so a static split would leave threads idle).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
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

}  // namespace cqtcnn
