// SPDX-License-Identifier: Apache-2.0
#pragma once
/// A fixed set of threads kept alive for the length of one run, for loops
/// too short to pay for starting threads each time (a model evaluates its
/// rates 16 times per simulated day, in a few passes each). ParallelFor
/// (threads.hpp) stays the tool for long independent work items.
///
/// Run(n, fn) calls fn(i) for every i in [0, n), items handed out in order,
/// and returns when all are done. Which thread runs an item is not fixed, so
/// fn(i) must write only what item i owns; results then do not depend on the
/// thread count.
///
/// Waiting: a model's stage is a few Runs of a few milliseconds each, back to back,
/// so workers (and Run, for the last item) spin for about a tenth of a millisecond before
/// they sleep on a condition variable: waking a sleeping thread costs about as much.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace cordon {

class WorkerPool {
 public:
  /// Starts threads - 1 workers (the caller of Run is the last one); threads < 1 counts as 1.
  explicit WorkerPool(int threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  /// Threads that work on a Run, the caller's included.
  int Threads() const { return static_cast<int>(workers_.size()) + 1; }

  /// fn(i) for i in [0, n); blocks until all are done. The first exception an item
  /// throws stops the items not yet started and is rethrown here. Not reentrant.
  template <typename Fn>
  void Run(int n, Fn&& fn) {
    if (n <= 1 || workers_.empty()) {
      for (int i = 0; i < n; ++i) fn(i);
      return;
    }
    using F = std::remove_reference_t<Fn>;
    RunErased(
        n, [](void* f, int i) { (*static_cast<F*>(f))(i); }, &fn);
  }

 private:
  using Call = void (*)(void*, int);
  void RunErased(int n, Call call, void* context);
  void Drain();
  void WorkerLoop();

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  /// Bumped by every Run (under mutex_); workers wait for a change.
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<bool> stop_{false};
  std::atomic<int> busy_{0};      ///< workers still in the current Run
  std::atomic<int> sleeping_{0};  ///< workers asleep on wake_ (counted under mutex_)
  Call call_ = nullptr;
  void* context_ = nullptr;
  int items_ = 0;
  std::atomic<int> next_{0};
  std::exception_ptr failure_;
};

}  // namespace cordon
