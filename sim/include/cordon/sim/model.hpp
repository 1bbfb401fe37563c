// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The model of a run: a model declared as data (ModelSpec, from a model file;
/// data/models/cordon.yaml is the default) compiled once into a kernel for one
/// network: every expression becomes a Program, compartments become blocks of
/// the flat State, named flows become cumulative counters. The time loop
/// (Simulate) and the steppers know nothing of which compartments exist.
///
/// State (StateLayout):
///   [ compartments | N (relocation) | per-patch flows | tracing delay stages |
///     region flows | checkpoint counters ]
///
/// The tracing delay stages (a contact_tracing policy with delay_days > 0 on a model with a
/// tracing block) hold the detected cases whose contacts are not yet traced, per patch:
/// persons, not counted in N.
///
/// Names a rate expression may use besides parameters and compartments:
///   t             time, days
///   N             the patch population (relocation: its own state; else all compartments)
///   contact       m_i(t), the product of the active contact reductions
///   screening     sum_j r_ij pass_ij q_ij: screening checkpoints a commuter meets, per day
///   admit         1 when the hospital compartments hold fewer than the beds, else 0
///   central_open  1 when central isolation holds fewer than its capacity, else 0
///   a force name  L of that force (docs/models.md), as the from-compartment feels it

#include <Eigen/Core>
#include <algorithm>
#include <array>
#include <functional>
#include <string>
#include <vector>

#include "cordon/sim/commuting.hpp"
#include "cordon/sim/interventions.hpp"
#include "cordon/sim/model_spec.hpp"
#include "cordon/sim/network.hpp"
#include "cordon/sim/relocation.hpp"
#include "cordon/sim/rk4.hpp"
#include "cordon/sim/route_counters.hpp"
#include "cordon/sim/state.hpp"

namespace cordon {
class WorkerPool;
}

namespace cordon::sim {

/// Persons placed in compartments of one patch at t = 0, moved out of the initial compartment.
struct ModelSeed {
  int patch = 0;
  std::vector<std::pair<int, double>> persons;  ///< compartment, persons
};

/// Everything a model runs on besides its spec.
struct ModelInputs {
  Network network;                     ///< populations; trips and routes for commuting
  Policies policies;                   ///< contact, isolation, beds, essential flows
  std::vector<ImportStream> imports;   ///< arrivals (need the spec's arrivals:)
  std::vector<TripMatrix> travellers;  ///< relocation: persons per day, one matrix per day
  /// The day (docs/model.md, "Days and dates") of travellers[0]: 1, the first day with flows
  /// (travellers[k] moves people during day k + 1), or 0 (a table that starts on start_date,
  /// which has no flows: travellers[k] moves people during day k, and travellers[0] serves
  /// only spread_by_travel's seeding).
  int travellers_first_day = 1;
  ExternalTrips external;  ///< residents' trips out of the region (commuting)
  std::vector<ModelSeed> seeds;
};

/// Per-run buffers (one per thread); sized by Model::MakeWorkspace.
struct Workspace {
  int day = 0;  ///< day of the current step (selects the travel matrix)
  /// Threads for the per-patch passes (sim/patch_chunks.hpp); nullptr: the caller's alone.
  /// Results are bitwise the same either way.
  WorkerPool* workers = nullptr;
  Segment seg;                         ///< interventions of the current switch segment
  std::vector<double> scalars;         ///< parameters, derived, t, admit, central_open
  double scale = 1.0;                  ///< mobility scale (visit days or theta) of this workspace
  std::vector<const double*> arrays;   ///< per-patch inputs of the programs
  Eigen::ArrayXd total;                ///< N when the model has no N state
  Eigen::ArrayXXd force;               ///< per force: L (local), then felt by travellers
  Eigen::ArrayXXd rates;               ///< per transition, per patch (patches x transitions)
  std::vector<const double*> rate_of;  ///< per transition: its per-patch rates, or nullptr
  std::vector<double> scalar_rates;    ///< per transition when rate_of is nullptr (0: off)
  Eigen::ArrayXd flow, infectious, pool, denominator;
  Eigen::ArrayXXd free_detectable;  ///< 2 x patches: free travellers, screenable compartment
  Eigen::MatrixXd shares, mixed;    ///< mobility scratch, patches x columns
  /// (2 x forces) x patches, per force: travelling infectious, travelling present.
  Eigen::ArrayXXd force_shares;
  Eigen::ArrayXXd arrivals;  ///< patches x kNumArrivalCategories, persons/day
  bool arrivals_zero = true;
  std::vector<GateRate> gate_rates;  ///< the gates' counter rates that go with `arrivals`
  /// What `arrivals` were computed for: segment, admit, central_open, febrile share.
  std::array<double, 4> arrivals_key{-1.0, -1.0, -1.0, -1.0};
  Eigen::ArrayXXd checkpoint_rates;  ///< K x kNumCheckpointCounters, persons/day
  /// Travellers turned back at checkpoints on routes (commuters, external trips, relocation),
  /// persons/day: checkpoint_rates' turned-back sum before the gates' imports are added.
  double travel_turned_back = 0.0;
  bool count_checkpoints = true;  ///< false: commuters and gates leave checkpoint_rates at 0
  /// Check the per-patch rates of the next EvaluateRates / Derivative for values below zero
  /// (an error: Model::FailNegativeRate), then clear. Simulate sets it before each step, so
  /// a step's first stage, at the state itself, is checked; later stages (RK4's trial
  /// states may dip below zero) and ensemble filters' adjusted states are not.
  bool check_rates = false;
  RouteCounterCache route_counters;       ///< travellers at checkpoints: per block of patches
  CommutingCache commuting;               ///< the segment's p_ij by destination
  Eigen::ArrayXXd stage_sums, flow_sums;  ///< per chunk (rows): partial sums over patches
  RelocationCache relocation;             ///< relocation through checkpoints: the gated travellers
  /// Contact tracing (Model::TracingMoves): per move its per-capita rate (per day), then the
  /// contacts reached per day (persons), patches x (moves + 1); zero while inactive.
  Eigen::ArrayXXd tracing;
  Eigen::ArrayXd traced_cases;  ///< cases whose contacts are traced now, per patch, per day
  bool tracing_on = false;      ///< tracing acts at this stage's time
};

/// An immutable compiled model on one network.
class Model {
 public:
  /// Compiles `spec` for `data`. Relocation takes data.travellers (sim/relocation.hpp says
  /// which matrix a step reads). Throws InputError naming the model file, line and
  /// column of a bad expression, or the scenario item that the model cannot use.
  Model(ModelSpec spec, ModelInputs data);

  const ModelSpec& Spec() const { return spec_; }
  const Network& Net() const { return data_.network; }
  const Policies& Policy() const { return interventions_.Policy(); }
  int Patches() const { return data_.network.Patches(); }
  int Checkpoints() const { return static_cast<int>(data_.network.checkpoints.size()); }
  int Compartments() const { return static_cast<int>(spec_.compartments.size()); }
  int Transitions() const { return static_cast<int>(spec_.transitions.size()); }
  int Flows() const { return static_cast<int>(spec_.flows.size()); }
  bool HasPopulationState() const { return spec_.mobility.kind == MobilityKind::kRelocation; }
  /// Block of the population state N (relocation), or -1.
  int PopulationBlock() const { return HasPopulationState() ? Compartments() : -1; }
  /// Block of flow f's per-patch cumulative persons, or -1 for a region-only flow.
  int FlowBlock(int f) const { return flow_block_[std::size_t(f)]; }
  /// Region counter (State::Region) of flow f's cumulative total.
  int FlowCounter(int f) const { return f; }
  StateLayout Layout() const;
  /// Beds of the hospital policy (persons; infinity when unlimited).
  double Beds() const { return interventions_.Policy().beds; }

  /// Columns of a run's daily series: compartments, N (relocation), output flows.
  std::vector<std::string> SeriesColumns() const;
  /// Index of series column `name`, or -1.
  int SeriesColumn(const std::string& name) const;

  /// Populations in the initial compartment, seeds moved out of it (rounded when `round`).
  State InitialState(bool round = false) const;
  /// Persons seeded per patch into compartments marked infected.
  Eigen::ArrayXd SeededPerPatch() const;
  /// Persons in compartments marked infected, per patch, in state y (sized and overwritten).
  void Prevalence(const State& y, Eigen::ArrayXd& out) const;
  Workspace MakeWorkspace() const;

  /// The parameters as compiled (spec order): defaults, `disease:` values, computed defaults.
  std::vector<double> ParameterValues() const;
  /// Makes `ws` run with parameter values `values` (spec order; NaN keeps the compiled
  /// value): computed defaults not set by the scenario and derived values are recomputed,
  /// and the mobility scale. Ranges are the caller's to respect. Throws InputError when
  /// the values change a commuting model's visit days (compiled into its checkpoints).
  void SetParameters(const std::vector<double>& values, Workspace& ws) const;
  /// Compartments that move under the model's mobility, in order.
  const std::vector<int>& Travelling() const { return travelling_; }

  /// Fills ws.rates / ws.scalar_rates (per-capita, per day), ws.arrivals and
  /// ws.checkpoint_rates for time t (days) and state y.
  void EvaluateRates(double t, const State& y, Workspace& ws) const;
  /// dy/dt at time t (days) during a step of day ws.day. Within an RK4 step (`stage`), the
  /// checkpoint counters' slopes are held back and given whole to the last stage, or to
  /// the first stage of a new policy segment (RkStage says why that is exact).
  void Derivative(double t, const State& y, State& dydt, Workspace& ws, RkStage stage = {}) const;
  /// What holds after every step: the population floor of relocation.
  void AfterStep(State& y) const;
  /// Relocation of day ws.day at state y after EvaluateRates, persons per day: column k of
  /// `arriving` and `leaving` for compartment Travelling()[k]; `population` the change of N.
  void RelocationFlows(const State& y, Workspace& ws, Eigen::ArrayXXd& arriving,
                       Eigen::ArrayXXd& leaving, Eigen::ArrayXd& population) const;

  /// Per-capita rate of transition n in patch i after EvaluateRates.
  static double Rate(const Workspace& ws, int n, int i) {
    const double* r = ws.rate_of[std::size_t(n)];
    return r ? r[i] : ws.scalar_rates[std::size_t(n)];
  }
  /// Transition n's (from, to).
  std::pair<int, int> Endpoints(int n) const {
    return {spec_.transitions[std::size_t(n)].from, spec_.transitions[std::size_t(n)].to};
  }
  /// Flows fed by transition n.
  const std::vector<int>& TransitionFlows(int n) const { return transition_flows_[std::size_t(n)]; }
  /// Flows fed by arrival category c / by a FlowSource.
  const std::vector<int>& ArrivalFlows(int c) const { return arrival_flows_[std::size_t(c)]; }
  const std::vector<int>& CheckpointTurnedBackFlows() const { return checkpoint_flows_; }
  /// Destination compartment of arrival category c (-1: turned back).
  int ArrivalDestination(int c) const { return spec_.arrivals.destination[std::size_t(c)]; }

  /// Contact tracing (docs/model.md, "Contact tracing"): the moves the tracing block adds as
  /// transitions Transitions() - TracingMoves() .. Transitions() - 1 (0 without a
  /// contact_tracing policy), the Erlang stages of its delay (0: traced at once) and the
  /// first stage's block. Transition n / arrival category c feeds the delay (counts cases).
  int TracingMoves() const { return tracing_moves_; }
  int TracingStages() const { return tracing_stages_; }
  /// Flows of tracing.traced (contacts reached), output or not.
  const std::vector<int>& TracingTracedFlows() const { return tracing_traced_flows_; }
  int TracingStageBlock(int stage) const { return tracing_block_ + stage; }
  bool FeedsTracing(int n) const { return feeds_tracing_[std::size_t(n)] != 0; }
  bool ArrivalFeedsTracing(int c) const { return arrival_feeds_tracing_[std::size_t(c)] != 0; }
  /// The stochastic steppers' tracing as a mean field over dt days, after EvaluateRates at y:
  /// cases counted into the first delay stage are already in `next`; each stage passes its
  /// expected leavers on, and the flows of contacts reached get their expected persons.
  void AddTracingMeanField(const State& y, const Workspace& ws, double dt, State& next) const;

 private:
  struct CompiledForce {
    Program rate;
    Program outside;  ///< contact rate outside the region (scalar), when has_outside
    bool has_outside = false;
    std::vector<std::pair<int, Program>> infectious;  ///< travelling first, then staying
    /// Groups of present compartments sharing one weight: weight x (X1 + X2 + ...).
    std::vector<std::pair<std::vector<int>, Program>> present;
  };
  // Slots of the per-patch inputs: compartments, N, contact, screening, then forces.
  int PopulationSlot() const { return Compartments(); }
  int ContactSlot() const { return Compartments() + 1; }
  int ScreeningSlot() const { return Compartments() + 2; }
  int ForceSlot(int force, bool travelling) const {
    return Compartments() + 3 + 2 * force + (travelling ? 1 : 0);
  }
  void Validate() const;
  void Compile();
  void CompileForces(const SymbolResolver& scalars, const std::function<SymbolResolver(bool)>&);
  void CompileFlows();
  void CompileTracingFeeds();
  void CompileMobility(const SymbolResolver& scalars, const SymbolResolver& patch);
  // Everything a stage needs before the per-patch rates: segment, totals, admit, local
  // forces, checkpoint counters, relocation, arrivals, which rates are programs.
  void PrepareStage(double t, const State& y, Workspace& ws, RkStage stage = {}) const;
  // Adds to ws.checkpoint_rates the commuters and external trips of this stage, or of the
  // step's stages held back (RouteCounters::Hold): `share` of the screened compartment is
  // detectable, `count_free` when free_detectable is set.
  void TravellersAtCheckpoints(Workspace& ws, double share, bool count_free, RkStage stage) const;
  // After PrepareStage: transition k's rate is a program that each chunk fills into
  // ws.rates (not an input as it is, not switched off).
  static bool FilledPerChunk(const Workspace& ws, int k) {
    return ws.rate_of[std::size_t(k)] == &ws.rates(0, k);
  }
  // After PrepareStage: transition k moves nobody (no per-patch rate, scalar rate 0).
  static bool SwitchedOff(const Workspace& ws, int k) {
    return !ws.rate_of[std::size_t(k)] && ws.scalar_rates[std::size_t(k)] == 0.0;
  }
  // Throws InputError (FailNegativeRate) when transition k's per-patch rate is below zero in
  // patches [b, b + n) at time t (days).
  void CheckRates(const Workspace& ws, int k, double t, Eigen::Index b, Eigen::Index n) const;
  // The error of a negative rate: model file, transition, rate, time and village (-1: all).
  [[noreturn]] void FailNegativeRate(int k, double t, double rate, int patch) const;
  // How far below zero a rate may round (per day) before it is an error.
  static constexpr double kRateTolerance = 1e-12;
  // The forces in three passes over the patches (each needs the last one complete for all):
  // travelling shares, L (mixing visitors by destination), then what travellers feel.
  void PrepareMixing(Workspace& ws) const;
  void SharesOfForces(const State& y, Workspace& ws, Eigen::Index b, Eigen::Index n) const;
  void LocalForces(const State& y, Workspace& ws, Eigen::Index b, Eigen::Index n) const;
  void FeltForces(Workspace& ws, Eigen::Index b, Eigen::Index n) const;
  void AddRelocation(const State& y, State& dydt, Workspace& ws) const;
  // Appends the tracing block's moves as transitions (a contact_tracing policy only).
  void AddTracingMoves();
  // ws.tracing and ws.traced_cases at time t, after the rates and arrivals of the stage.
  void PrepareTracing(double t, const State& y, Workspace& ws) const;
  // Detected cases per day per patch (the tracing block's flow) at state y: rates set.
  void CasesNow(const State& y, Workspace& ws, Eigen::ArrayXd& cases) const;
  // Fills ws.denominator, ws.shares (X / denominator) and ws.mixed (sum_j M_ji shares_j) of
  // the travelling compartments; returns the day's departures per patch (unscaled).
  const Eigen::ArrayXd& MixRelocation(const State& y, Workspace& ws) const;

  ModelSpec spec_;
  ModelInputs data_;
  Interventions interventions_;
  Relocation relocation_;          ///< relocation: the daily travellers
  Commuting commuting_;            ///< commuting: mixing and what travellers feel
  RouteCounters route_counters_;   ///< travellers at the checkpoints on routes
  std::vector<double> constants_;  ///< parameters then derived values
  std::vector<Program> computed_;  ///< per parameter: its computed default, if used
  std::vector<Program> derived_;   ///< per derived value
  Program scale_program_;          ///< mobility.scale, when given
  int time_slot_ = 0;              ///< scalar slots: t, then admit, central_open
  std::vector<CompiledForce> forces_;
  bool weights_read_flags_ = false;  ///< a force weight reads admit or central_open
  bool sums_population_ = true;      ///< a stage makes ws.total (N without an N state)
  std::vector<Program> rates_;
  std::vector<char> rate_per_patch_;
  std::vector<std::vector<int>> transition_flows_, arrival_flows_;
  std::vector<int> checkpoint_flows_;
  std::vector<int> flow_block_;
  int per_patch_blocks_ = 0;
  std::vector<int> travelling_;  ///< compartments that move
  std::vector<int> hospital_, central_, infected_;
  Program denominator_, screening_share_;
  double scale_ = 1.0;  ///< commuting visit days or relocation factor
  Eigen::ArrayXd initial_population_;
  // Contact tracing (the policy's settings are in interventions_.Policy().tracing).
  int model_transitions_ = 0;  ///< transitions of the model file, before the tracing moves
  int tracing_moves_ = 0, tracing_stages_ = 0, tracing_block_ = -1;
  double tracing_pass_on_ = 0.0;  ///< per day: each delay stage's exit rate, stages / delay
  std::vector<char> feeds_tracing_, arrival_feeds_tracing_;
  std::vector<char> move_infected_;        ///< per move: from an infected compartment
  std::vector<int> tracing_traced_flows_;  ///< flows counting contacts reached
  Program tracing_infected_;               ///< infected contacts per case, per patch
};

}  // namespace cordon::sim
