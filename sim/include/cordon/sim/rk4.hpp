// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Classic fourth-order Runge-Kutta for any state held in a State's flat
/// array. It knows nothing of compartments: the caller supplies dy/dt.

#include <type_traits>

#include "cordon/sim/patch_chunks.hpp"
#include "cordon/sim/state.hpp"

namespace cordon::sim {

/// Where one evaluation of dy/dt sits in its step: `weight` is its slope's coefficient in
/// the step's sum y + dt/6 (1 k1 + 2 k2 + 2 k3 + 1 k4), `last` marks k4. A part of the
/// state that no slope reads (an output counter) only needs the weighted sum of its slopes,
/// so a derivative may hold it back and put it, divided by a later slope's weight, into
/// that slope (Model: checkpoint counters once per step). Outside a step: weight 1, the
/// first and the last.
struct RkStage {
  double weight = 1.0;
  bool first = true, last = true;
};

/// Advances y by one classic RK4 step. Buffers are allocated once at
/// construction, so Step() does not allocate.
class Rk4Stepper {
 public:
  explicit Rk4Stepper(StateLayout layout)
      : k1_(layout), k2_(layout), k3_(layout), k4_(layout), stage_(layout) {}

  /// y(t) -> y(t + dt). `derivative(t, y, dydt)`, or `derivative(t, y, dydt, RkStage)`,
  /// must fill dydt completely. The stage sums run on `workers` when given (element by
  /// element: the same bits on any thread count).
  template <class Derivative>
  void Step(Derivative&& derivative, double t, double dt, State& y, WorkerPool* workers = nullptr) {
    auto slope = [&](double at, const State& s, State& k, RkStage stage) {
      if constexpr (std::is_invocable_v<Derivative&, double, const State&, State&, RkStage>)
        derivative(at, s, k, stage);
      else
        derivative(at, s, k);
    };
    // Each stage sum over slices of the flat state: op(begin, count).
    auto each = [&](auto&& op) {
      ForChunks(
          workers, y.values.size(), [&](int, Eigen::Index b, Eigen::Index n) { op(b, n); },
          kStateChunk);
    };
    slope(t, y, k1_, {1.0, true, false});
    each([&](Eigen::Index b, Eigen::Index n) {
      stage_.values.segment(b, n) = y.values.segment(b, n) + (0.5 * dt) * k1_.values.segment(b, n);
    });
    slope(t + 0.5 * dt, stage_, k2_, {2.0, false, false});
    each([&](Eigen::Index b, Eigen::Index n) {
      stage_.values.segment(b, n) = y.values.segment(b, n) + (0.5 * dt) * k2_.values.segment(b, n);
    });
    slope(t + 0.5 * dt, stage_, k3_, {2.0, false, false});
    each([&](Eigen::Index b, Eigen::Index n) {
      stage_.values.segment(b, n) = y.values.segment(b, n) + dt * k3_.values.segment(b, n);
    });
    slope(t + dt, stage_, k4_, {1.0, false, true});
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
