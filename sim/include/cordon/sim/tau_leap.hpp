// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The chain-binomial tau-leap of docs/model.md for compiled models. Per patch
/// and compartment X with exits of per-capita rates r_1..r_m (evaluated at the
/// start of the step): leavers ~ Binomial(X, 1 - exp(-dt sum r)), split by
/// Multinomial(r_k / sum r) (binomials: sim/binomial.hpp); arrivals ~ Poisson(iota dt),
/// split multinomially
/// over the arrival categories; checkpoint counters take their expected value.
/// Random numbers come from CounterRng(seed, run, patch, step), so patches are
/// drawn in chunks on ws.workers with the same results on any thread count
/// (persons moved are whole numbers: their sums are exact in any order).

#include <cstdint>
#include <vector>

#include "cordon/sim/counter_rng.hpp"
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
  // Draws the transitions and arrivals of patches [begin, begin + count), chunk `chunk`,
  // into next_ (the chunk's column of rates_ and region_, its streams_).
  void DrawChunk(int chunk, Eigen::Index begin, Eigen::Index count, double dt, std::int64_t step,
                 const State& y, const Workspace& ws);
  void Count(int chunk, const std::vector<int>& flows, Eigen::Index i, double moved);

  const Model& model_;
  std::uint64_t seed_, run_;
  std::vector<std::vector<int>> exits_;  ///< per compartment: transitions leaving it, in order
  Eigen::ArrayXXd rates_;           ///< per transition (row), per chunk: for the patch being drawn
  Eigen::ArrayXXd region_;          ///< per flow (row), per chunk: persons this step
  std::vector<double> step_total_;  ///< per flow: persons this step
  std::vector<std::vector<CounterRng>> streams_;  ///< per chunk: its patches' random streams
  std::vector<std::uint64_t> patch_keys_;  ///< per patch: CounterRng::PatchKey(seed, run, patch)
  State next_;
};

}  // namespace cordon::sim
