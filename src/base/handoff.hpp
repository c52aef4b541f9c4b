// A bounded queue from one producing thread to one consuming thread: put() waits while it is
// full, take() while it is empty. Either side can end it: close() (the producer is done; take()
// returns what is left, then nothing) or fail() (the consumer cannot go on; put() throws its
// exception so the producer stops). Spent items can come back (give_back(), reused()), so that
// buffers go round instead of being allocated, and their pages faulted in, for every block.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

namespace cqtcnn {

template <typename T>
class Handoff {
 public:
  explicit Handoff(std::size_t capacity) : capacity_(capacity) {}

  void put(T item) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return error_ || items_.size() < capacity_; });
    if (error_) std::rethrow_exception(error_);
    items_.push_back(std::move(item));
    lock.unlock();
    changed_.notify_all();
  }

  std::optional<T> take() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return closed_ || !items_.empty(); });
    if (items_.empty()) return std::nullopt;
    T item = std::move(items_.front());
    items_.pop_front();
    lock.unlock();
    changed_.notify_all();
    return item;
  }

  // The consumer is done with an item: the producer may fill it again.
  void give_back(T item) {
    std::lock_guard lock(mutex_);
    if (spent_.size() < capacity_) spent_.push_back(std::move(item));
  }
  // A spent item if there is one (its contents are the caller's to clear), otherwise a new one.
  T reused() {
    std::lock_guard lock(mutex_);
    if (spent_.empty()) return T{};
    T item = std::move(spent_.back());
    spent_.pop_back();
    return item;
  }

  void close() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    changed_.notify_all();
  }

  // The exception fail() was given, if any, thrown here: for the producer once both sides ended.
  void rethrow() {
    std::lock_guard lock(mutex_);
    if (error_) std::rethrow_exception(error_);
  }

  void fail(std::exception_ptr error) {
    {
      std::lock_guard lock(mutex_);
      error_ = error;
      closed_ = true;
      items_.clear();
    }
    changed_.notify_all();
  }

 private:
  std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<T> items_;
  std::vector<T> spent_;
  bool closed_ = false;
  std::exception_ptr error_;
};

}  // namespace cqtcnn
