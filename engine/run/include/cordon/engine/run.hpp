// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The one entry point of `cordon run`: load a scenario, build the model,
/// run it (an ensemble when stochastic) and write the outputs of docs/scenario.md.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cordon/engine/run_report.hpp"

namespace cordon::engine {

/// Every village's daily values held in memory instead of daily.csv (RunConfig::daily):
/// day d's column c of village i at values[(d * columns.size() + c) * ids.size() + i],
/// days 0 .. days (day 0: the initial state), the layout sim::PatchDayCallback hands over.
struct DailyValues {
  std::vector<std::string> columns;  ///< sim::PatchColumns: states (persons), flows per day
  std::vector<std::string> ids;      ///< village ids, the network's order
  std::string start_date;            ///< the scenario's, "" without one
  int days = 0;                      ///< simulation.days (days + 1 rows)
  /// (days + 1) x columns x villages doubles; left uninitialised until each day is copied
  /// in (a vector would write the whole buffer twice: 1.2 GB for 1e5 villages).
  std::unique_ptr<double[]> values;
};

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
  /// Whether a network run writes daily.csv (simulation.daily; with `daily` set the caller
  /// may do without). results.gpkg of a GIS run always gets them.
  bool daily_csv = true;
};

/// Called as runs finish: (finished runs, total runs).
using ProgressCallback = std::function<void(int finished, int total)>;

/// Loads, runs and writes. Throws InputError for a bad scenario or table,
/// cordon::Error for an output that cannot be written.
RunReport RunScenario(const RunConfig& config, const ProgressCallback& progress = {});

}  // namespace cordon::engine
