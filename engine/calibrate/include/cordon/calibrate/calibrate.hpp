// SPDX-License-Identifier: Apache-2.0
#pragma once
/// `cordon calibrate`: fits a scenario's parameters to reported data
/// (docs/calibration.md). Two methods:
///   - if-eakf: Li et al. (Science 2020)'s iterated filter built on the
///     ensemble adjustment Kalman filter: members are stochastic runs
///     (sim/poisson_rk4.hpp) whatever the scenario's mode, reports are
///     delayed case by case, each day's observations move the states of the
///     observed patch and the patches it has travel with, and the parameters;
///   - mle: maximum likelihood on the deterministic model (the delay as a
///     convolution) with NLopt (BOBYQA or Nelder-Mead) from Latin-hypercube
///     starts, intervals from the observed Fisher information.
/// Results are identical for any thread count at a given seed.

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "cordon/base/progress.hpp"

namespace cordon::calibrate {

struct CalibrateConfig {
  std::string file;     ///< the calibration YAML
  std::string out_dir;  ///< posterior.csv, trace.csv, fit.csv, calibrated.yaml, summary.json
  int threads = 0;      ///< 0 = the default count (cordon/base/threads.hpp)
  std::uint64_t seed = 1;
};

/// A parameter's (or derived quantity's) estimate and 95% interval.
struct Estimate {
  std::string name;  ///< key path (disease.alpha) or derived name (Re)
  double mean = 0.0, median = 0.0, q025 = 0.0, q975 = 0.0;
  bool derived = false;
  /// How [q025, q975] was made: "fisher" (mle, the observed information), "profile" (mle,
  /// the profile likelihood of a weakly identified parameter), "ensemble" (if-eakf).
  std::string interval;
  /// What the data could not tell (posterior.csv's `note`): "at bound", "weakly identified:
  /// correlation -0.98 with disease.infectious_days", "collapsed onto a bound", or "".
  std::string note;
};

/// One observed value beside the model's.
struct FitPoint {
  int day = 0;
  std::string date;  ///< "" without a start_date
  std::string flow, id;
  double observed = 0.0, mean = 0.0, q025 = 0.0, q975 = 0.0;
};

/// A parameter after one iteration (if-eakf) or one start (mle).
struct TraceRow {
  int iteration = 0;
  std::string name;
  double mean = 0.0, q025 = 0.0, q975 = 0.0;
};

struct CalibrationReport {
  std::string method;  ///< if-eakf | mle
  std::vector<Estimate> posterior;
  std::vector<FitPoint> fit;
  /// What fit's q025/q975 are: "posterior predictive" (if-eakf batch; mle), "one-day-ahead
  /// forecast" (if-eakf daily), "observation model around the fit" (mle of rebuilt models).
  std::string fit_band;
  std::vector<TraceRow> trace;
  /// if-eakf `states:`: rows of states.csv (day, date, id, then one value per column).
  std::vector<std::string> state_columns;
  std::vector<std::vector<std::string>> states;
  int iterations = 0, iterations_done = 0;  ///< if-eakf passes (mle: starts)
  bool interrupted = false;                 ///< stopped early: the finished ones are kept
  double log_likelihood = 0.0;              ///< mle: at the estimate (NaN for if-eakf)
  int days = 0;                             ///< days filtered or fitted
  std::string start_date;                   ///< the scenario's date of day 0 ("" without)
  double seconds = 0.0;
  /// What the data could not pin down, one line each (parameters at a prior bound, weakly
  /// identified or a collapsed ensemble): the CLI prints them as warnings.
  std::vector<std::string> warnings;
  std::vector<std::string> outputs;  ///< files written in out_dir
};

/// Runs the calibration in `config.file` and writes its outputs (each under a temporary
/// name, renamed when complete). When `stop` becomes true the current iteration is
/// dropped and the finished ones are written. Throws InputError (exit 2) for a bad file,
/// an unknown key, id or flow, dates outside the simulation, negative or no observations.
/// `progress` gets (done, total) filter days or likelihood evaluations.
CalibrationReport RunCalibration(const CalibrateConfig& config, const Progress& progress = {},
                                 const std::atomic<bool>* stop = nullptr);

}  // namespace cordon::calibrate
