// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The numbers a run is judged by, in one place for sweeps, comparisons and
/// optimization: attack rate, peak, hospital load, villages reached,
/// travellers turned back, and arrival days at named villages.

#include <string>
#include <vector>

#include "cordon/sim/model.hpp"
#include "cordon/sim/network.hpp"
#include "cordon/sim/simulation.hpp"

namespace cordon::engine {

/// Names of the values of RunMetrics::values, in order.
const std::vector<std::string>& MetricNames();

/// Index of metric `name` in MetricNames(), or -1.
int MetricIndex(const std::string& name);

/// One run's metrics.
struct RunMetrics {
  std::vector<double> values;   ///< per MetricNames()
  std::vector<double> arrival;  ///< first day with >= 1 infected, per named patch; NaN = never
};

/// Measures a run. `named` are patch indices whose arrival day is wanted.
RunMetrics MeasureRun(const sim::Model& model, const sim::RunResult& result,
                      const std::vector<int>& named = {});

/// Checkpoint staff-days (persons x days) over days [0, days]: each
/// checkpoint's staff times the part of its active window inside the run.
double StaffDays(const sim::Network& network, int days);

}  // namespace cordon::engine
