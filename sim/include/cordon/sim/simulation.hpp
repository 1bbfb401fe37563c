// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Runs a Model over days: owns the time loop, picks the stepper, and
/// records the daily region series, per-village metrics and checkpoint totals.
/// Columns come from the model (Model::SeriesColumns), never from C++.

#include <Eigen/Core>
#include <cstdint>
#include <functional>
#include <string>
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
  /// Keep every patch's per-patch columns every day (RunResult::patch_daily):
  /// (days+1) x columns x patches doubles per run, so off unless an output needs it.
  bool record_patch_daily = false;
  /// Not a scenario key: checkpoints (indices) left unstaffed in these runs. They count
  /// travellers but turn back, screen and isolate nobody: how `cordon optimize` tries a
  /// selection of candidate sites on one shared model.
  std::vector<int> unstaffed_checkpoints;
  /// Not a scenario key: false skips counting commuters and arrivals at checkpoints (the
  /// counters and the commuters' turned-back flow read 0; the epidemic is the same), for
  /// callers that read neither, like `cordon optimize`'s objectives: it saves a pass over
  /// every route entry per stage.
  bool count_checkpoints = true;

  /// Steps per day (1/dt).
  int StepsPerDay() const;
  /// Throws InputError("simulation.<key>: ...").
  void Validate() const;
  /// Validate(), and every unstaffed checkpoint is one of `checkpoints`. Throws InputError.
  void Validate(int checkpoints) const;
};

/// Everything one run produces.
struct RunResult {
  std::vector<std::string> columns;  ///< Model::SeriesColumns()
  Eigen::ArrayXXd series;            ///< (days+1) x columns: persons (flows per day)
  std::vector<double> overflow;      ///< the overflow flow per day (zeros without it), days+1
  /// Per patch: (first infections + seeded) / population, the share ever infected; NaN
  /// without a per-patch first-infections flow (ModelSpec::FirstInfectionsFlow).
  Eigen::ArrayXd attack_rate;
  /// Per patch: infections (reinfections included) over the run per resident; NaN without a
  /// per-patch infections flow.
  Eigen::ArrayXd infections_per_person;
  /// Per patch x per-patch output flow (RunResult::flow_columns): persons over the run.
  Eigen::ArrayXXd flow_totals;
  std::vector<std::string> flow_columns;  ///< names of flow_totals' columns
  Eigen::ArrayXi peak_day;                ///< per patch: day of largest prevalence
  Eigen::ArrayXi first_infected_day;      ///< per patch: first day with prevalence >= 1; -1 = never
  Eigen::ArrayXXd checkpoint_totals;      ///< K x kNumCheckpointCounters, persons over the run
  /// Per flow of the model (spec order, `output: false` ones too): its region total over the
  /// run, persons.
  std::vector<double> flow_region_totals;
  /// With record_patch_daily: per-patch column c of patch i on day d at
  /// [(d * patch_columns + c) * patches + i] (flows per day); else empty.
  std::vector<double> patch_daily;
  std::vector<std::string> patch_columns;  ///< compartments, N, per-patch output flows
  std::size_t state_columns = 0;           ///< leading patch columns that are states (not flows)
};

/// Called after each simulated day with the day number.
using DayCallback = std::function<void(int day)>;

/// Called with one day's per-patch columns (RunResult::patch_columns): column c of patch i
/// at values[c * patches + i] (flows per day). `values` is valid only during the call.
using PatchDayCallback = std::function<void(int day, const double* values)>;

/// The per-patch columns a run of `model` records (RunResult::patch_columns), and how many
/// of them lead as states (RunResult::state_columns).
std::vector<std::string> PatchColumns(const Model& model, std::size_t* state_columns = nullptr);

/// Runs `run` (0-based; keys the random stream) of the model: RK4 at settings.dt, or, when
/// stochastic, on whole-number populations, the chain-binomial tau-leap of docs/model.md
/// (relocation models: Li et al.'s Poisson Runge-Kutta, sim/poisson_rk4.hpp). `threads`
/// share the per-patch work of this run; results are bitwise the same for any count.
/// `on_patch_day` receives every day's per-patch columns (days 0..days), whether or not
/// settings.record_patch_daily keeps them all.
RunResult Simulate(const Model& model, const RunSettings& settings, int run = 0,
                   const DayCallback& on_day = {}, int threads = 1,
                   const PatchDayCallback& on_patch_day = {});

/// One output flow over a run: persons.
struct FlowSummary {
  std::string name;
  double total = 0.0;  ///< persons over days 1..days
  double peak = 0.0;   ///< largest daily value, persons per day
  int peak_day = 0;    ///< first day within 1e-9 (relative) of it: a plateau's first day
};

/// Region-wide summary metrics of one series (docs/model.md, "Metrics"). A metric the
/// model cannot have is NaN: attack_rate without infections or with reinfection (then
/// infections_per_person), peak_hospital without a hospital compartment.
struct Summary {
  double attack_rate = 0.0;            ///< share of the population ever infected
  double infections_per_person = 0.0;  ///< infections (reinfections included) per resident
  int peak_day = 0;                    ///< day of largest prevalence
  double peak_prevalence = 0.0;        ///< persons in compartments marked infected
  double peak_hospital = 0.0;          ///< largest number in hospital compartments, persons
  int days_over_capacity = 0;          ///< days with overflow > 1e-9 persons
  int villages_infected = 0;           ///< patches that reached prevalence >= 1
  std::vector<FlowSummary> flows;      ///< every output flow, in series column order
};

/// Summarises a series of `model` (columns as Model::SeriesColumns). `population` and
/// `seeded` are region totals at t = 0 (persons).
Summary Summarize(const Model& model, const Eigen::ArrayXXd& series,
                  const std::vector<double>& overflow, double population, double seeded,
                  int villages_infected);

}  // namespace cordon::sim
