// SPDX-License-Identifier: Apache-2.0
#pragma once
/// A calibration file (docs/calibration.md): a base scenario, the reported
/// data it should reproduce, the parameters to infer with their uniform
/// priors, and the method (Li et al.'s iterated ensemble adjustment Kalman
/// filter, or maximum likelihood with NLopt). Read through the scenario's YAML
/// reader; the observation tables are read against the model by
/// cordon/calibrate/calibrate.hpp. Days count from the scenario's day 0: an
/// observation of day d (date start_date + d) is what happens during [d, d + 1).

#include <string>
#include <vector>

#include "cordon/base/source_ref.hpp"
#include "cordon/sim/expression.hpp"

namespace cordon::scenario {

/// How an observed count scatters around the model's prediction mu.
enum class ObservationError {
  kPoisson,  ///< variance mu
  kNegBin,   ///< variance mu + mu^2 / dispersion
  kLi2020,   ///< Li et al.: normal, variance max(4, y^2 / 4) for y observed
};

/// One table of reported values (`observations:` item).
struct ObservationSpec {
  std::string csv;   ///< resolved path
  std::string flow;  ///< a model flow (daily count) or compartment (persons on the day's end)
  std::string day_column = "day", date_column, id_column = "id", value_column = "value";
  bool cumulative = false;   ///< values are running totals (differences are used)
  bool since_start = false;  ///< running totals from the start of day 0 (no baseline row)
  double delay_mean = 0.0;   ///< reporting delay, gamma: mean days (0 = none)
  double delay_shape = 0.0;  ///< its shape
  ObservationError error = ObservationError::kPoisson;
  double dispersion = 10.0;  ///< negbin k
  int first_day = 0;         ///< window: observations before this day are ignored
  int last_day = 1 << 30;    ///< ... and after this one
  std::string window_text;   ///< as written, for messages
  SourceRef where;
};

/// A parameter to infer: a scenario key with a uniform prior. `disease.NAME` and
/// `seed_infections[K].COMPARTMENT` (persons seeded on day 0) change a compiled model's
/// runs; any other key (mle only) rebuilds the model for each evaluation.
struct CalibratedParameter {
  std::string key;
  double low = 0.0, high = 0.0;
  SourceRef where;
};

/// A quantity reported beside the parameters: an expression of parameter names.
struct DerivedQuantity {
  std::string name;
  sim::Expression value;
};

enum class CalibrationMethod { kIfEakf, kMle };

/// `method:`. The filter's settings are Li et al.'s defaults.
struct MethodSpec {
  CalibrationMethod kind = CalibrationMethod::kIfEakf;
  int ensemble = 300;   ///< if-eakf: members
  int iterations = 10;  ///< if-eakf: passes over the data
  /// if-eakf: true (`update: daily`, Li et al.'s filter) assimilates day by day with
  /// inflation and cooling; false (`batch`) updates the parameters once per pass.
  bool daily = false;
  double inflation = 1.1;  ///< if-eakf daily: spread multiplier each day
  double cooling = 0.9;    ///< if-eakf daily: parameter spread of pass n: cooling^(n-1) x range / 2
  double dt = 1.0;         ///< if-eakf: days per stochastic step
  std::string algorithm = "bobyqa";  ///< mle: bobyqa | neldermead
  int starts = 8;                    ///< mle: Latin-hypercube starting points
  int max_evaluations = 0;           ///< mle: per start (0 = 300 x parameters)
};

/// A parsed calibration file.
struct CalibrationSpec {
  std::string file;
  std::string scenario;          ///< base scenario, resolved
  std::vector<std::string> set;  ///< `set:` overrides ("key.path=value")
  std::string start_date;        ///< the scenario's simulation.start_date ("" = none)
  std::vector<ObservationSpec> observations;
  std::vector<CalibratedParameter> parameters;
  std::vector<DerivedQuantity> derived;
  MethodSpec method;
  /// `states:` patch ids whose filtered compartments (the ensemble's mean, each day of the
  /// last pass) states.csv reports (if-eakf).
  std::vector<std::string> states;
  SourceRef states_where;
};

/// Reads and validates a calibration file: keys, ranges (low < high, inside the
/// model parameter's range), derived expressions, and the base scenario with `set:`
/// and each parameter key applied (an unknown key path fails here). Throws InputError
/// naming the file, line and key.
CalibrationSpec LoadCalibration(const std::string& path);

}  // namespace cordon::scenario
