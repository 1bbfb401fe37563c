// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The stochastic integration of Li et al. (Science 2020) for compiled models:
/// a step of dt takes the four stages of classic Runge-Kutta, and in each
/// stage every flow is drawn from a Poisson distribution whose mean is the
/// flow over dt at that stage's state: each transition (rate x persons x dt),
/// each relocation flow in and out of a patch (a flow out at most the persons
/// there), each arrival stream. The step adds the stages' changes with weights
/// 1/6, 1/3, 1/3, 1/6 and rounds compartments and per-patch flows to whole
/// persons (never below 0). N (relocation) and checkpoint counters take their
/// expected change. Works on states that are not whole numbers (an ensemble
/// filter moves them). Random numbers: CounterRng(seed, run, patch, 4 step + stage).

#include <cstdint>
#include <vector>

#include "cordon/sim/model.hpp"

namespace cordon::sim {

/// Advances a state by one stochastic step. Allocates only at construction.
class PoissonRk4Stepper {
 public:
  /// `seed` and `run` key the random stream of this run.
  PoissonRk4Stepper(const Model& model, std::uint64_t seed, std::uint64_t run);

  /// Draws from the stream of (seed, run) from now on.
  void Rekey(std::uint64_t seed, std::uint64_t run) {
    seed_ = seed;
    run_ = run;
  }
  /// y(t) -> y(t + dt); `step` (a step index) is part of the random key.
  void Step(double t, double dt, std::int64_t step, State& y, Workspace& ws);

 private:
  // One stage: the drawn change over dt at state `at`, into k (zeroed first).
  void Stage(double t, double dt, std::uint64_t key, const State& at, State& k, Workspace& ws);

  const Model& model_;
  std::uint64_t seed_, run_;
  State k_[4], stage_;
  Eigen::ArrayXXd arriving_, leaving_;
  Eigen::ArrayXd population_;
};

}  // namespace cordon::sim
