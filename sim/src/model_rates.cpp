// SPDX-License-Identifier: Apache-2.0
// Evaluating a compiled model: forces of infection, transition rates, arrivals,
// checkpoint counters and relocation, and dy/dt for RK4. Sums are formed in the
// order of the built-in model (docs/model.md), so the default model reproduces it.
#include <algorithm>

#include "cordon/sim/model.hpp"

namespace cordon::sim {

void Model::ComputeForces(const State& y, Workspace& ws) const {
  const ProgramInputs in{ws.scalars.data(), ws.arrays.data()};
  const int p = Patches();
  const bool commuting = spec_.mobility.kind == MobilityKind::kCommuting;
  const Segment& seg = ws.seg;
  for (std::size_t f = 0; f < forces_.size(); ++f) {
    const CompiledForce& cf = forces_[f];
    auto local = ws.force.col(Eigen::Index(2 * f));
    auto felt = ws.force.col(Eigen::Index(2 * f + 1));
    auto travelling = [&](int c) { return commuting && spec_.compartments[c].travels; };
    // Column 0: travelling infectious, column 1: travelling present (both mix through p_ij).
    // The first term is assigned, the rest added: the sums of the built-in model, in order.
    bool first = true;
    for (const auto& [c, w] : cf.infectious) {
      if (!travelling(c)) continue;
      if (first)
        ws.shares.col(0).array() = w.Scalar(in) * y.Compartment(c);
      else
        ws.shares.col(0).array() += w.Scalar(in) * y.Compartment(c);
      first = false;
    }
    if (first && commuting) ws.shares.col(0).setZero();
    first = true;
    auto add_present = [&](const Eigen::ArrayXd& x, double w) {
      if (first)
        ws.shares.col(1).array() = w * x;
      else
        ws.shares.col(1).array() += w * x;
      first = false;
    };
    if (cf.present.empty() && commuting)
      for (int c : travelling_) {
        ws.flow = y.Compartment(c);
        add_present(ws.flow, 1.0);
      }
    for (const auto& [group, w] : cf.present) {
      if (!travelling(group.front())) continue;
      ws.flow = y.Compartment(group.front());
      for (std::size_t n = 1; n < group.size(); ++n) ws.flow += y.Compartment(group[n]);
      add_present(ws.flow, w.Scalar(in));
    }
    if (first && commuting) ws.shares.col(1).setZero();
    if (commuting) {
      ws.mixed.leftCols(2).noalias() = seg.travel.transpose() * ws.shares.leftCols(2);
      ws.infectious = ws.mixed.col(0).array() + seg.stay * ws.shares.col(0).array();
      ws.pool = ws.mixed.col(1).array() + seg.stay * ws.shares.col(1).array();
    } else {
      ws.infectious.setZero();
      if (cf.present.empty())
        ws.pool = Eigen::Map<const Eigen::ArrayXd>(ws.arrays[PopulationSlot()], p);
      else
        ws.pool.setZero();
    }
    for (const auto& [c, w] : cf.infectious)
      if (!travelling(c)) ws.infectious += w.Scalar(in) * y.Compartment(c);
    if (cf.present.empty() && commuting)
      for (int c = 0; c < Compartments(); ++c)
        if (!spec_.compartments[c].travels) ws.pool += y.Compartment(c);
    for (const auto& [group, w] : cf.present) {
      if (travelling(group.front())) continue;
      ws.flow = y.Compartment(group.front());
      for (std::size_t n = 1; n < group.size(); ++n) ws.flow += y.Compartment(group[n]);
      ws.pool += w.Scalar(in) * ws.flow;
    }
    if (!cf.rate.Evaluate(in, 0, p, ws.denominator.data()))  // the contact rate, per patch
      ws.denominator.setZero();
    local = (ws.pool > 0.0).select(ws.denominator * ws.infectious / ws.pool, 0.0);
    if (commuting) {
      ws.flow.matrix().noalias() = seg.travel * local.matrix();
      felt = ws.flow + seg.stay * local;
    } else {
      felt = local;
    }
  }
}

void Model::EvaluateRates(double t, const State& y, Workspace& ws) const {
  const Network& net = data_.network;
  interventions_.Prepare(net, t, ws.seg);
  const int p = Patches();
  for (int c = 0; c < Compartments(); ++c) ws.arrays[c] = y.Compartment(c).data();
  if (HasPopulationState()) {
    ws.arrays[PopulationSlot()] = y.Compartment(PopulationBlock()).data();
  } else {
    ws.total = y.Compartment(0);
    for (int c = 1; c < Compartments(); ++c) ws.total += y.Compartment(c);
    ws.arrays[PopulationSlot()] = ws.total.data();
  }
  ws.arrays[ContactSlot()] = ws.seg.contact.data();
  ws.arrays[ScreeningSlot()] = ws.seg.screening.data();
  double in_hospital = 0.0;
  for (int c : hospital_) in_hospital += y.Compartment(c).sum();
  double central = 0.0;
  if (!central_.empty()) {
    ws.flow = y.Compartment(central_.front());
    for (std::size_t n = 1; n < central_.size(); ++n) ws.flow += y.Compartment(central_[n]);
    central = ws.flow.sum();
  }
  const Policies& pol = interventions_.Policy();
  const double admit = in_hospital < pol.beds ? 1.0 : 0.0;
  const double central_open = central < pol.central_capacity ? 1.0 : 0.0;
  ws.scalars[std::size_t(time_slot_)] = t;
  ws.scalars[std::size_t(time_slot_) + 1] = admit;
  ws.scalars[std::size_t(time_slot_) + 2] = central_open;

  ComputeForces(y, ws);
  const ProgramInputs in{ws.scalars.data(), ws.arrays.data()};
  for (int n = 0; n < Transitions(); ++n) {
    const Program& rate = rates_[std::size_t(n)];
    const double*& of = ws.rate_of[std::size_t(n)];
    ws.scalar_rates[std::size_t(n)] = 0.0;
    if (!rate_per_patch_[std::size_t(n)]) {
      of = nullptr;
      ws.scalar_rates[std::size_t(n)] = rate.Scalar(in);
    } else if (rate.InputSlot() >= 0) {
      of = ws.arrays[std::size_t(rate.InputSlot())];  // a force of infection as it is
    } else {
      of = rate.Evaluate(in, 0, p, &ws.rates(0, n)) ? &ws.rates(0, n) : nullptr;
    }
  }

  const double share = spec_.screening.compartment >= 0 ? screening_share_.Scalar(in) : 0.0;
  if (Checkpoints() > 0) {
    ws.checkpoint_rates.setZero();
    if (spec_.screening.compartment >= 0 && !travelling_.empty()) {
      ws.free = y.Compartment(travelling_.front());
      for (std::size_t n = 1; n < travelling_.size(); ++n) ws.free += y.Compartment(travelling_[n]);
      interventions_.AddCheckpointRates(net, ws.seg, ws.free,
                                        y.Compartment(spec_.screening.compartment), share,
                                        ws.checkpoint_rates);
    }
  }
  if (!day_pairs_.empty()) {
    PrepareRelocation(ws);
    ws.checkpoint_rates += ws.relocation_counters;
  }
  if (spec_.arrivals.enabled)
    interventions_.ComputeArrivals(net, ws.seg, share, admit, central_open, ws.arrivals,
                                   ws.arrivals_zero, ws.checkpoint_rates);
}

void Model::PrepareRelocation(Workspace& ws) const {
  const int d = std::min(std::max(ws.day, 0), int(data_.travellers.size()) - 1);
  if (ws.relocation_key == std::make_pair(ws.seg.index, d) && ws.relocation_scale == ws.scale)
    return;
  ws.relocation_key = {ws.seg.index, d};
  ws.relocation_scale = ws.scale;
  const Network& net = data_.network;
  const TripMatrix& day = data_.travellers[std::size_t(d)];
  const std::vector<int>& pairs = day_pairs_[std::size_t(d)];
  ws.relocating = day;
  ws.relocation_counters.setZero(Checkpoints(), kNumCheckpointCounters);
  const double* persons = day.valuePtr();
  double* moving = ws.relocating.valuePtr();
  for (std::size_t q = 0; q < pairs.size(); ++q) {
    const int u = pairs[q];
    moving[q] = persons[q] * ws.seg.pass[std::size_t(u)];
    // Counted in persons: the travellers of the data times the model's scale (theta).
    for (int m = net.route_offsets[std::size_t(u)]; m < net.route_offsets[std::size_t(u) + 1];
         ++m) {
      const int k = net.route_checkpoints[std::size_t(m)];
      ws.relocation_counters(k, kMonitoredCount) += ws.scale * ws.seg.reached_coef[m] * persons[q];
      ws.relocation_counters(k, kCheckpointTurnedBackCount) +=
          ws.scale * ws.seg.blocked_coef[m] * persons[q];
    }
  }
  ws.relocating_in = ws.relocating.transpose() * Eigen::VectorXd::Ones(Patches());
  ws.relocating_out = ws.relocating * Eigen::VectorXd::Ones(Patches());
}

const Eigen::ArrayXd& Model::MixRelocation(const State& y, Workspace& ws) const {
  const std::size_t d =
      std::min<std::size_t>(std::size_t(std::max(ws.day, 0)), data_.travellers.size() - 1);
  const int p = Patches();
  const ProgramInputs in{ws.scalars.data(), ws.arrays.data()};
  if (spec_.mobility.denominator.root >= 0) {
    if (!denominator_.Evaluate(in, 0, p, ws.denominator.data())) ws.denominator.setZero();
  } else {
    ws.denominator = y.Compartment(PopulationBlock());
  }
  const Eigen::Index k = Eigen::Index(travelling_.size());
  for (Eigen::Index c = 0; c < k; ++c)
    ws.shares.col(c).array() =
        (ws.denominator > 0.0).select(y.Compartment(travelling_[c]) / ws.denominator, 0.0);
  // Through checkpoints: the day's travellers scaled by each pair's pass fraction.
  const bool gated = !day_pairs_.empty();
  const TripMatrix& moving = gated ? ws.relocating : data_.travellers[d];
  ws.mixed.leftCols(k).noalias() = moving.transpose() * ws.shares.leftCols(k);
  return gated ? ws.relocating_out : departures_[d];
}

void Model::AddRelocation(const State& y, State& dydt, Workspace& ws) const {
  if (data_.travellers.empty()) return;
  const Eigen::ArrayXd& leaving = MixRelocation(y, ws);
  const std::size_t d =
      std::min<std::size_t>(std::size_t(std::max(ws.day, 0)), data_.travellers.size() - 1);
  const Eigen::ArrayXd& arriving = day_pairs_.empty() ? arrivals_in_[d] : ws.relocating_in;
  for (Eigen::Index c = 0; c < Eigen::Index(travelling_.size()); ++c)
    dydt.Compartment(travelling_[c]) +=
        ws.scale * (ws.mixed.col(c).array() - ws.shares.col(c).array() * leaving);
  dydt.Compartment(PopulationBlock()) += ws.scale * (arriving - leaving);
}

void Model::RelocationFlows(const State& y, Workspace& ws, Eigen::ArrayXXd& arriving,
                            Eigen::ArrayXXd& leaving, Eigen::ArrayXd& population) const {
  const Eigen::Index k = Eigen::Index(travelling_.size());
  arriving.setZero(Patches(), k);
  leaving.setZero(Patches(), k);
  population.setZero(Patches());
  if (data_.travellers.empty() || !HasPopulationState()) return;
  const Eigen::ArrayXd& out = MixRelocation(y, ws);
  const std::size_t d =
      std::min<std::size_t>(std::size_t(std::max(ws.day, 0)), data_.travellers.size() - 1);
  for (Eigen::Index c = 0; c < k; ++c) {
    arriving.col(c) = ws.scale * ws.mixed.col(c).array();
    leaving.col(c) = ws.scale * ws.shares.col(c).array() * out;
  }
  population = ws.scale * ((day_pairs_.empty() ? arrivals_in_[d] : ws.relocating_in) - out);
}

void Model::Derivative(double t, const State& y, State& dydt, Workspace& ws) const {
  EvaluateRates(t, y, ws);
  dydt.values.setZero();
  for (int n = 0; n < Transitions(); ++n) {
    const auto [from, to] = Endpoints(n);
    const double* rate = ws.rate_of[std::size_t(n)];
    const double scalar = ws.scalar_rates[std::size_t(n)];
    if (!rate && scalar == 0.0) continue;  // switched off: moves nobody
    if (rate)
      ws.flow = Eigen::Map<const Eigen::ArrayXd>(rate, Patches()) * y.Compartment(from);
    else
      ws.flow = scalar * y.Compartment(from);
    dydt.Compartment(from) -= ws.flow;
    dydt.Compartment(to) += ws.flow;
    const auto& flows = transition_flows_[std::size_t(n)];
    if (flows.empty()) continue;
    const double total = ws.flow.sum();
    for (int f : flows) {
      if (FlowBlock(f) >= 0) dydt.Compartment(FlowBlock(f)) += ws.flow;
      dydt.Region(FlowCounter(f)) += total;
    }
  }
  if (spec_.arrivals.enabled && !ws.arrivals_zero) {
    for (int c = 0; c < kNumArrivalCategories; ++c) {
      const int dest = ArrivalDestination(c);
      if (dest >= 0) dydt.Compartment(dest) += ws.arrivals.col(c);
      const auto& flows = arrival_flows_[std::size_t(c)];
      if (flows.empty()) continue;
      const double total = ws.arrivals.col(c).sum();
      for (int f : flows) {
        if (FlowBlock(f) >= 0) dydt.Compartment(FlowBlock(f)) += ws.arrivals.col(c);
        dydt.Region(FlowCounter(f)) += total;
      }
    }
  }
  for (int c = 0; c < kNumCheckpointCounters; ++c) dydt.Checkpoints(c) = ws.checkpoint_rates.col(c);
  if (Checkpoints() > 0 && !checkpoint_flows_.empty()) {
    const double total = ws.checkpoint_rates.col(kCheckpointTurnedBackCount).sum();
    for (int f : checkpoint_flows_) dydt.Region(FlowCounter(f)) += total;
  }
  if (spec_.mobility.kind == MobilityKind::kRelocation) AddRelocation(y, dydt, ws);
}

}  // namespace cordon::sim
