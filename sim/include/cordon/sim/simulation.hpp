// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Runs a Model over days: owns the time loop, picks the stepper, and
/// records the daily region series, per-village metrics and checkpoint totals.

#include <Eigen/Core>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "cordon/sim/model.hpp"

namespace cordon::sim {

enum class Mode { kDeterministic, kStochastic };

/// How to run. Scenario key `simulation:`.
struct RunSettings {
  int days = 120;    ///< simulated days; outputs cover day 0..days
  double dt = 0.25;  ///< step, days; 1/dt must be a whole number
  Mode mode = Mode::kDeterministic;
  int runs = 1;             ///< stochastic ensemble size (deterministic runs once)
  std::uint64_t seed = 42;  ///< key of the random stream
  /// Keep every patch's compartments every day (RunResult::patch_daily):
  /// (days+1) x 11 x patches floats per run, so off unless an output needs it.
  bool record_patch_daily = false;

  /// Steps per day (1/dt).
  int StepsPerDay() const;
  /// Throws InputError("simulation.<key>: ...").
  void Validate() const;
};

/// Columns of the daily region series: the compartments, then the daily counters.
enum SeriesColumn : int {
  kIncidenceColumn = kNumCompartments,
  kDetectionsColumn,
  kImportsColumn,
  kTurnedBackColumn,
  kNumSeriesColumns
};

/// Output name of a series column (S ... H, incidence, detections, imports, turned_back).
std::string_view SeriesColumnName(int column);

/// Everything one run produces.
struct RunResult {
  Eigen::ArrayXXd series;             ///< (days+1) x kNumSeriesColumns; persons (counters per day)
  std::vector<double> overflow;       ///< persons per day sent to Ih for want of a bed, size days+1
  Eigen::ArrayXd attack_rate;         ///< per patch: (incidence + seeded) / population
  Eigen::ArrayXi peak_day;            ///< per patch: day of largest prevalence
  Eigen::ArrayXi first_infected_day;  ///< per patch: first day with prevalence >= 1; -1 = never
  Eigen::ArrayXXd checkpoint_totals;  ///< K x kNumCheckpointCounters, persons over the run
  /// With record_patch_daily: persons in compartment c of patch i on day d at
  /// [(d * kNumCompartments + c) * patches + i]; else empty.
  std::vector<float> patch_daily;
};

/// Called after each simulated day with the day number.
using DayCallback = std::function<void(int day)>;

/// Runs `run` (0-based; keys the random stream) of the model. Deterministic:
/// RK4 at dt. Stochastic: tau-leap at dt on whole-number populations.
RunResult Simulate(const Model& model, const RunSettings& settings, int run,
                   const DayCallback& on_day = {});

/// Region-wide summary metrics of one series (docs/model.md, "Metrics").
struct Summary {
  double attack_rate = 0.0;      ///< share of the population infected
  int peak_day = 0;              ///< day of largest prevalence
  double peak_prevalence = 0.0;  ///< persons (E+I+Eh+Ih+Ec+Ic)
  double peak_hospital = 0.0;    ///< largest H, persons
  int days_over_capacity = 0;    ///< days with overflow > 1e-9 persons
  int villages_infected = 0;     ///< patches that reached prevalence >= 1
};

/// Summarises a series. `population` and `seeded` are region totals at t = 0 (persons).
Summary Summarize(const Eigen::ArrayXXd& series, const std::vector<double>& overflow,
                  double population, double seeded, int villages_infected);

}  // namespace cordon::sim
