// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The default cordon model (docs/model.md), immutable once built.
///
/// Per patch i, with F = S + E + I + R the free residents who travel:
///
///   pass_ij = e + (1 - e) prod_{k in K_ij} (1 - b_k),  q_ij = 1 - prod_{k in K_ij} (1 - s_k)
///   p_ij = d r_ij pass_ij (i != j),  p_ii = 1 - sum_j p_ij
///   I*_j = sum_k p_kj I_k + eps_h Ih_j + eps_c Ic_j + eps_H H_j        (N*_j likewise with F)
///   L_j = beta m_j(t) I*_j / N*_j,  lambda_i = sum_j p_ij L_j,  lambdah_i = eps_h L_i, ...
///   det_i = f (delta + sum_j r_ij pass_ij q_ij),  a = [sum H < B]
///
/// and the transitions of docs/model.md. The model is described to steppers
/// as a table of transitions (from, to, per-capita rate) plus import flows,
/// so the steppers do not depend on which compartments exist.
/// EvaluateRates() fills a Workspace; Derivative() turns it into dy/dt.

#include <Eigen/Core>
#include <Eigen/SparseCore>
#include <cstdint>
#include <vector>

#include "cordon/sim/inputs.hpp"
#include "cordon/sim/interventions.hpp"
#include "cordon/sim/network.hpp"
#include "cordon/sim/state.hpp"

namespace cordon::sim {

/// Destination compartment of an arrival category (-1 for turned back).
int ImportDestination(int category);

/// One row of the transition table: persons move from `from` to `to` at the
/// per-capita rate  scale * (rate_column < 0 ? 1 : column value of the patch).
struct Transition {
  int from = 0;
  int to = 0;
  int rate_column = -1;    ///< index into Workspace::patch_rates, or -1 for a constant
  bool incidence = false;  ///< counts as new infection
  bool detection = false;  ///< counts as a detection
  bool overflow = false;   ///< a detection turned away for want of a bed
};

/// Everything a model run needs besides the network.
struct ModelInputs {
  Network network;
  Disease disease;
  Policies policies;
  std::vector<ImportStream> imports;
  std::vector<Seed> seeds;
};

class Model;

/// Mutable per-run buffers and the cached coefficients of the current switch
/// segment. One per thread; never shared. Sized by Model::MakeWorkspace().
struct Workspace {
  Segment seg;  ///< coefficients of the current switch segment

  // Stage buffers.
  Eigen::ArrayXd free;                                              ///< F
  Eigen::Matrix<double, Eigen::Dynamic, 2> infectious_free, mixed;  ///< [I F], P^T [I F]
  Eigen::ArrayXd force;                                             ///< L
  Eigen::ArrayXXd patch_rates;           ///< columns: lambda, lambdah, lambdac, det
  std::vector<double> transition_scale;  ///< per transition, this stage
  Eigen::ArrayXXd import_flow;           ///< P x kNumArrivalCategories, persons/day
  bool import_flow_zero = true;
  Eigen::ArrayXXd checkpoint_rates;  ///< K x kNumCheckpointCounters, persons/day
  Eigen::ArrayXd flow;               ///< scratch, persons/day
};

/// Immutable model: parameters, network and the transition table.
class Model {
 public:
  /// Validates and takes ownership of the inputs. Throws InputError.
  explicit Model(ModelInputs inputs);

  const Network& Net() const { return in_.network; }
  int Patches() const { return in_.network.Patches(); }
  int Checkpoints() const { return static_cast<int>(in_.network.checkpoints.size()); }
  StateLayout Layout() const { return {Patches(), Checkpoints(), kNumCompartments}; }
  const std::vector<Transition>& Transitions() const { return transitions_; }
  double Beds() const { return in_.policies.beds; }

  /// Population in S, then seeds moved to E / I. `round` makes counts whole (stochastic runs).
  State InitialState(bool round) const;
  /// Persons seeded at t = 0 per patch.
  Eigen::ArrayXd SeededPerPatch() const;
  /// Buffers for EvaluateRates, sized for this model.
  Workspace MakeWorkspace() const;

  /// Fills ws.patch_rates, ws.transition_scale, ws.import_flow and
  /// ws.checkpoint_rates for time t (days) and state y.
  void EvaluateRates(double t, const State& y, Workspace& ws) const;

  /// dy/dt at time t (days), compartments and counters alike.
  void Derivative(double t, const State& y, State& dydt, Workspace& ws) const;

 private:
  ModelInputs in_;
  Interventions interventions_;
  std::vector<Transition> transitions_;
  double sigma_, gamma_, omega_, gamma_h_, beta_;
};

}  // namespace cordon::sim
