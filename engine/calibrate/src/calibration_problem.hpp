// SPDX-License-Identifier: Apache-2.0
#pragma once
// What both calibration methods work on: the compiled model of the base
// scenario, the observed series read against it, how a parameter vector
// (in the file's order) becomes model parameters and a day-0 state, and
// which patches an observation of a patch may move (the ones it has travel with).
#include <Eigen/Core>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "cordon/scenario/calibration_file.hpp"
#include "cordon/scenario/scenario.hpp"
#include "cordon/sim/model.hpp"

namespace cordon::calibrate {

/// A missing value: an unobserved day, a parameter left at its compiled value.
inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// Days and dates (docs/calibration.md): day D of a table (date start_date + D) holds what
/// happens during (D - 1, D] and a compartment at t = D, as series.csv's row D; the methods
/// step the model a step [s, s + 1) at a time, so day D is what step D - 1 ends with. Day 0
/// holds the initial state and no flow.
inline int StepOfDay(int day) { return day - 1; }
/// The day (and its row in every table) that step `step` ends.
inline int DayOfStep(int step) { return step + 1; }

/// One (observation table, id): the reported values of patches, checkpoints or the region.
struct ObservedSeries {
  int observation = 0;           ///< index into engine::CalibrationSpec::observations
  std::string id;                ///< patch id, parent admin code, checkpoint id, or "all"
  std::vector<int> patches;      ///< the patches summed; empty = the whole region
  std::vector<int> checkpoints;  ///< for a counter: the checkpoints summed; empty = all
  int flow = -1;                 ///< model flow (counts per day), or -1
  int compartment = -1;          ///< or a compartment (persons at the day's end)
  int counter = -1;              ///< or a checkpoint counter (sim::CheckpointCounter)
  std::vector<double> observed;  ///< per step 0 .. days-1 (StepOfDay); NaN = not observed
  /// Per step: the first step the observed value covers (running totals a few days apart are
  /// compared with the model's sum over their steps); the step itself for a daily value.
  std::vector<int> span_start;
  /// Patches whose states an observation moves (if-eakf): the patches and the ones they
  /// have travel with; empty = every patch.
  std::vector<int> local;
};

struct CalibrationProblem {
  scenario::CalibrationSpec spec;
  scenario::Scenario scenario;  ///< with `set:` and the seeds calibrated set to 0
  std::optional<sim::Model> model;
  std::vector<std::string> names;           ///< per parameter: its key
  std::vector<int> model_parameter;         ///< per parameter: model parameter index, or -1
  std::vector<int> seed_compartment;        ///< per parameter: the seeded compartment, or -1
  std::vector<std::string> base_overrides;  ///< `set:` and the calibrated seeds at 0
  std::vector<Eigen::ArrayXd> seed_share;   ///< per seed parameter: persons per patch per person
  sim::State initial;                       ///< day 0 without the calibrated seeds
  std::vector<ObservedSeries> series;
  std::vector<int> state_patches;            ///< spec.states resolved
  int days = 0;                              ///< steps run: the last observed day
  std::vector<std::vector<int>> neighbours;  ///< per patch: itself and patches it has travel with

  int Parameters() const { return int(names.size()); }
  /// Model parameter values for a parameter vector (NaN: as compiled).
  std::vector<double> ModelValues(const double* theta) const;
  /// The day-0 state of `m` (the model, or one BuildModel made) for a parameter vector:
  /// the calibrated seeds moved out of the initial compartment (never below 0).
  sim::State InitialState(const sim::Model& m, const double* theta) const;
  /// Whether some parameter is a scenario key that only a rebuilt model can take.
  bool Rebuilds() const;
  /// The base scenario's model with the scenario-key parameters of theta set (routing on
  /// one thread). Throws InputError like LoadScenario.
  sim::Model BuildModel(const double* theta) const;
  /// Whether the observations of `s` are counts of a flow with a reporting delay.
  bool Delayed(const ObservedSeries& s) const {
    return spec.observations[std::size_t(s.observation)].delay_mean > 0.0;
  }
};

/// Reads the base scenario, builds its model (routing with `threads`) and reads the
/// observation tables against it. Throws InputError naming the file, line and column of
/// an unknown id, flow or compartment, a negative value, a day outside the simulation.
CalibrationProblem LoadProblem(const scenario::CalibrationSpec& spec, int threads);

/// P(ceil(delay) = j) for j = 0 .. days-1 of a gamma delay (mean, shape); j = 0 has none.
std::vector<double> DelayDistribution(double mean, double shape, int days);

/// The quantity series `s` compares with: during the step from `before` to `after`
/// (one day), the flow's count over its patches, or the compartment at the end.
double SeriesValue(const CalibrationProblem& p, const ObservedSeries& s, const sim::State& before,
                   const sim::State& after);

}  // namespace cordon::calibrate
