// SPDX-License-Identifier: Apache-2.0
#pragma once
// What `cordon` prints while it works and when it is done: a progress bar
// (rate and ETA) on a terminal's stderr, a line per 10% elsewhere, and the
// list of files written.
#include <chrono>
#include <mutex>
#include <string>
#include <vector>

namespace cordon::cli {

/// Progress on stderr: a bar with rate and ETA on a terminal, a line per 10%
/// otherwise. Safe to call from worker threads.
class ProgressPrinter {
 public:
  /// `unit` names the items ("runs", "rows"); `quiet` prints nothing.
  ProgressPrinter(bool quiet, const char* unit);

  /// `finished` of `total` items (runs, rows, evaluations) are done.
  void operator()(long long finished, long long total);
  /// The first report's count, less one, was done before this process
  /// started (resumed rows): it does not count in the rate.
  void CountFromFirstReport() { resumed_ = true; }

 private:
  bool quiet_, tty_;
  const char* unit_;
  std::chrono::steady_clock::time_point start_;
  long long first_ = 0;
  bool resumed_ = false, seen_ = false;
  int last_decile_ = 0;
  std::mutex mutex_;
};

/// "outputs   DIR/{a,b,c}": the files a command wrote.
void PrintOutputs(const std::string& dir, const std::vector<std::string>& files);

}  // namespace cordon::cli
