// SPDX-License-Identifier: Apache-2.0
#include "progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace cordon::cli {

ProgressPrinter::ProgressPrinter(bool quiet, const char* unit)
    : quiet_(quiet),
      tty_(::isatty(STDERR_FILENO) != 0),
      unit_(unit),
      start_(std::chrono::steady_clock::now()) {}

void ProgressPrinter::operator()(long long finished, long long total) {
  if (quiet_ || total <= 1) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (resumed_ && !seen_) first_ = finished - 1;  // work found done does not count in the rate
  seen_ = true;
  const int percent = static_cast<int>(finished * 100 / total);
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const long long fresh = finished - first_;
  const double rate = elapsed > 0 && fresh > 0 ? fresh / elapsed : 0.0;
  const double eta = rate > 0 ? (total - finished) / rate : 0.0;
  if (tty_) {
    const int width = 30, filled = static_cast<int>(width * finished / total);
    std::fprintf(stderr, "\r[%.*s%*s] %lld/%lld %s  %.1f/s  ETA %.0f s   ", filled,
                 "##############################", width - filled, "", finished, total, unit_, rate,
                 eta);
    if (finished == total) std::fputc('\n', stderr);
  } else if (percent / 10 > last_decile_) {
    last_decile_ = percent / 10;
    std::fprintf(stderr, "%d%% (%lld/%lld %s, %.1f/s, ETA %.0f s)\n", percent, finished, total,
                 unit_, rate, eta);
  }
}

void PrintOutputs(const std::string& dir, const std::vector<std::string>& files) {
  std::string list;
  for (const auto& f : files) list += (list.empty() ? "" : ",") + f;
  std::printf("outputs             %s/{%s}\n", dir.c_str(), list.c_str());
}

}  // namespace cordon::cli
