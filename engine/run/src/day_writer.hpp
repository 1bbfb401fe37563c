// SPDX-License-Identifier: Apache-2.0
#pragma once
// A day's per-village values written on a thread of their own, so the run goes on with the
// next day while a file takes this one (inserting 1e5 rows into a GeoPackage takes about
// as long as simulating the day).

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace cordon::engine {

class DayWriter {
 public:
  /// `write(day, values)` runs on the writer's thread, in day order; values hold
  /// `day_size` doubles. At most `queued` days wait (each a copy of day_size doubles).
  DayWriter(std::size_t day_size, std::function<void(int, const double*)> write,
            std::size_t queued = 2);
  /// Stops the thread; days still queued are dropped (the run failed).
  ~DayWriter();
  DayWriter(const DayWriter&) = delete;
  DayWriter& operator=(const DayWriter&) = delete;

  /// Queues a copy of `values`; waits while `queued` days wait. Rethrows the writer's
  /// failure (the first), so the run stops at its next day.
  void Add(int day, const double* values);
  /// Waits until every queued day is written. Rethrows the writer's failure.
  void Finish();

 private:
  struct Day {
    int day;
    std::vector<double> values;
  };
  void Loop();
  void RethrowFailure();

  std::size_t day_size_, queued_;
  std::function<void(int, const double*)> write_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Day> days_;
  std::vector<std::vector<double>> spare_;  ///< buffers of written days, reused
  bool writing_ = false, stop_ = false;
  std::exception_ptr failure_;
  std::thread thread_;
};

}  // namespace cordon::engine
