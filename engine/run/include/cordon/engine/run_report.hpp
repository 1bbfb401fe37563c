// SPDX-License-Identifier: Apache-2.0
#pragma once
/// What a finished `cordon run` reports: the region summary, the network's
/// size, timings and the files written (summary.json is written from it).

#include <string>
#include <vector>

#include "cordon/base/threads.hpp"
#include "cordon/sim/simulation.hpp"

namespace cordon::engine {

/// The checkpoints of one level (county, township, ...; "" when unnamed), summed over the
/// run (mean over runs): persons.
struct LevelCounters {
  std::string level;
  int sites = 0;
  double monitored = 0.0, turned_back = 0.0, detected = 0.0;
};

struct RunReport {
  std::string name;
  std::string start_date;        ///< simulation.start_date (YYYY-MM-DD of day 0); "" without one
  std::string model = "cordon";  ///< the model's name (scenario key model:)
  std::string out_dir;
  int runs = 1;
  bool stochastic = false;
  sim::Summary summary;  ///< of the mean series; days over capacity: mean over runs
  std::vector<sim::Summary> run_summaries;  ///< one per run (stochastic ensembles)
  double beds = 0.0;                        ///< persons; infinity when unlimited
  bool has_overflow = true;                 ///< the model has an overflow flow (beds bind)
  std::string infections_flow;        ///< the flow counting infections ("" = none): attack rate
  bool reinfection = false;           ///< the model lets people be infected again
  bool first_infections = true;       ///< the attack rate counts first infections (else it is null)
  double population = 0.0;            ///< persons at t = 0
  double turned_back = 0.0;           ///< persons over the run
  int days = 0;                       ///< simulated days
  std::vector<LevelCounters> levels;  ///< per checkpoint level, in order of first site
  double runtime_s = 0.0;             ///< wall-clock seconds of the simulation
  double build_s = 0.0;               ///< wall-clock seconds to build the network
  ThreadCount threads;                ///< threads used, and where the count came from
  int patches = 0, checkpoints = 0, gates = 0;
  long long routes = 0;               ///< OD pairs with trips
  std::vector<std::string> warnings;  ///< repairs and odd data, one line each
  std::vector<std::string> outputs;   ///< files written, in DIR
  /// The daily file simulation.daily names (daily.nc, daily.csv; "" for none or results.gpkg),
  /// in `outputs` unless the caller held the values instead (RunConfig::daily_file)
  std::string daily_file;
};

}  // namespace cordon::engine
