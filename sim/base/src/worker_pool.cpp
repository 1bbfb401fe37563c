// SPDX-License-Identifier: Apache-2.0
#include "cordon/base/worker_pool.hpp"

#include <algorithm>
#include <utility>

namespace cordon {

WorkerPool::WorkerPool(int threads) {
  for (int t = 1; t < std::max(1, threads); ++t) workers_.emplace_back([this] { WorkerLoop(); });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  for (auto& w : workers_) w.join();
}

namespace {

// Spins until done() or about kSpin pauses have passed; true when done() held.
template <typename Done>
bool SpinUntil(Done&& done) {
  constexpr int kSpin = 1 << 12;  // ~0.1 ms (110 us on the AMD EPYC here)
  for (int i = 0; i < kSpin; ++i) {
    if (done()) return true;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }
  return done();
}

}  // namespace

void WorkerPool::Drain() {
  for (int i = next_++; i < items_; i = next_++) {
    try {
      call_(context_, i);
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!failure_) failure_ = std::current_exception();
      next_ = items_;
    }
  }
}

void WorkerPool::RunErased(int n, Call call, void* context) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    call_ = call;
    context_ = context;
    items_ = n;
    next_ = 0;
    busy_ = static_cast<int>(workers_.size());
    failure_ = nullptr;
    ++generation_;
  }
  // A worker that counted itself asleep did so under mutex_ before it waited, so it is
  // either counted here or sees the new generation when it checks.
  if (sleeping_ > 0) wake_.notify_all();
  Drain();
  if (!SpinUntil([this] { return busy_ == 0; })) {
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return busy_ == 0; });
  }
  std::lock_guard<std::mutex> lock(mutex_);  // failure_ is written under it
  if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
}

void WorkerPool::WorkerLoop() {
  std::uint64_t seen = 0;
  for (;;) {
    if (!SpinUntil([&] { return stop_ || generation_ != seen; })) {
      std::unique_lock<std::mutex> lock(mutex_);
      ++sleeping_;
      wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
      --sleeping_;
    }
    if (stop_) return;
    seen = generation_;
    Drain();
    if (--busy_ == 0) {
      std::lock_guard<std::mutex> lock(mutex_);  // Run waits for this under mutex_
      done_.notify_one();
    }
  }
}

}  // namespace cordon
