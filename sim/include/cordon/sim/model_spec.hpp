// SPDX-License-Identifier: Apache-2.0
#pragma once
/// A compartment model as a model file declares it (docs/models.md), before
/// compilation: compartments with their roles, parameters with the values a
/// scenario gives them, forces of infection, transitions, the mobility kind
/// and named flows. Plain data; CompiledModel turns it into a kernel.

#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "cordon/sim/expression.hpp"

namespace cordon::sim {

/// How people move between patches.
enum class MobilityKind {
  kNone,        ///< patches do not exchange people
  kCommuting,   ///< Sattenspiel-Dietz: residents visit and come back (trips per person per day)
  kRelocation,  ///< travellers move j -> i and stay (persons per day, one matrix per day)
};

/// A compartment and the roles outputs and the viewer read from it.
struct CompartmentSpec {
  std::string name;       ///< column name in outputs ("S", "Iu")
  std::string label;      ///< for people ("undocumented infectious")
  bool travels = true;    ///< moves with commuting trips or relocation flows
  bool infected = false;  ///< counts in prevalence (peak day, first infected day)
  bool isolated = false;  ///< counts as in isolation (viewer, curves)
  bool hospital = false;  ///< counts as in hospital (peak_H)
};

/// A parameter: the value is the model's default, or the scenario's `disease.NAME`.
struct ParameterSpec {
  std::string name, unit, description;
  double value = 0.0;
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
  Expression rate;                                     ///< contact rate, per day
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

/// A named flow: the persons per day moving from -> to, over all transitions between them.
/// Written as a series column, a per-patch daily value and a calibration target.
struct FlowSpec {
  std::string name;
  int from = 0;
  int to = 0;
};

/// The mobility of the model. Commuting uses the network's trip matrix,
/// relocation the daily traveller matrices given to CompiledModel.
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

  /// Index of the compartment / parameter / flow named `name`, or -1.
  int CompartmentIndex(const std::string& name) const;
  int ParameterIndex(const std::string& name) const;
  int FlowIndex(const std::string& name) const;
};

}  // namespace cordon::sim
