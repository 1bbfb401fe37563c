// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Classic fourth-order Runge-Kutta for any state held in a State's flat
/// array. It knows nothing of compartments: the caller supplies dy/dt.

#include "cordon/sim/patch_chunks.hpp"
#include "cordon/sim/state.hpp"

namespace cordon::sim {

/// Advances y by one classic RK4 step. Buffers are allocated once at
/// construction, so Step() does not allocate.
class Rk4Stepper {
 public:
  explicit Rk4Stepper(StateLayout layout)
      : k1_(layout), k2_(layout), k3_(layout), k4_(layout), stage_(layout) {}

  /// y(t) -> y(t + dt). `derivative(t, y, dydt)` must fill dydt completely. The stage sums
  /// run on `workers` when given (element by element: the same bits on any thread count).
  template <class Derivative>
  void Step(Derivative&& derivative, double t, double dt, State& y, WorkerPool* workers = nullptr) {
    // Each stage sum over slices of the flat state: op(begin, count).
    auto each = [&](auto&& op) {
      ForChunks(
          workers, y.values.size(), [&](int, Eigen::Index b, Eigen::Index n) { op(b, n); },
          kStateChunk);
    };
    derivative(t, y, k1_);
    each([&](Eigen::Index b, Eigen::Index n) {
      stage_.values.segment(b, n) = y.values.segment(b, n) + (0.5 * dt) * k1_.values.segment(b, n);
    });
    derivative(t + 0.5 * dt, stage_, k2_);
    each([&](Eigen::Index b, Eigen::Index n) {
      stage_.values.segment(b, n) = y.values.segment(b, n) + (0.5 * dt) * k2_.values.segment(b, n);
    });
    derivative(t + 0.5 * dt, stage_, k3_);
    each([&](Eigen::Index b, Eigen::Index n) {
      stage_.values.segment(b, n) = y.values.segment(b, n) + dt * k3_.values.segment(b, n);
    });
    derivative(t + dt, stage_, k4_);
    each([&](Eigen::Index b, Eigen::Index n) {
      y.values.segment(b, n) +=
          (dt / 6.0) * (k1_.values.segment(b, n) + 2.0 * k2_.values.segment(b, n) +
                        2.0 * k3_.values.segment(b, n) + k4_.values.segment(b, n));
    });
  }

 private:
  static constexpr int kStateChunk = 1 << 15;  ///< state values per slice of a stage sum
  State k1_, k2_, k3_, k4_, stage_;
};

}  // namespace cordon::sim
