// SPDX-License-Identifier: Apache-2.0
#pragma once
/// One scenario run (or one results folder read) on a worker thread, so that
/// the viewer keeps drawing meanwhile. The UI thread starts it, polls
/// Running() / Progress() and takes the finished run or its error.
/// One run at a time: a start while one is in flight is ignored.

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "cordon/base/progress.hpp"
#include "cordon/engine/dates.hpp"
#include "cordon/engine/display_run.hpp"
#include "cordon/engine/results_reader.hpp"

namespace cordon::viewer {

/// The worker: owns its thread and joins it on destruction. Used from one (UI) thread.
class BackgroundRun {
 public:
  BackgroundRun() = default;
  BackgroundRun(const BackgroundRun&) = delete;
  BackgroundRun& operator=(const BackgroundRun&) = delete;
  /// Waits for a run in flight to finish.
  ~BackgroundRun();

  /// A folder is read as the outputs of an earlier run (LoadResultsFolder); a
  /// file is loaded and run as a scenario. Returns false (and does nothing) while running.
  bool Open(const std::string& path);
  /// Runs `scenario`, a value the worker owns: made on the caller's thread, it
  /// shares nothing with the caller's state. Returns false (and does nothing) while running.
  bool RunScenario(scenario::Scenario scenario);

  /// Whether a run is in flight.
  bool Running() const { return running_; }
  /// Share of the ensemble's runs finished, 0..1.
  float Progress() const { return progress_; }
  /// The finished run, once (null before it finishes, after a failure, and after the first call).
  std::unique_ptr<engine::DisplayRun> Take();
  /// The last run's error message ("" when none); kept until the next start.
  std::string Error() const;

 private:
  // Runs `work` on the worker thread and keeps its result or error.
  bool Launch(std::function<engine::DisplayRun()> work);
  // Stores the ensemble's progress for Progress().
  cordon::Progress ProgressSetter();

  std::thread thread_;
  std::atomic<bool> running_{false};
  std::atomic<float> progress_{0};
  mutable std::mutex mutex_;  // guards result_ and error_
  std::unique_ptr<engine::DisplayRun> result_;
  std::string error_;
};

}  // namespace cordon::viewer
