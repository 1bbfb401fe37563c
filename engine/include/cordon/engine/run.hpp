// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The one entry point of `cordon run`: load a scenario, build the model,
/// run it (an ensemble when stochastic) and write the outputs of SCENARIO.md.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cordon/engine/geography.hpp"
#include "cordon/engine/scenario.hpp"
#include "cordon/sim/ensemble.hpp"

namespace cordon::engine {

/// What to run and where to write. Plain aggregate; defaults are what the CLI uses.
struct RunConfig {
  std::string scenario;                ///< scenario YAML path
  std::string out_dir;                 ///< created if missing
  std::vector<std::string> overrides;  ///< "key.path=value" (--set)
  int threads = 0;                     ///< ensemble threads; 0 = all hardware threads
  /// Told the stages of building a network from layers; may be empty.
  std::function<void(const std::string& stage)> on_stage;
};

/// What a finished run reports back to its caller.
struct RunReport {
  std::string name;
  std::string out_dir;
  int runs = 1;
  bool stochastic = false;
  sim::Summary summary;  ///< of the mean series; days over capacity: mean over runs
  std::vector<sim::Summary> run_summaries;  ///< one per run (stochastic ensembles)
  double beds = 0.0;                        ///< persons; infinity when unlimited
  double population = 0.0;                  ///< persons at t = 0
  double turned_back = 0.0;                 ///< persons over the run
  double runtime_s = 0.0;                   ///< wall-clock seconds of the simulation
  double build_s = 0.0;                     ///< wall-clock seconds to build the network
  int patches = 0, checkpoints = 0, gates = 0;
  long long routes = 0;               ///< OD pairs with trips
  std::vector<std::string> warnings;  ///< repairs and odd data, one line each
  std::vector<std::string> outputs;   ///< files written, in DIR
};

/// Called as runs finish: (finished runs, total runs).
using ProgressCallback = std::function<void(int finished, int total)>;

/// The model of a loaded scenario, from its tables or its layers; with
/// layers, `geography` (when given) receives what outputs need of them.
/// Throws InputError / data::GisInputError naming the file and key.
sim::Model BuildScenarioModel(const Scenario& scenario, int threads,
                              std::optional<Geography>* geography = nullptr,
                              const StageCallback& on_stage = {});

/// Loads, runs and writes. Throws InputError for a bad scenario or table,
/// cordon::Error for an output that cannot be written.
RunReport RunScenario(const RunConfig& config, const ProgressCallback& progress = {});

/// A run kept in memory for drawing (viewer, `cordon render`): the
/// scenario, its geography, network and ensemble result with every
/// village's compartments every day (EnsembleResult::patch_daily).
struct DisplayRun {
  Scenario scenario;
  std::optional<Geography> geography;  ///< empty for network-only scenarios
  sim::Network network;
  double beds = 0.0;  ///< persons; infinity when unlimited
  sim::EnsembleResult result;
};

/// Loads and runs a scenario for display. Throws like RunScenario.
DisplayRun RunForDisplay(const RunConfig& config, const ProgressCallback& progress = {});
/// The same for a scenario already loaded (and perhaps edited, as the viewer does).
DisplayRun RunForDisplay(Scenario scenario, int threads, const ProgressCallback& progress = {});

/// A finished run read back from its output folder (results.gpkg with its
/// `daily` table, summary.json) for display, without running anything. Roads
/// are not part of the outputs, so the map has none. Throws InputError naming
/// the file when the folder lacks results.gpkg or its daily table.
DisplayRun LoadResultsFolder(const std::string& dir);

/// "YYYY-MM-DD" of `start_date` + `day` days ("" when start_date is empty).
std::string DateAfter(const std::string& start_date, int day);

/// The cordon version string ("0.1.0").
const char* Version();

}  // namespace cordon::engine
