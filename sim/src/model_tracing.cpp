// SPDX-License-Identifier: Apache-2.0
// Contact tracing in a compiled model (docs/model.md, "Contact tracing"): the cases whose
// contacts are traced now, where those contacts are, and the per-capita rates of the tracing
// block's moves; the mean field the stochastic steppers add for the delay stages.
#include <algorithm>
#include <cmath>

#include "cordon/sim/model.hpp"

namespace cordon::sim {

void Model::CasesNow(const State& y, Workspace& ws, Eigen::ArrayXd& cases) const {
  const int p = Patches();
  const ProgramInputs in{ws.scalars.data(), ws.arrays.data()};
  cases.setZero();
  // Scratch for rates that chunks fill later: the contacts column, overwritten afterwards.
  double* scratch = &ws.tracing(0, tracing_moves_);
  for (int k = 0; k < model_transitions_; ++k) {
    if (!FeedsTracing(k) || SwitchedOff(ws, k)) continue;
    const double* rate = ws.rate_of[std::size_t(k)];
    if (FilledPerChunk(ws, k)) {
      if (!rates_[std::size_t(k)].Evaluate(in, 0, p, scratch)) continue;
      rate = scratch;
    }
    const auto x = y.Compartment(Endpoints(k).first);
    if (rate)
      cases += Eigen::Map<const Eigen::ArrayXd>(rate, p) * x;
    else
      cases += ws.scalar_rates[std::size_t(k)] * x;
  }
  if (!spec_.arrivals.enabled || ws.arrivals_zero) return;
  for (int c = 0; c < kNumArrivalCategories; ++c)
    if (ArrivalFeedsTracing(c)) cases += ws.arrivals.col(c);
}

void Model::PrepareTracing(double t, const State& y, Workspace& ws) const {
  const TracingPolicy& policy = interventions_.Policy().tracing;
  ws.tracing_on = policy.active.Contains(t);
  for (int move = 0; move < tracing_moves_; ++move) {
    const int n = model_transitions_ + move;
    ws.rate_of[std::size_t(n)] = ws.tracing_on ? &ws.tracing(0, move) : nullptr;
    ws.scalar_rates[std::size_t(n)] = 0.0;
  }
  if (!ws.tracing_on) return;
  const int p = Patches();
  // Cases whose contacts are traced now: the end of the delay, or those detected now.
  Eigen::ArrayXd& cases = ws.traced_cases;
  if (tracing_stages_ > 0)
    cases = tracing_pass_on_ * y.Compartment(TracingStageBlock(tracing_stages_ - 1));
  else
    CasesNow(y, ws, cases);
  // Where their contacts are: a commuter's at home p_ii and where it visits p_ij of the time.
  auto contacts = ws.tracing.col(tracing_moves_);
  if (spec_.mobility.kind == MobilityKind::kCommuting) {
    contacts = ws.seg.stay * cases;
    const TripMatrix& travel = ws.seg.travel;
    for (int i = 0; i < p; ++i)
      for (TripMatrix::InnerIterator it(travel, i); it; ++it)
        contacts[it.index()] += it.value() * cases[i];
  } else {
    contacts = cases;
  }
  // Contacts found per day, region-wide, at most the capacity.
  const double per_case = policy.contacts_per_case;
  const double wanted = policy.coverage * per_case * contacts.sum();
  const double found = wanted > policy.capacity ? policy.capacity / wanted : 1.0;
  const ProgramInputs in{ws.scalars.data(), ws.arrays.data()};
  double* infected = ws.flow.data();  // free until the chunks of Derivative
  if (!tracing_infected_.Evaluate(in, 0, p, infected)) std::fill(infected, infected + p, 0.0);
  const double* population = ws.arrays[std::size_t(PopulationSlot())];
  // A tracing rate above this (per day) would ask for more people than a compartment holds
  // within an RK4 step of a quarter day; it binds only where the compartment is nearly empty.
  constexpr double kMaxRate = 4.0;
  for (int j = 0; j < p; ++j) {
    const double cases_here = found * policy.coverage * contacts[j];  // cases' contacts found
    const double sick = std::clamp(infected[j], 0.0, per_case);
    double infected_here = 0.0;
    for (int move = 0; move < tracing_moves_; ++move)
      if (move_infected_[std::size_t(move)])
        infected_here += y.Compartment(spec_.tracing.moves[std::size_t(move)].first)[j];
    for (int move = 0; move < tracing_moves_; ++move) {
      const double pool = move_infected_[std::size_t(move)] ? infected_here : population[j];
      const double persons =
          cases_here * (move_infected_[std::size_t(move)] ? sick : per_case - sick);
      ws.tracing(j, move) = pool > 0.0 ? std::min(kMaxRate, persons / pool) : 0.0;
    }
    contacts[j] = cases_here * per_case;
  }
}

void Model::AddTracingMeanField(const State& y, const Workspace& ws, double dt, State& next) const {
  if (tracing_stages_ > 0) {
    // Each stage passes on its expected leavers over dt: exact for the stage on its own.
    const double leave = -std::expm1(-tracing_pass_on_ * dt);
    for (int stage = 0; stage < tracing_stages_; ++stage) {
      const auto leaving = leave * y.Compartment(TracingStageBlock(stage));
      next.Compartment(TracingStageBlock(stage)) -= leaving;
      if (stage + 1 < tracing_stages_) next.Compartment(TracingStageBlock(stage + 1)) += leaving;
    }
  }
  if (!ws.tracing_on) return;
  const auto contacts = ws.tracing.col(tracing_moves_);
  for (int f : tracing_traced_flows_) {
    if (FlowBlock(f) >= 0) next.Compartment(FlowBlock(f)) += dt * contacts;
    next.Region(FlowCounter(f)) += dt * contacts.sum();
  }
}

}  // namespace cordon::sim
