// SPDX-License-Identifier: Apache-2.0
#pragma once
/// A model declared as data (ModelSpec), compiled once into a kernel for one
/// network: every expression becomes a Program, compartments become blocks of
/// the flat State, named flows become cumulative per-patch counters. The
/// time loop (SimulateModel) and the RK4 stepper know nothing of which
/// compartments exist.
///
/// State blocks (each one array over patches, StateLayout::CompartmentOffset):
///   [ compartments | N (relocation only) | cumulative flows ]

#include <Eigen/Core>
#include <functional>
#include <string>
#include <vector>

#include "cordon/sim/model_spec.hpp"
#include "cordon/sim/network.hpp"
#include "cordon/sim/simulation.hpp"
#include "cordon/sim/state.hpp"

namespace cordon::sim {

/// Persons placed in compartments of one patch at t = 0, moved out of the initial compartment.
struct ModelSeed {
  int patch = 0;
  std::vector<std::pair<int, double>> persons;  ///< compartment, persons
};

/// Per-run buffers (one per thread); sized by CompiledModel::MakeWorkspace.
struct ModelWorkspace {
  int day = 0;                        ///< day of the current step (selects the travel matrix)
  std::vector<double> scalars;        ///< parameters, derived, t
  std::vector<const double*> arrays;  ///< per-patch inputs of the programs
  Eigen::ArrayXd total;               ///< N when the model has no N state
  Eigen::ArrayXXd force;              ///< per force: L (local), then felt by travellers
  Eigen::ArrayXd rate, flow, infectious, pool, denominator;
  Eigen::MatrixXd shares, mixed;  ///< mobility scratch, patches x columns
};

/// An immutable compiled model on one network.
class CompiledModel {
 public:
  /// Compiles `spec` for `network` (populations, ids; trips for commuting) and, for
  /// relocation, the daily traveller matrices (row = origin, column = destination,
  /// persons per day; day d serves steps in [d, d+1), the last one holds).
  /// Throws InputError naming the model file, line and column of a bad expression.
  CompiledModel(ModelSpec spec, Network network, std::vector<TripMatrix> travellers,
                std::vector<ModelSeed> seeds);

  const ModelSpec& Spec() const { return spec_; }
  const Network& Net() const { return network_; }
  int Patches() const { return network_.Patches(); }
  int Compartments() const { return static_cast<int>(spec_.compartments.size()); }
  int Flows() const { return static_cast<int>(spec_.flows.size()); }
  bool HasPopulationState() const { return spec_.mobility.kind == MobilityKind::kRelocation; }
  /// Block of the population state N (relocation), or -1.
  int PopulationBlock() const { return HasPopulationState() ? Compartments() : -1; }
  /// Block of the cumulative flow f (persons since t = 0).
  int FlowBlock(int f) const { return Compartments() + (HasPopulationState() ? 1 : 0) + f; }
  StateLayout Layout() const { return {Patches(), 0, FlowBlock(Flows())}; }

  /// Populations in the initial compartment, seeds moved out of it; N = population.
  State InitialState() const;
  /// Persons seeded per patch into compartments marked infected.
  Eigen::ArrayXd SeededPerPatch() const;
  ModelWorkspace MakeWorkspace() const;

  /// dy/dt at time t (days) during a step of day ws.day.
  void Derivative(double t, const State& y, State& dydt, ModelWorkspace& ws) const;
  /// What holds after every step: the population floor of relocation.
  void AfterStep(State& y) const;

 private:
  struct CompiledForce {
    Program rate;
    std::vector<std::pair<int, Program>> infectious, present;
  };
  struct CompiledTransition {
    int from = 0, to = 0;
    Program rate;
    std::vector<int> flows;  ///< flow blocks this transition feeds
  };
  // Slots of the per-patch inputs: compartments, N, then per force (local, travelling).
  int PopulationSlot() const { return Compartments(); }
  int ForceSlot(int force, bool travelling) const {
    return Compartments() + 1 + 2 * force + (travelling ? 1 : 0);
  }
  void Compile();
  void ComputeForces(const State& y, ModelWorkspace& ws) const;
  void AddRelocation(const State& y, State& dydt, ModelWorkspace& ws) const;

  ModelSpec spec_;
  Network network_;
  std::vector<TripMatrix> travellers_;                 ///< relocation, per day
  std::vector<Eigen::ArrayXd> arrivals_, departures_;  ///< per day: column and row sums
  std::vector<ModelSeed> seeds_;
  std::vector<double> constants_;  ///< parameters then derived values
  std::vector<CompiledForce> forces_;
  std::vector<CompiledTransition> transitions_;
  std::vector<int> travelling_;  ///< compartments that move
  Program denominator_;
  double scale_ = 1.0;   ///< commuting visit days or relocation factor
  TripMatrix visits_;    ///< commuting: p_ij = scale r_ij, i != j
  Eigen::ArrayXd stay_;  ///< commuting: p_ii
  Eigen::ArrayXd initial_population_;
};

/// What one run of a compiled model produces.
struct ModelRunResult {
  std::vector<std::string> columns;   ///< compartments, N (relocation), flows
  Eigen::ArrayXXd series;             ///< (days+1) x columns: totals; flows per day
  Eigen::ArrayXd attack_rate;         ///< per patch: (flow "incidence" + seeded) / population
  Eigen::ArrayXi peak_day;            ///< per patch: day of largest prevalence
  Eigen::ArrayXi first_infected_day;  ///< per patch: first day with prevalence >= 1; -1 = never
  /// With record_patch_daily: column c of patch i on day d at [(d * columns + c) * patches + i].
  std::vector<double> patch_daily;
};

/// Runs the model deterministically (RK4 at settings.dt; stochastic runs are not
/// supported for models from files yet: InputError).
ModelRunResult SimulateModel(const CompiledModel& model, const RunSettings& settings,
                             const DayCallback& on_day = {});

}  // namespace cordon::sim
