// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Ensembles of runs across threads, with statistics that do not depend on
/// the thread count: run r always uses random stream r, and per-village
/// results are merged in run order.

#include <Eigen/Core>
#include <functional>
#include <string>
#include <vector>

#include "cordon/base/progress.hpp"
#include "cordon/sim/simulation.hpp"

namespace cordon::sim {

/// The statistics of an ensemble (one run for deterministic mode).
struct EnsembleResult {
  std::vector<std::string> columns;               ///< of the series: Model::SeriesColumns()
  std::vector<std::string> patch_columns;         ///< of patch_daily
  std::size_t state_columns = 0;                  ///< leading patch columns that are states
  std::vector<Eigen::ArrayXXd> run_series;        ///< per run, as RunResult::series
  std::vector<std::vector<double>> run_overflow;  ///< per run, as RunResult::overflow
  std::vector<int> run_villages_infected;         ///< per run
  Eigen::ArrayXXd mean, q05, q50, q95;            ///< per day x series column, over runs
  std::vector<double> mean_overflow;              ///< persons per day, mean over runs
  Eigen::ArrayXd attack_rate;                     ///< per patch, mean over runs
  Eigen::ArrayXd infections_per_person;           ///< per patch, mean over runs
  Eigen::ArrayXXd flow_totals;                    ///< per patch x flow_columns, mean over runs
  std::vector<std::string> flow_columns;          ///< per-patch output flows (RunResult's)
  Eigen::ArrayXd peak_day;                        ///< per patch, mean over runs (days)
  Eigen::ArrayXd first_infected_day;  ///< per patch, mean over runs that reached it; NaN if < half
  Eigen::ArrayXd infected_share;      ///< per patch, share of runs that reached it
  Eigen::ArrayXXd checkpoint_totals;  ///< K x counters, mean over runs
  std::vector<double> patch_daily;    ///< as RunResult::patch_daily, mean over runs

  /// Index of series column `name`, or -1 (a column the model does not have).
  int Column(const std::string& name) const;
};

/// Runs settings.runs runs (1 when deterministic) on `threads` threads
/// (0 = the default count, cordon/base/threads.hpp). Results are bit-identical
/// for any thread count. `on_day` follows a single run day by day: (day, days).
/// `on_patch_day` receives every day's per-patch columns of the ensemble mean, in day order:
/// as a single run reaches each day, or after an ensemble (which holds one table of sums,
/// days x columns x patches doubles; no run keeps its own).
EnsembleResult RunEnsemble(const Model& model, const RunSettings& settings, int threads,
                           const Progress& on_run = {}, const Progress& on_day = {},
                           const PatchDayCallback& on_patch_day = {});

/// Quantile q in [0, 1] of `values` by linear interpolation between order
/// statistics (numpy's default). Reorders `values`.
double Quantile(std::vector<double>& values, double q);

}  // namespace cordon::sim
