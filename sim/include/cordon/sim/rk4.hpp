// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Classic fourth-order Runge-Kutta for any state held in a State's flat
/// array. It knows nothing of compartments: the caller supplies dy/dt.

#include "cordon/sim/state.hpp"

namespace cordon::sim {

/// Advances y by one classic RK4 step. Buffers are allocated once at
/// construction, so Step() does not allocate.
class Rk4Stepper {
 public:
  explicit Rk4Stepper(StateLayout layout)
      : k1_(layout), k2_(layout), k3_(layout), k4_(layout), stage_(layout) {}

  /// y(t) -> y(t + dt). `derivative(t, y, dydt)` must fill dydt completely.
  template <class Derivative>
  void Step(Derivative&& derivative, double t, double dt, State& y) {
    derivative(t, y, k1_);
    stage_.values = y.values + (0.5 * dt) * k1_.values;
    derivative(t + 0.5 * dt, stage_, k2_);
    stage_.values = y.values + (0.5 * dt) * k2_.values;
    derivative(t + 0.5 * dt, stage_, k3_);
    stage_.values = y.values + dt * k3_.values;
    derivative(t + dt, stage_, k4_);
    y.values += (dt / 6.0) * (k1_.values + 2.0 * k2_.values + 2.0 * k3_.values + k4_.values);
  }

 private:
  State k1_, k2_, k3_, k4_, stage_;
};

}  // namespace cordon::sim
