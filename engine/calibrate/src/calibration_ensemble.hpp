// SPDX-License-Identifier: Apache-2.0
#pragma once
// The ensemble both if-eakf updates work on (docs/calibration.md): per member a parameter
// vector (the calibration file's order), the model state, and the member's predicted value
// of every observed series on every day.
//
//   member m:  theta[m] = [p0 p1 ... pP-1]          (parameters, the file's order)
//              states[m]                            (sim::State, the whole model)
//   series s:  predictions[s] = [m0: day 0 .. days-1 | m1: day 0 .. days-1 | ...]
//
// Members run in parallel (one workspace per thread); every random draw is keyed by
// (seed, pass, member), so results are the same on any thread count.
#include <cstdint>
#include <string>
#include <vector>

#include "calibration_methods.hpp"

namespace cordon::calibrate {

struct Ensemble {
  /// `deterministic`: members run the scenario's RK4 at its dt and delayed reports are the
  /// expected convolution; otherwise the Poisson RK4 (sim/poisson_rk4.hpp) at method.dt
  /// with each case's reporting delay drawn.
  Ensemble(const MethodContext& c, bool deterministic);

  int Size() const { return members; }
  int Parameters() const { return int(low.size()); }
  /// Member m's prediction of series s on step d (persons).
  double& Prediction(std::size_t s, int m, int d) {
    return predictions[s][std::size_t(m) * std::size_t(days) + std::size_t(d)];
  }
  double Prediction(std::size_t s, int m, int d) const {
    return predictions[s][std::size_t(m) * std::size_t(days) + std::size_t(d)];
  }

  /// Parameters by Latin hypercube over the priors, keyed by `pass`.
  void DrawPrior(int pass);
  /// Day-0 states from each member's parameters; predictions zeroed.
  void Restart();
  /// Every member one day, step d -> d + 1, with its own parameters; adds its predictions
  /// of step d (and, for delayed series, the reports of later steps). `pass` keys the draws.
  void StepDay(int pass, int d);
  /// States stay physical: no compartment below 0, the initial one at most N (persons).
  void ClampStates(const std::vector<int>& patches);
  /// Parameters that left their prior go back just inside it.
  void ClampParameters();
  /// Li et al.'s rule (their code's checkbound): a parameter that left its prior goes to a
  /// uniform point within 10% of the bound's value inside it (`low (1 + 0.1 u)`, `high (1 -
  /// 0.1 u)`), at most the prior's width; a bound of 0 keeps ClampParameters' rule. The
  /// draws are keyed by (pass, member, parameter, `call`), `call` counting the pass's calls.
  void JitterIntoPrior(int pass, std::uint64_t call);

  /// What member m predicts series s reports on step d: its prediction, or with
  /// `predictive`, a draw of the observation model (`error`) around it.
  double Reported(std::size_t s, int m, int d) const;
  /// The members' forecast of observation y of series s on step d: the mean prediction and
  /// the 95% range of Reported.
  FitPoint Forecast(std::size_t s, int d, double y) const;
  /// Per observation table with several ids: their sum on step d (id "total").
  void AddTotals(int d, std::vector<FitPoint>& fit) const;
  /// The ensemble's mean state of the patches states.csv reports, at time `day` (days).
  void AddStates(int day, std::vector<FilteredState>& out) const;
  /// Per parameter, then derived quantity: every member's value.
  std::vector<std::vector<double>> Quantities() const;
  /// posterior.csv's rows from the members as they are now (interval "ensemble"), and a
  /// warning for each parameter squeezed against a prior bound.
  std::vector<Estimate> Estimates(std::vector<std::string>& warnings) const;
  /// Marks estimate `e` of parameter q (`note`, and a warning ending in `advice`) when its
  /// 95% interval is squeezed against a prior bound: less than 1% of the prior wide, its
  /// median within 1% of a bound.
  void FlagCollapse(int q, Estimate& e, std::vector<std::string>& warnings,
                    const std::string& advice) const;

  const MethodContext& c;
  const CalibrationProblem& p;
  const sim::Model& m;
  const int members, days;
  const bool deterministic;
  bool predictive = false;        ///< Forecast and AddTotals draw the observation noise too
  std::vector<double> low, high;  ///< per parameter: the prior's range
  std::vector<int> all_patches;   ///< 0 .. patches - 1
  std::vector<std::vector<double>> delay;        ///< per observation: P(report j days later)
  std::vector<std::vector<double>> theta;        ///< per member: parameters
  std::vector<sim::State> states;                ///< per member
  std::vector<std::vector<double>> predictions;  ///< per series: see the layout above
};

/// Random-stream keys: (pass, member) -> run.
inline std::uint64_t RunKey(int pass, int member) {
  return (std::uint64_t(pass) << 32) | std::uint64_t(member);
}
/// What is drawn (the patch slot of a key): reporting delays, parameters, the perturbed
/// observations of an update, the observation noise of a predictive band, the return of a
/// parameter into its prior.
constexpr std::uint64_t kDelayStream = 1ULL << 40, kParameterStream = 1ULL << 41,
                        kPerturbationStream = 1ULL << 42, kNoiseStream = 1ULL << 43,
                        kBoundStream = 1ULL << 44;

}  // namespace cordon::calibrate
