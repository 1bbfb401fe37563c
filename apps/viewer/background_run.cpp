// SPDX-License-Identifier: Apache-2.0
#include "viewer/background_run.hpp"

#include <algorithm>
#include <filesystem>

namespace cordon::viewer {

BackgroundRun::~BackgroundRun() {
  if (thread_.joinable()) thread_.join();
}

bool BackgroundRun::Open(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return Launch([path] { return engine::LoadResultsFolder(path); });
  return Launch([this, path] {
    return engine::RunForDisplay(scenario::LoadScenario(path), 0, ProgressSetter());
  });
}

bool BackgroundRun::RunScenario(scenario::Scenario scenario) {
  // The worker gets its own copy: nothing it reads changes under it.
  return Launch([this, scenario = std::move(scenario)] {
    return engine::RunForDisplay(scenario, 0, ProgressSetter());
  });
}

cordon::Progress BackgroundRun::ProgressSetter() {
  return [this](long long done, long long total) {
    progress_ = float(done) / float(std::max(total, 1LL));
  };
}

bool BackgroundRun::Launch(std::function<engine::DisplayRun()> work) {
  if (running_) return false;
  // The previous worker has finished its work; collect the thread.
  if (thread_.joinable()) thread_.join();
  running_ = true;
  progress_ = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    error_.clear();
  }
  thread_ = std::thread([this, work] {
    try {
      auto run = std::make_unique<engine::DisplayRun>(work());
      std::lock_guard<std::mutex> lock(mutex_);
      result_ = std::move(run);
    } catch (const std::exception& e) {
      std::lock_guard<std::mutex> lock(mutex_);
      error_ = e.what();
    }
    running_ = false;
  });
  return true;
}

std::unique_ptr<engine::DisplayRun> BackgroundRun::Take() {
  std::lock_guard<std::mutex> lock(mutex_);
  return std::move(result_);
}

std::string BackgroundRun::Error() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return error_;
}

}  // namespace cordon::viewer
