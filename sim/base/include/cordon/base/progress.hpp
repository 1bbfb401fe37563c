// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The one progress callback of long work (runs, ensembles, sweeps, compare, optimize,
/// calibrate).

#include <functional>
#include <mutex>

namespace cordon {

/// Called as work finishes: `done` of `total` units (runs, sweep rows, evaluations, days:
/// each tool's header says which, and from which threads it is called).
using Progress = std::function<void(long long done, long long total)>;

/// Finished units counted from many threads and reported in order: a count taken on one
/// thread and a report made after it could arrive as 1, 2, 4, 3, and a caller that shows
/// the last report would end on 3 of 4.
class ProgressCounter {
 public:
  explicit ProgressCounter(long long done = 0) : done_(done) {}
  /// Counts one more unit and calls report(done) with the new count, one call at a time,
  /// in count order (an exception from report propagates, the unit counted).
  template <typename Report>
  void Tick(Report&& report) {
    std::lock_guard<std::mutex> lock(mutex_);
    report(++done_);
  }
  long long Done() {
    std::lock_guard<std::mutex> lock(mutex_);
    return done_;
  }

 private:
  std::mutex mutex_;
  long long done_;
};

}  // namespace cordon
