// SPDX-License-Identifier: Apache-2.0
#pragma once
/// A compartment model as a model file declares it (docs/models.md), before
/// compilation: compartments with their roles, parameters with the values a
/// scenario gives them, forces of infection, transitions, the mobility kind
/// and named flows. Plain data; Model turns it into a kernel.

#include <array>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "cordon/sim/expression.hpp"
#include "cordon/sim/interventions.hpp"  // ArrivalCategory

namespace cordon::sim {

/// Names every rate expression may use besides the model's own (sim/model.hpp says what
/// each is); a model cannot declare them.
inline constexpr const char* kBuiltinNames[] = {"t",         "N",     "contact",
                                                "screening", "admit", "central_open"};

/// How people move between patches.
enum class MobilityKind {
  kNone,        ///< patches do not exchange people
  kCommuting,   ///< Sattenspiel-Dietz: residents visit and come back (trips per person per day)
  kRelocation,  ///< travellers move j -> i and stay (persons per day, one matrix per day)
};

/// Where a compartment's people are held.
enum class Isolation {
  kNone,
  kHome,     ///< home isolation
  kCentral,  ///< central isolation (places limited by the central_isolation policy's capacity)
};

/// A compartment and the roles outputs and the viewer read from it.
struct CompartmentSpec {
  std::string name;                        ///< column name in outputs ("S", "Iu")
  std::string label;                       ///< for people ("undocumented infectious")
  bool travels = true;                     ///< moves with commuting trips or relocation flows
  bool infected = false;                   ///< counts in prevalence (peak day, first infected day)
  Isolation isolation = Isolation::kNone;  ///< counts as isolated (viewer curves, capacity)
  bool hospital = false;                   ///< in hospital: counts against the beds (admit, peak_H)
};

/// A parameter: the value is the model's default, or the scenario's `disease.NAME`.
/// A default may be an expression of earlier parameters (beta = r0 / infectious_days),
/// used unless the scenario sets the parameter.
struct ParameterSpec {
  std::string name, unit, description;
  double value = 0.0;
  Expression computed;  ///< the default as an expression; root < 0 for a number
  bool set = false;     ///< the scenario gave a value
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
};

/// A parameter computed from others (beta = r0 / infectious_days); scalar only.
struct DerivedSpec {
  std::string name;
  Expression value;
};

/// A force of infection L_j = rate_j * I*_j / N*_j at the place j where people mix.
/// Under commuting, travelling compartments mix where they visit; a transition rate
/// that names the force gets sum_j p_ij L_j for a travelling from-compartment and
/// L_i for one that stays. Without commuting both are L_i.
struct ForceSpec {
  std::string name;
  Expression rate;  ///< contact rate, per day
  /// Contact rate met outside the region on external trips (scalar, per day; root < 0: none):
  /// L there = outside x the scenario's external_trips prevalence.
  Expression outside;
  std::vector<std::pair<int, Expression>> infectious;  ///< compartment, weight (scalar)
  std::vector<std::pair<int, Expression>> present;     ///< pool N*: compartment, weight;
                                                       ///< empty = the patch population N
};

/// Persons move from `from` to `to` at the per-capita rate `rate` (per day).
struct TransitionSpec {
  int from = 0;
  int to = 0;
  Expression rate;
};

/// What besides transitions a flow can count (persons per day).
enum class FlowSource {
  kArrivalsEntered,        ///< arrivals that passed the gates (every category but turned back)
  kArrivalsTurnedBack,     ///< arrivals turned back at the gates
  kArrivalsDetected,       ///< arrivals detected at the gates
  kArrivalsOverflow,       ///< arrivals detected when no bed was free
  kCheckpointsTurnedBack,  ///< travellers turned back on routes, imports not (region only)
  kTracingTraced,          ///< contacts reached by tracing (quarantined or not)
  kTracingQuarantined,     ///< traced contacts moved into quarantine
  kTracingInfected,        ///< of them, those in an infected compartment
};

/// What a flow counts, for the metrics that need it (model file key `counts:`).
enum class FlowRole {
  kNone,
  kInfections,       ///< every new infection (reinfections too): attack rate, infections/person
  kFirstInfections,  ///< first infections only: the attack rate of a model with reinfection
  kOverflow,         ///< people detected when no bed was free: days over capacity
};

/// A named flow: persons per day over the transitions from -> to it lists (all
/// transitions between the pair) and the sources. A series column, a per-patch
/// daily value (unless per_patch is false) and a calibration target.
struct FlowSpec {
  std::string name;
  std::vector<std::pair<int, int>> pairs;  ///< (from, to) compartments
  std::vector<FlowSource> sources;
  bool per_patch = true;  ///< kept per patch (else a region total only)
  bool output = true;     ///< a series.csv column
  FlowRole counts = FlowRole::kNone;
};

/// How arrivals from outside (scenario imports) split over compartments:
/// destination[category] per ArrivalCategory (-1 for turned back).
struct ArrivalSpec {
  bool enabled = false;
  std::array<int, kNumArrivalCategories> destination{};
};

/// Who a checkpoint's fever screen can detect: people of `compartment`, a `share` of them.
struct ScreeningSpec {
  int compartment = -1;  ///< -1: nobody is screened
  Expression share;      ///< scalar, in [0, 1]
};

/// Contact tracing (model file key `tracing:`, docs/models.md): the detected cases of a flow
/// name their contacts; a scenario's contact_tracing policy finds a share of them after a
/// delay and moves each to the compartment `moves` gives for its own. Model adds one
/// transition per move after the model's own (their rates are the tracing's, not programs).
struct TracingSpec {
  bool enabled = false;
  int cases = -1;  ///< the flow of detected cases whose contacts are traced
  /// Of a case's contacts, the persons it infected over the lookback window (per patch
  /// allowed; may name lookback_days and contacts_per_case, the policy's values).
  Expression infected_per_case;
  std::vector<std::pair<int, int>> moves;  ///< (compartment, where its traced contacts go)
};

/// The mobility of the model. Commuting uses the network's trip matrix,
/// relocation the daily traveller matrices given to Model.
struct MobilitySpec {
  MobilityKind kind = MobilityKind::kNone;
  Expression scale;        ///< commuting: days a trip keeps a visitor away; relocation: factor
                           ///< on the travellers (theta). Scalar. Default 1.
  Expression denominator;  ///< relocation: per patch, the persons that travel (default N)
  double floor = 0.0;      ///< relocation: N_i is kept >= floor * N_i(0)
};

/// The whole declaration.
struct ModelSpec {
  std::string name;   ///< "li2020"
  std::string label;  ///< one line for people
  std::string file;   ///< where it was read from, for messages
  std::vector<CompartmentSpec> compartments;
  int initial = 0;  ///< the compartment that holds each patch's population at t = 0
  std::vector<ParameterSpec> parameters;
  std::vector<DerivedSpec> derived;
  std::vector<ForceSpec> forces;
  std::vector<TransitionSpec> transitions;
  std::vector<FlowSpec> flows;
  MobilitySpec mobility;
  ArrivalSpec arrivals;
  ScreeningSpec screening;
  TracingSpec tracing;
  /// Scenario seed_infections keys that stand for a compartment (the default model's
  /// exposed -> E, infectious -> I); compartment names always work.
  std::vector<std::pair<std::string, int>> seed_keys;

  /// Index of the compartment / parameter / flow named `name`, or -1.
  int CompartmentIndex(const std::string& name) const;
  int ParameterIndex(const std::string& name) const;
  int FlowIndex(const std::string& name) const;
  /// Compartments with a role, in model order: infected (prevalence), in hospital (beds,
  /// peak_H), isolated at home or centrally (the "in isolation" curve), in central isolation.
  std::vector<int> Infected() const;
  std::vector<int> Hospital() const;
  std::vector<int> Isolated() const;
  std::vector<int> CentrallyIsolated() const;
  /// Compartments a force of infection acts on (the from-compartments of transitions whose
  /// rate names a force): those never infected ("S", "Sh", ...).
  std::vector<int> Susceptible() const;
  /// Transitions that infect: those whose rate names a force of infection; in a model
  /// without forces, those from a compartment not marked infected into one that is.
  std::vector<int> InfectionTransitions() const;
  /// People once infected can be infected again: a compartment reached from an infection
  /// transition's destination leads back to an infection transition's source (SEIRS).
  bool Reinfection() const;
  /// The flow that counts every infection: the flow declared `counts: infections`, else
  /// the flow that counts exactly InfectionTransitions() (docs/models.md, "What a model
  /// reports"); -1 when none.
  int InfectionsFlow() const;
  /// The flow that counts first infections, for the attack rate (the share ever infected):
  /// the flow declared `counts: first_infections`, else InfectionsFlow() in a model without
  /// reinfection; -1 when none (a model with reinfection reports infections per person).
  int FirstInfectionsFlow() const;
  /// The flow that counts overflow (detected without a free bed): declared `counts:
  /// overflow`, else a flow named `overflow`; -1 when none.
  int OverflowFlow() const;
  /// Flows made of tracing sources alone stop being outputs: what a run without a
  /// contact_tracing policy does, so that it writes the columns it wrote before tracing.
  void HideTracingFlows();
  /// Why tracing.cases cannot start tracing ("flow 'x' counts infections (S -> E); ..."),
  /// or "" when it can: the rule the model file's reader (with its line) and Model apply.
  std::string TracingCasesProblem() const;
};

/// Adds the flow `infections` (an output, per patch; `infections_2`, ... when the name is
/// taken) counting InfectionTransitions() when the model declares none that InfectionsFlow()
/// finds, so that every model with infection reports its attack rate or infections per
/// person. Model's constructor calls it.
void AddInfectionsFlow(ModelSpec& spec);

/// What a scenario asks of its model, as far as the two must agree.
struct ScenarioNeeds {
  bool imports = false;            ///< arrivals from outside (imports:)
  bool route_checkpoints = false;  ///< checkpoints on the routes between patches
  bool external_trips = false;     ///< residents' trips out of the region
  bool travel_reductions = false;  ///< policies scaling the commuting trips
  bool gis_region = false;         ///< villages from a GIS layer (not network tables)
  bool tracing = false;            ///< a contact_tracing policy
};

/// A rule of the model/scenario pairing that is broken: the scenario key it concerns
/// (imports, checkpoints, external_trips, policies, region.villages) and why, in words that
/// name the model.
struct Incompatibility {
  std::string key;
  std::string reason;
};

/// Every rule `spec` breaks for `needs`, in the order above: the one list of those rules,
/// read by the scenario parser (which names the file and line) and by Model (which throws).
std::vector<Incompatibility> Incompatibilities(const ModelSpec& spec, const ScenarioNeeds& needs);

}  // namespace cordon::sim
