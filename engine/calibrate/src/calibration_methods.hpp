// SPDX-License-Identifier: Apache-2.0
#pragma once
// The two calibration methods over a CalibrationProblem, and what they share:
// derived quantities, observation variances and sample summaries.
#include <atomic>
#include <cstdint>
#include <limits>
#include <vector>

#include "calibration_problem.hpp"
#include "cordon/base/progress.hpp"
#include "cordon/calibrate/calibrate.hpp"
#include "cordon/sim/counter_rng.hpp"
#include "cordon/sim/ensemble.hpp"
#include "cordon/sim/expression.hpp"
#include "cordon/sim/latin_hypercube.hpp"

namespace cordon::calibrate {

/// The `derived:` expressions, of any model parameter name.
class DerivedQuantities {
 public:
  /// Throws InputError at the expression of a name that is not a model parameter.
  explicit DerivedQuantities(const CalibrationProblem& p);
  int Size() const { return int(programs_.size()); }
  /// Their values for a parameter vector (the file's order).
  std::vector<double> Evaluate(const double* theta) const;

 private:
  const CalibrationProblem& p_;
  std::vector<sim::Program> programs_;
  std::vector<double> compiled_;  ///< model parameter values as compiled
};

/// The filter's mean state of one patch at time `day` (days; 0 = the initial draw).
struct FilteredState {
  int day = 0;
  int patch = 0;
  std::vector<double> mean;  ///< per compartment, then N for relocation models (persons)
};

/// What a method found.
struct MethodOutcome {
  std::vector<FilteredState> states;  ///< if-eakf, the last pass: CalibrationProblem::state_patches
  std::vector<Estimate> posterior;    ///< parameters, then derived quantities
  std::vector<TraceRow> trace;
  std::vector<FitPoint> fit;  ///< day, id, observed, mean, q025, q975 (flow/date: caller)
  std::string fit_band;       ///< what fit's band is (CalibrationReport::fit_band); "": caller
  int iterations = 0, iterations_done = 0;
  bool interrupted = false;
  double log_likelihood = std::numeric_limits<double>::quiet_NaN();
  std::vector<std::string> warnings;  ///< CalibrationReport::warnings
};

struct MethodContext {
  const CalibrationProblem& problem;
  const DerivedQuantities& derived;
  std::uint64_t seed = 1;
  int threads = 1;
  const Progress& progress;
  const std::atomic<bool>* stop = nullptr;
};

/// Li et al.'s iterated ensemble adjustment Kalman filter.
MethodOutcome RunIfEakf(const MethodContext& c);
/// Maximum likelihood (NLopt) with Fisher-information intervals, or profile-likelihood ones
/// for parameters the data cannot separate (at a bound, strongly correlated).
MethodOutcome RunMle(const MethodContext& c);

/// The observation error variance of value y around prediction mu (if-eakf uses mu = y).
double ObservationVariance(const scenario::ObservationSpec& o, double y, double mu);
/// A draw of the observation model (`o.error`) around prediction mu (persons; below 0 is 0):
/// Poisson, negative binomial (a gamma mixture of Poissons), or li2020's normal cut at 0.
double DrawObservation(const scenario::ObservationSpec& o, double mu, sim::CounterRng& rng);
/// Quantiles as ensembles compute them (numpy's default interpolation; sorts in place).
using sim::LatinHypercube;
using sim::Quantile;

}  // namespace cordon::calibrate
