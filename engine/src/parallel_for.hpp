// SPDX-License-Identifier: Apache-2.0
#pragma once
// A parallel loop over independent tasks (runs, evaluations): the first
// exception stops the other workers and is rethrown to the caller.
#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace cordon::engine {

// Runs `fn(i)` for i in [0, n) on `threads` threads.
template <typename Fn>
inline void ParallelFor(int n, int threads, Fn&& fn) {
  std::atomic<int> next{0};
  std::exception_ptr failure;
  std::mutex m;
  auto worker = [&] {
    for (int i = next++; i < n; i = next++) {
      try {
        fn(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(m);
        if (!failure) failure = std::current_exception();
        next = n;
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < std::min(threads, n); ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace cordon::engine
