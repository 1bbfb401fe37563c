// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The one entry point of `cordon run`: load a scenario, build the model,
/// run it (an ensemble when stochastic) and write the outputs of docs/scenario.md.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cordon/base/progress.hpp"
#include "cordon/engine/daily_file.hpp"
#include "cordon/engine/run_report.hpp"

namespace cordon::engine {

/// What to run and where to write. Plain aggregate; defaults are what the CLI uses.
struct RunConfig {
  std::string scenario;                ///< scenario YAML path
  std::string out_dir;                 ///< created if missing
  std::vector<std::string> overrides;  ///< "key.path=value" (--set)
  int threads = 0;                     ///< 0 = the default count (cordon/base/threads.hpp)
  /// Told the stages of building a network from layers; may be empty.
  std::function<void(const std::string& stage)> on_stage;
  /// Told each simulated day of a single run (deterministic): (day, days); may be empty.
  std::function<void(int day, int days)> on_day;
  /// When set and the scenario keeps daily values (simulation.daily), they are also filled
  /// in here.
  DailyValues* daily = nullptr;
  /// Whether the run writes its daily file (daily.nc or daily.csv, as simulation.daily
  /// says) when `daily` is set too: the caller may do without. results.gpkg's `daily`
  /// table of a GIS run is always written.
  bool daily_file = true;
};

/// Loads, runs and writes; `progress` gets (finished runs, total runs). Throws InputError
/// for a bad scenario or table, cordon::Error for an output that cannot be written.
RunReport RunScenario(const RunConfig& config, const Progress& progress = {});

}  // namespace cordon::engine
