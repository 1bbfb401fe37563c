// SPDX-License-Identifier: Apache-2.0
#include "day_writer.hpp"

#include <algorithm>

namespace cordon::engine {

DayWriter::DayWriter(std::size_t day_size, std::function<void(int, const double*)> write,
                     std::size_t queued)
    : day_size_(day_size), queued_(std::max<std::size_t>(queued, 1)), write_(std::move(write)) {
  thread_ = std::thread([this] { Loop(); });
}

DayWriter::~DayWriter() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
    days_.clear();
  }
  changed_.notify_all();
  thread_.join();
}

void DayWriter::RethrowFailure() {
  if (failure_) std::rethrow_exception(failure_);
}

void DayWriter::Add(int day, const double* values) {
  std::vector<double> copy;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return failure_ || days_.size() < queued_; });
    RethrowFailure();
    if (!spare_.empty()) {
      copy = std::move(spare_.back());
      spare_.pop_back();
    }
  }
  copy.assign(values, values + day_size_);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    days_.push_back({day, std::move(copy)});
  }
  changed_.notify_all();
}

void DayWriter::Finish() {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [&] { return failure_ || (days_.empty() && !writing_); });
  RethrowFailure();
}

void DayWriter::Loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return stop_ || !days_.empty(); });
    if (stop_) return;
    Day next = std::move(days_.front());
    days_.pop_front();
    writing_ = true;
    lock.unlock();
    std::exception_ptr failure;
    try {
      write_(next.day, next.values.data());
    } catch (...) {
      failure = std::current_exception();
    }
    lock.lock();
    writing_ = false;
    spare_.push_back(std::move(next.values));
    if (failure && !failure_) failure_ = failure;
    changed_.notify_all();
    if (failure_) return;
  }
}

}  // namespace cordon::engine
