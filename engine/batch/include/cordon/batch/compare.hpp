// SPDX-License-Identifier: Apache-2.0
#pragma once
/// `cordon compare`: runs several scenarios (ensembles where stochastic) and
/// puts their outcomes side by side: attack rate, peak, beds against
/// capacity, villages reached, arrival days at named villages, travellers
/// turned back and checkpoint staff-days, each with its 90% interval over
/// runs and its difference to the first scenario.

#include <functional>
#include <string>
#include <vector>

namespace cordon::engine {

struct CompareConfig {
  std::vector<std::string> scenarios;  ///< scenario YAML files; the first is the reference
  std::string out_dir;
  std::vector<std::string> villages;   ///< village ids whose arrival day is reported
  std::vector<std::string> overrides;  ///< --set for every scenario
  int threads = 0;                     ///< 0 = the default count (cordon/base/threads.hpp)
};

/// One scenario's outcome.
struct ScenarioOutcome {
  std::string name;
  std::string file;
  int runs = 1;
  double beds = 0.0;        ///< persons; infinity = unlimited
  double staff_days = 0.0;  ///< checkpoint staff x days
  /// Rows of the table, in order: name, then mean, q05, q95 over runs.
  std::vector<std::string> metric;
  std::vector<double> mean, q05, q95;
  std::vector<double> prevalence;  ///< E+I+Eh+Ih+Ec+Ic per day, mean over runs (persons)
  std::vector<double> hospital;    ///< H per day, mean over runs (persons)
};

struct CompareReport {
  std::vector<ScenarioOutcome> outcomes;
  std::vector<std::string> outputs;  ///< files written in out_dir
};

/// Called as runs finish: (runs done, runs in all scenarios).
using CompareProgress = std::function<void(long long done, long long total)>;

/// Runs and writes compare.csv and compare.md. Throws InputError for a bad
/// scenario or an unknown village id (naming the scenario file).
CompareReport RunCompare(const CompareConfig& config, const CompareProgress& progress = {});

}  // namespace cordon::engine
