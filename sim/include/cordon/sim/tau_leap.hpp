// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The chain-binomial tau-leap of docs/model.md for compiled models. Per patch
/// and compartment X with exits of per-capita rates r_1..r_m (evaluated at the
/// start of the step): leavers ~ Binomial(X, 1 - exp(-dt sum r)), split by
/// Multinomial(r_k / sum r); arrivals ~ Poisson(iota dt), split multinomially
/// over the arrival categories; checkpoint counters take their expected value.
/// Random numbers come from CounterRng(seed, run, patch, step).

#include <cstdint>
#include <vector>

#include "cordon/sim/model.hpp"

namespace cordon::sim {

/// Advances a whole-number state by one stochastic step. Allocates only at construction.
class TauLeapStepper {
 public:
  /// `seed` and `run` key the random stream of this run.
  TauLeapStepper(const Model& model, std::uint64_t seed, std::uint64_t run);

  /// y(t) -> y(t + dt); `step` is the step index (t = step * dt), part of the random key.
  void Step(double t, double dt, std::int64_t step, State& y, Workspace& ws);

 private:
  const Model& model_;
  std::uint64_t seed_, run_;
  std::vector<std::vector<int>> exits_;  ///< per compartment: transitions leaving it, in order
  std::vector<double> rates_;            ///< per transition, for the patch being drawn
  std::vector<double> region_;           ///< per flow: persons this step
  State next_;
};

}  // namespace cordon::sim
