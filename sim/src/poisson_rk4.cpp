// SPDX-License-Identifier: Apache-2.0
#include "cordon/sim/poisson_rk4.hpp"

#include <cmath>
#include <random>

#include "cordon/sim/counter_rng.hpp"

namespace cordon::sim {
namespace {

// A Poisson draw of mean `mean` persons; 0 for a mean that is not positive (or NaN).
double Poisson(CounterRng& rng, double mean) {
  if (!(mean > 0.0)) return 0.0;
  return double(std::poisson_distribution<std::int64_t>(mean)(rng));
}

}  // namespace

PoissonRk4Stepper::PoissonRk4Stepper(const Model& model, std::uint64_t seed, std::uint64_t run)
    : model_(model),
      seed_(seed),
      run_(run),
      k_{State(model.Layout()), State(model.Layout()), State(model.Layout()),
         State(model.Layout())},
      stage_(model.Layout()) {}

void PoissonRk4Stepper::Stage(double t, double dt, std::uint64_t key, const State& at, State& k,
                              Workspace& ws) {
  const Model& m = model_;
  m.EvaluateRates(t, at, ws);
  k.values.setZero();
  const bool relocation = m.HasPopulationState();
  if (relocation) m.RelocationFlows(at, ws, arriving_, leaving_, population_);
  const std::vector<int>& travelling = m.Travelling();
  const bool arrivals = m.Spec().arrivals.enabled && !ws.arrivals_zero;
  auto count = [&](const std::vector<int>& flows, int i, double moved) {
    for (int f : flows) {
      if (m.FlowBlock(f) >= 0) k.Compartment(m.FlowBlock(f))[i] += moved;
      k.Region(m.FlowCounter(f)) += moved;
    }
  };
  for (int i = 0; i < m.Patches(); ++i) {
    CounterRng rng(seed_, run_, std::uint64_t(i), key);
    for (int n = 0; n < m.Transitions(); ++n) {
      const auto [from, to] = m.Endpoints(n);
      const double x = at.Compartment(from)[i];
      if (!(x > 0.0)) continue;
      const double moved = Poisson(rng, dt * Model::Rate(ws, n, i) * x);
      if (moved == 0.0) continue;
      k.Compartment(from)[i] -= moved;
      k.Compartment(to)[i] += moved;
      count(m.TransitionFlows(n), i, moved);
      if (m.TracingStages() > 0 && m.FeedsTracing(n))
        k.Compartment(m.TracingStageBlock(0))[i] += moved;
    }
    if (relocation)
      for (std::size_t c = 0; c < travelling.size(); ++c) {
        const double x = std::max(at.Compartment(travelling[c])[i], 0.0);
        const auto col = Eigen::Index(c);
        k.Compartment(travelling[c])[i] +=
            Poisson(rng, dt * arriving_(i, col)) - Poisson(rng, std::min(dt * leaving_(i, col), x));
      }
    if (!arrivals) continue;
    for (int cat = 0; cat < kNumArrivalCategories; ++cat) {
      const double moved = Poisson(rng, dt * ws.arrivals(i, cat));
      if (moved == 0.0) continue;
      const int dest = m.ArrivalDestination(cat);
      if (dest >= 0) k.Compartment(dest)[i] += moved;
      count(m.ArrivalFlows(cat), i, moved);
      if (m.TracingStages() > 0 && m.ArrivalFeedsTracing(cat))
        k.Compartment(m.TracingStageBlock(0))[i] += moved;
    }
  }
  if (relocation) k.Compartment(m.PopulationBlock()) = dt * population_;
  for (int c = 0; c < kNumCheckpointCounters; ++c)
    k.Checkpoints(c) = dt * ws.checkpoint_rates.col(c);
  for (int f : m.CheckpointTurnedBackFlows())
    k.Region(m.FlowCounter(f)) += dt * ws.travel_turned_back;
  // k holds increments: the delay's mean field is added to them, from the stage's state.
  if (m.TracingMoves() > 0) m.AddTracingMeanField(at, ws, dt, k);
}

void PoissonRk4Stepper::Step(double t, double dt, std::int64_t step, State& y, Workspace& ws) {
  const auto key = [&](int stage) { return std::uint64_t(step) * 4 + std::uint64_t(stage); };
  Stage(t, dt, key(0), y, k_[0], ws);
  stage_.values = y.values + 0.5 * k_[0].values;
  Stage(t + 0.5 * dt, dt, key(1), stage_, k_[1], ws);
  stage_.values = y.values + 0.5 * k_[1].values;
  Stage(t + 0.5 * dt, dt, key(2), stage_, k_[2], ws);
  stage_.values = y.values + k_[2].values;
  Stage(t + dt, dt, key(3), stage_, k_[3], ws);
  const Model& m = model_;
  const int population = m.PopulationBlock();
  Eigen::ArrayXd& v = stage_.values;  // the change of the step
  v = k_[0].values / 6.0 + k_[1].values / 3.0 + k_[2].values / 3.0 + k_[3].values / 6.0;
  const StateLayout& l = y.layout;
  for (int b = 0; b < l.blocks; ++b) {
    auto now = y.Compartment(b);
    if (b == population) {
      now += stage_.Compartment(b);
      continue;
    }
    now = (now + stage_.Compartment(b)).round().max(0.0);
  }
  const Eigen::Index tail = l.Size() - l.RegionCounterOffset();
  y.values.tail(tail) += v.tail(tail);
}

}  // namespace cordon::sim
