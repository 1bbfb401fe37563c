// SPDX-License-Identifier: Apache-2.0
#pragma once
/// `cordon optimize`: which k checkpoint sites, for this many staff, do the
/// most good? Candidate sites (a point layer, or every road crossing of an
/// admin level's boundaries) are ranked by the traffic they intercept, then
/// chosen greedily with lazy re-evaluation (CELF) on deterministic runs; the
/// chosen set and its runners-up are checked by stochastic ensembles and
/// compared with the naive placements (border sites only; the busiest roads).

#include <functional>
#include <string>
#include <vector>

#include "cordon/base/progress.hpp"

namespace cordon::batch {

struct OptimizeConfig {
  std::string scenario;                ///< base scenario (its own checkpoints stay as they are)
  std::vector<std::string> overrides;  ///< --set
  std::string sites;                   ///< "cordon:LEVEL" or a point layer path
  std::string sites_layer;             ///< layer of `sites` ("" = the first)
  int budget = 5;                      ///< k sites at most
  double staff_budget = 0.0;           ///< persons per day at most over chosen sites (0 = no limit)
  /// What the sites should lower: a metric of the scenario's model (engine/metrics.hpp:
  /// attack_rate, peak_H, deaths_total, ...), or "arrival" to delay the arrival at `protect`.
  std::string objective = "attack_rate";
  std::vector<std::string> protect;  ///< village ids for the "arrival" objective
  double block = 0.5, screen = 0.5, isolate = 0.0,
         staff = 3.0;  ///< a site's settings (layer fields win)
  double start = 0.0;  ///< day the chosen sites open
  int shortlist = 40;  ///< candidates evaluated, the busiest first (0 = all)
  int runs = 20;       ///< stochastic runs checking the final sets
  int threads = 0;     ///< 0 = the default count (cordon/base/threads.hpp)
  std::string out_dir;
};

/// One placement and how it did.
struct Placement {
  std::string name;        ///< greedy | runner-up-N | border-only | busiest-roads | none
  std::vector<int> sites;  ///< candidate indices
  double staff_per_day = 0.0;
  double objective = 0.0;                   ///< deterministic run
  double mean = 0.0, q05 = 0.0, q95 = 0.0;  ///< stochastic ensemble (NaN when not run)
};

struct OptimizeReport {
  std::vector<std::string> candidate_ids;
  std::vector<double> candidate_flow;  ///< trips per day intercepted
  std::vector<int> chosen;             ///< in the order chosen
  std::vector<double> gain;            ///< objective improvement of each choice
  std::vector<double> curve;           ///< objective after k = 0..chosen.size() sites
  std::vector<Placement> placements;
  std::string objective_name;
  bool minimize = true;
  int evaluations = 0;  ///< deterministic runs made
  std::vector<std::string> outputs;
};

/// Runs the optimization and writes sites.csv, sites.gpkg, curve.csv,
/// placements.csv and placements.md. Throws InputError for a bad scenario,
/// an unknown protected village, or a budget larger than the candidate count.
/// `progress` gets (evaluations done, expected at most).
OptimizeReport RunOptimize(const OptimizeConfig& config, const Progress& progress = {});

}  // namespace cordon::batch
