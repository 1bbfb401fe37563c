// SPDX-License-Identifier: Apache-2.0
#pragma once
/// `cordon compare`: runs several scenarios (ensembles where stochastic) and
/// puts their outcomes side by side: what each model reports (attack rate,
/// peak, beds against capacity, villages reached, every named flow's total
/// and peak: engine/metrics.hpp), arrival days at named villages and
/// checkpoint staff-days, each with its 90% interval over runs and its
/// difference to the first scenario. Scenarios may run different models.

#include <functional>
#include <string>
#include <vector>

#include "cordon/base/progress.hpp"

namespace cordon::batch {

struct CompareConfig {
  std::vector<std::string> scenarios;  ///< scenario YAML files; the first is the reference
  /// Names in tables and charts, one per scenario (empty: each scenario's `name`, made
  /// unique with its file name where two share one).
  std::vector<std::string> labels;
  std::string out_dir;
  std::vector<std::string> villages;   ///< village ids whose arrival day is reported
  std::vector<std::string> overrides;  ///< --set for every scenario
  int threads = 0;                     ///< 0 = the default count (cordon/base/threads.hpp)
};

/// A daily curve of one scenario: persons (per day for flows), mean over runs.
struct OutcomeCurve {
  std::string name;   ///< "infected", "hospital", or a flow's name
  std::string label;  ///< what it counts, for chart titles ("infected (E, I)")
  std::vector<double> y;
};

/// One scenario's outcome.
struct ScenarioOutcome {
  std::string name;  ///< the label in tables and charts (CompareConfig::labels)
  std::string file;
  std::string model;  ///< the model's name
  int runs = 1;
  double beds = 0.0;        ///< persons; infinity = unlimited
  double staff_days = 0.0;  ///< checkpoint staff x days (the table adds tracing's per run)
  /// Rows of the table, in order: name, then mean, q05, q95 over runs. Only the metrics
  /// the scenario's model reports (engine/metrics.hpp), beds, staff days, arrival days.
  std::vector<std::string> metric;
  std::vector<double> mean, q05, q95;
  /// Curves: "infected" (compartments marked infected) and "hospital" when the model has
  /// them, then each output flow per day.
  std::vector<OutcomeCurve> curves;
  /// The curve named `name`, or nullptr.
  const OutcomeCurve* Curve(const std::string& name) const;
};

struct CompareReport {
  std::vector<ScenarioOutcome> outcomes;
  std::vector<std::string> outputs;  ///< files written in out_dir
};

/// Runs and writes compare.csv and compare.md: a row per metric any scenario's model reports
/// (empty / "n/a" for a scenario whose model does not). Throws InputError for a bad
/// scenario, an unknown village id (naming the scenario file) or a wrong count of labels.
/// `progress` gets (runs done, runs in all scenarios).
CompareReport RunCompare(const CompareConfig& config, const Progress& progress = {});

}  // namespace cordon::batch
