// SPDX-License-Identifier: Apache-2.0
// Evaluating a compiled model: forces of infection, transition rates, arrivals,
// checkpoint counters and relocation, and dy/dt for RK4. Sums are formed in the
// order of the built-in model (docs/model.md), so the default model reproduces it.
// Per-patch work runs in fixed chunks (sim/patch_chunks.hpp) on ws.workers: every
// sum over patches is formed per chunk and the chunks added in order, sums over
// origins and route entries are gathers, so any thread count gives the same bits.
#include <algorithm>
#include <cmath>
#include <sstream>

#include "cordon/base/error.hpp"
#include "cordon/sim/model.hpp"
#include "cordon/sim/patch_chunks.hpp"

namespace cordon::sim {
namespace {

// One transition over n patches: v = rate * x (scalar when rate is null) into out, subtracted
// from `from` and added to `to`. A block without a term yet counts as 0 (`*_set` false), so
// the values are those of clearing dy/dt first, in one pass instead of four.
void MoveFlow(const double* rate, double scalar, const double* x, double* out, double* from,
              bool from_set, double* to, bool to_set, Eigen::Index n) {
  for (Eigen::Index i = 0; i < n; ++i) {
    const double v = (rate ? rate[i] : scalar) * x[i];
    out[i] = v;
    from[i] = (from_set ? from[i] : 0.0) - v;
    to[i] = (to_set ? to[i] : 0.0) + v;
  }
}

// Sum of column `c` of per-chunk partial sums, in chunk order.
double ChunkTotal(const Eigen::ArrayXXd& sums, Eigen::Index c) {
  double total = 0.0;
  for (Eigen::Index chunk = 0; chunk < sums.rows(); ++chunk) total += sums(chunk, c);
  return total;
}

}  // namespace

void Model::PrepareMixing(Workspace& ws) const {
  if (spec_.mobility.kind == MobilityKind::kCommuting) commuting_.Prepare(ws.seg, ws.commuting);
}

void Model::SharesOfForces(const State& y, Workspace& ws, Eigen::Index b, Eigen::Index n) const {
  if (spec_.mobility.kind != MobilityKind::kCommuting) return;
  const ProgramInputs in{ws.scalars.data(), ws.arrays.data()};
  auto scratch = ws.flow.segment(b, n);
  for (std::size_t f = 0; f < forces_.size(); ++f) {
    const CompiledForce& cf = forces_[f];
    // Column 2f: travelling infectious, 2f + 1: travelling present (both mix through p_ij).
    // The first term is assigned, the rest added: the sums of the built-in model, in order.
    auto s0 = ws.force_shares.row(Eigen::Index(2 * f)).segment(b, n).transpose();
    auto s1 = ws.force_shares.row(Eigen::Index(2 * f + 1)).segment(b, n).transpose();
    bool first = true;
    for (const auto& [c, w] : cf.infectious) {
      if (!spec_.compartments[c].travels) continue;
      if (first)
        s0 = w.Scalar(in) * y.Compartment(c).segment(b, n);
      else
        s0 += w.Scalar(in) * y.Compartment(c).segment(b, n);
      first = false;
    }
    if (first) s0.setZero();
    first = true;
    auto add_present = [&](double w) {
      if (first)
        s1 = w * scratch;
      else
        s1 += w * scratch;
      first = false;
    };
    if (cf.present.empty())
      for (int c : travelling_) {
        scratch = y.Compartment(c).segment(b, n);
        add_present(1.0);
      }
    for (const auto& [group, w] : cf.present) {
      if (!spec_.compartments[group.front()].travels) continue;
      scratch = y.Compartment(group.front()).segment(b, n);
      for (std::size_t k = 1; k < group.size(); ++k)
        scratch += y.Compartment(group[k]).segment(b, n);
      add_present(w.Scalar(in));
    }
    if (first) s1.setZero();
  }
}

void Model::LocalForces(const State& y, Workspace& ws, Eigen::Index b, Eigen::Index n) const {
  const ProgramInputs in{ws.scalars.data(), ws.arrays.data()};
  const bool commuting = spec_.mobility.kind == MobilityKind::kCommuting;
  auto travelling = [&](int c) { return commuting && spec_.compartments[c].travels; };
  const Segment& seg = ws.seg;
  auto infectious = ws.infectious.segment(b, n);
  auto pool = ws.pool.segment(b, n);
  auto scratch = ws.flow.segment(b, n);
  for (std::size_t f = 0; f < forces_.size(); ++f) {
    const CompiledForce& cf = forces_[f];
    const Eigen::Index local_col = Eigen::Index(2 * f);
    if (commuting) {
      // Both shares of an origin side by side: rows 2f and 2f + 1 of force_shares.
      commuting_.MixByDestination(ws.commuting, &ws.force_shares(local_col, 0),
                                  ws.force_shares.rows(), b, n, ws.mixed);
      infectious =
          ws.mixed.col(0).segment(b, n).array() +
          seg.stay.segment(b, n) * ws.force_shares.row(local_col).segment(b, n).transpose();
      pool = ws.mixed.col(1).segment(b, n).array() +
             seg.stay.segment(b, n) * ws.force_shares.row(local_col + 1).segment(b, n).transpose();
    } else {
      infectious.setZero();
      if (cf.present.empty())
        pool =
            Eigen::Map<const Eigen::ArrayXd>(ws.arrays[PopulationSlot()], Patches()).segment(b, n);
      else
        pool.setZero();
    }
    // A weight of 0 (leak_hospital) adds nothing: its pass is skipped.
    for (const auto& [c, w] : cf.infectious)
      if (const double weight = w.Scalar(in); !travelling(c) && weight != 0.0)
        infectious += weight * y.Compartment(c).segment(b, n);
    if (cf.present.empty() && commuting)
      for (int c = 0; c < Compartments(); ++c)
        if (!spec_.compartments[c].travels) pool += y.Compartment(c).segment(b, n);
    for (const auto& [group, w] : cf.present) {
      const double weight = w.Scalar(in);
      if (travelling(group.front()) || weight == 0.0) continue;
      scratch = y.Compartment(group.front()).segment(b, n);
      for (std::size_t k = 1; k < group.size(); ++k)
        scratch += y.Compartment(group[k]).segment(b, n);
      pool += weight * scratch;
    }
    auto contact_rate = ws.denominator.segment(b, n);
    if (!cf.rate.Evaluate(in, int(b), int(b + n), ws.denominator.data()))  // per patch
      contact_rate.setZero();
    auto local = ws.force.col(local_col).segment(b, n);
    local = (pool > 0.0).select(contact_rate * infectious / pool, 0.0);
    if (!commuting) ws.force.col(local_col + 1).segment(b, n) = local;
  }
}

void Model::FeltForces(Workspace& ws, Eigen::Index b, Eigen::Index n) const {
  if (spec_.mobility.kind != MobilityKind::kCommuting) return;
  const TripMatrix& travel = ws.seg.travel;
  for (std::size_t f = 0; f < forces_.size(); ++f) {
    // felt_i = sum_j p_ij L_j + p_ii L_i: a gather along the rows of the trips.
    const Eigen::Index local_col = Eigen::Index(2 * f);
    Commuting::Felt(travel, &ws.force(0, local_col), b, n, ws.flow.data());
    ws.force.col(local_col + 1).segment(b, n) =
        ws.flow.segment(b, n) + ws.seg.stay.segment(b, n) * ws.force.col(local_col).segment(b, n);
    // External trips: p_io L_out, L_out = outside contact rate x prevalence outside.
    const CompiledForce& cf = forces_[f];
    if (ws.seg.outside.size() == 0 || !cf.has_outside || ws.seg.outside_prevalence == 0.0) continue;
    const double l_out =
        cf.outside.Scalar({ws.scalars.data(), ws.arrays.data()}) * ws.seg.outside_prevalence;
    ws.force.col(local_col + 1).segment(b, n) += ws.seg.outside.segment(b, n) * l_out;
  }
}

void Model::PrepareStage(double t, const State& y, Workspace& ws, RkStage stage) const {
  const Network& net = data_.network;
  ws.checkpoint_rates.setZero();
  RouteCounterCache& held = ws.route_counters;
  if (stage.first) held.held_segment = -1;  // a step abandoned by an exception holds nothing
  if (held.held_segment >= 0 && interventions_.SegmentAt(t) != held.held_segment)
    route_counters_.CountHeld(interventions_, net, ws.seg, stage.weight, ws.workers, held,
                              ws.checkpoint_rates);  // in the segment that ends here
  interventions_.Prepare(net, t, ws.seg);
  const int p = Patches();
  for (int c = 0; c < Compartments(); ++c) ws.arrays[c] = y.Compartment(c).data();
  ws.arrays[PopulationSlot()] =
      HasPopulationState() ? y.Compartment(PopulationBlock()).data() : ws.total.data();
  ws.arrays[ContactSlot()] = ws.seg.contact.data();
  ws.arrays[ScreeningSlot()] = ws.seg.screening.data();
  const bool screened = spec_.screening.compartment >= 0 && !travelling_.empty();
  const bool count_free = Checkpoints() > 0 && screened;
  ws.scalars[std::size_t(time_slot_)] = t;
  // Totals per patch and partial sums per chunk: hospital compartments one by one, then
  // central; in the same pass the travelling shares of the forces, unless their weights
  // read admit or central_open (known only after this pass).
  const Eigen::Index hospital = Eigen::Index(hospital_.size());
  ws.stage_sums.resize(ChunkCount(p), hospital + 1);
  ForChunks(ws.workers, p, [&](int chunk, Eigen::Index b, Eigen::Index n) {
    if (!weights_read_flags_) SharesOfForces(y, ws, b, n);
    if (sums_population_) {
      auto total = ws.total.segment(b, n);
      total = y.Compartment(0).segment(b, n);
      for (int c = 1; c < Compartments(); ++c) total += y.Compartment(c).segment(b, n);
    }
    for (Eigen::Index h = 0; h < hospital; ++h)
      ws.stage_sums(chunk, h) = ChunkSum(y.Compartment(hospital_[std::size_t(h)]).data() + b, n);
    if (!central_.empty()) {
      auto central = ws.flow.segment(b, n);
      central = y.Compartment(central_.front()).segment(b, n);
      for (std::size_t k = 1; k < central_.size(); ++k)
        central += y.Compartment(central_[k]).segment(b, n);
      ws.stage_sums(chunk, hospital) = ChunkSum(central.data(), n);
    }
    if (count_free) {
      // Free travellers and those a screen can detect side by side, for the counters' gather.
      auto free = ws.free_detectable.row(0).segment(b, n).transpose();
      free = y.Compartment(travelling_.front()).segment(b, n);
      for (std::size_t k = 1; k < travelling_.size(); ++k)
        free += y.Compartment(travelling_[k]).segment(b, n);
      ws.free_detectable.row(1).segment(b, n) =
          y.Compartment(spec_.screening.compartment).segment(b, n).transpose();
    }
  });
  double in_hospital = 0.0;
  for (Eigen::Index h = 0; h < hospital; ++h) in_hospital += ChunkTotal(ws.stage_sums, h);
  const double central = central_.empty() ? 0.0 : ChunkTotal(ws.stage_sums, hospital);
  const Policies& pol = interventions_.Policy();
  const double admit = in_hospital < pol.beds ? 1.0 : 0.0;
  const double central_open = central < pol.central_capacity ? 1.0 : 0.0;
  ws.scalars[std::size_t(time_slot_) + 1] = admit;
  ws.scalars[std::size_t(time_slot_) + 2] = central_open;
  if (weights_read_flags_)
    ForChunks(ws.workers, p,
              [&](int, Eigen::Index b, Eigen::Index n) { SharesOfForces(y, ws, b, n); });
  // L of every force; what travellers feel (FeltForces) is made chunk by chunk later.
  PrepareMixing(ws);
  ForChunks(ws.workers, p, [&](int, Eigen::Index b, Eigen::Index n) { LocalForces(y, ws, b, n); });
  const ProgramInputs in{ws.scalars.data(), ws.arrays.data()};
  for (int n = 0; n < Transitions(); ++n) {
    const Program& rate = rates_[std::size_t(n)];
    const double*& of = ws.rate_of[std::size_t(n)];
    ws.scalar_rates[std::size_t(n)] = 0.0;
    if (n >= model_transitions_) {
      of = nullptr;  // a tracing move: PrepareTracing sets it
    } else if (!rate_per_patch_[std::size_t(n)]) {
      of = nullptr;
      ws.scalar_rates[std::size_t(n)] = rate.Scalar(in);
      if (ws.scalar_rates[std::size_t(n)] < -kRateTolerance)
        FailNegativeRate(n, t, ws.scalar_rates[std::size_t(n)], -1);
    } else if (rate.InputSlot() >= 0) {
      of = ws.arrays[std::size_t(rate.InputSlot())];  // a force of infection as it is
    } else {
      // An empty range tells whether the rate is switched off; chunks fill it in later.
      of = rate.Evaluate(in, 0, 0, &ws.rates(0, n)) ? &ws.rates(0, n) : nullptr;
    }
  }

  const double share = spec_.screening.compartment >= 0 ? screening_share_.Scalar(in) : 0.0;
  if (Checkpoints() > 0) TravellersAtCheckpoints(ws, share, count_free, stage);
  if (relocation_.Gated()) {
    relocation_.Gate(ws.day, ws.seg, ws.scale, net, ws.relocation);
    ws.checkpoint_rates += ws.relocation.counters;
  }
  // Travellers turned back on routes (imports turned back at the gates count as arrivals).
  ws.travel_turned_back =
      Checkpoints() > 0 ? ws.checkpoint_rates.col(kCheckpointTurnedBackCount).sum() : 0.0;
  if (spec_.arrivals.enabled) {
    // Arrivals change only with the segment, the beds, central isolation and the febrile
    // share.
    const std::array<double, 4> key{double(ws.seg.index), admit, central_open, share};
    if (key != ws.arrivals_key) {
      interventions_.ComputeArrivals(ws.seg, share, admit, central_open, ws.arrivals,
                                     ws.arrivals_zero,
                                     ws.count_checkpoints ? &ws.gate_rates : nullptr);
      ws.arrivals_key = key;
    }
    if (ws.count_checkpoints)
      for (const GateRate& g : ws.gate_rates)
        ws.checkpoint_rates(g.checkpoint, g.counter) += g.persons;
  }
  if (tracing_moves_ > 0) PrepareTracing(t, y, ws);
}

void Model::TravellersAtCheckpoints(Workspace& ws, double share, bool count_free,
                                    RkStage stage) const {
  const Network& net = data_.network;
  const bool external_counted = ws.seg.outside_trips > 0.0 && !net.gate_checkpoints.empty();
  if (!count_free || !ws.count_checkpoints || (net.route_checkpoints.empty() && !external_counted))
    return;
  RouteCounterCache& cache = ws.route_counters;
  if (stage.last && cache.held_segment < 0) {  // this stage alone: counted as it is
    route_counters_.Count(interventions_, net, ws.seg, ws.free_detectable, share, ws.workers, cache,
                          cache.counted);
    ws.checkpoint_rates += cache.counted;
    return;
  }
  route_counters_.Hold(ws.free_detectable, share, stage.weight, ws.seg.index, ws.workers, cache);
  if (stage.last)
    route_counters_.CountHeld(interventions_, net, ws.seg, stage.weight, ws.workers, cache,
                              ws.checkpoint_rates);
}

void Model::EvaluateRates(double t, const State& y, Workspace& ws) const {
  PrepareStage(t, y, ws);
  const bool check = ws.check_rates;
  ws.check_rates = false;
  const ProgramInputs in{ws.scalars.data(), ws.arrays.data()};
  ForChunks(ws.workers, Patches(), [&](int, Eigen::Index b, Eigen::Index n) {
    FeltForces(ws, b, n);
    for (int k = 0; k < Transitions(); ++k) {
      if (FilledPerChunk(ws, k))
        rates_[std::size_t(k)].Evaluate(in, int(b), int(b + n), &ws.rates(0, k));
      if (check) CheckRates(ws, k, t, b, n);
    }
  });
}

void Model::CheckRates(const Workspace& ws, int k, double t, Eigen::Index b, Eigen::Index n) const {
  const double* rate = ws.rate_of[std::size_t(k)];
  if (!rate || n <= 0) return;  // scalar rates are checked every stage, in PrepareStage
  Eigen::Index at = 0;
  const double low = Eigen::Map<const Eigen::ArrayXd>(rate + b, n).minCoeff(&at);
  if (low < -kRateTolerance) FailNegativeRate(k, t, low, int(b + at));
}

void Model::FailNegativeRate(int k, double t, double rate, int patch) const {
  const auto& tr = spec_.transitions[std::size_t(k)];
  std::ostringstream msg;
  // At "FILE:LINE:COL: transitions[n].rate" where the model file said it, else the file.
  msg << "transition " << spec_.compartments[std::size_t(tr.from)].name << " -> "
      << spec_.compartments[std::size_t(tr.to)].name << ", rate " << tr.rate.text << ": negative ("
      << rate << " per day) at t = " << t << " days";
  if (patch >= 0) msg << " in village " << data_.network.ids[std::size_t(patch)];
  msg << " (rates must stay >= 0 while the model runs)";
  throw InputError(tr.rate.where.file.empty() ? SourceRef{spec_.file} : tr.rate.where, msg.str());
}

const Eigen::ArrayXd& Model::MixRelocation(const State& y, Workspace& ws) const {
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
  const TripMatrix& moving = relocation_.Moving(ws.day, ws.relocation);
  ws.mixed.leftCols(k).noalias() = moving.transpose() * ws.shares.leftCols(k);
  return relocation_.Leaving(ws.day, ws.relocation);
}

void Model::AddRelocation(const State& y, State& dydt, Workspace& ws) const {
  if (relocation_.Empty()) return;
  const Eigen::ArrayXd& leaving = MixRelocation(y, ws);
  const Eigen::ArrayXd& arriving = relocation_.Arriving(ws.day, ws.relocation);
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
  if (relocation_.Empty() || !HasPopulationState()) return;
  const Eigen::ArrayXd& out = MixRelocation(y, ws);
  for (Eigen::Index c = 0; c < k; ++c) {
    arriving.col(c) = ws.scale * ws.mixed.col(c).array();
    leaving.col(c) = ws.scale * ws.shares.col(c).array() * out;
  }
  population = ws.scale * (relocation_.Arriving(ws.day, ws.relocation) - out);
}

void Model::Derivative(double t, const State& y, State& dydt, Workspace& ws, RkStage stage) const {
  PrepareStage(t, y, ws, stage);
  const int p = Patches();
  const int transitions = Transitions();
  const bool arrivals = spec_.arrivals.enabled && !ws.arrivals_zero;
  const ProgramInputs in{ws.scalars.data(), ws.arrays.data()};
  const bool check = ws.check_rates;
  ws.check_rates = false;
  // Per chunk: each transition's persons/day (columns < transitions), then each arrival category's.
  ws.flow_sums.resize(ChunkCount(p), transitions + kNumArrivalCategories + 1);
  const bool delayed = tracing_stages_ > 0;
  const bool traced = ws.tracing_on && !tracing_traced_flows_.empty();
  ForChunks(ws.workers, p, [&](int chunk, Eigen::Index b, Eigen::Index n) {
    FeltForces(ws, b, n);
    // The first term of a block is assigned, later ones added: what 0 + x would give,
    // without a pass that clears dy/dt first. Blocks no term reaches are cleared at the end.
    std::vector<char> touched(std::size_t(dydt.layout.blocks), 0);
    auto add = [&](int block, const auto& persons) {
      auto d = dydt.Compartment(block).segment(b, n);
      if (touched[std::size_t(block)]) {
        d += persons;
      } else {
        d = persons;
        touched[std::size_t(block)] = 1;
      }
    };
    auto flow = ws.flow.segment(b, n);
    for (int k = 0; k < transitions; ++k) {
      const auto [from, to] = Endpoints(k);
      const double* rate = ws.rate_of[std::size_t(k)];
      const double scalar = ws.scalar_rates[std::size_t(k)];
      if (SwitchedOff(ws, k)) continue;  // moves nobody
      if (FilledPerChunk(ws, k))
        rates_[std::size_t(k)].Evaluate(in, int(b), int(b + n), &ws.rates(0, k));
      if (check) CheckRates(ws, k, t, b, n);
      MoveFlow(rate ? rate + b : nullptr, scalar, y.Compartment(from).data() + b, flow.data(),
               dydt.Compartment(from).data() + b, touched[std::size_t(from)],
               dydt.Compartment(to).data() + b, touched[std::size_t(to)], n);
      touched[std::size_t(from)] = touched[std::size_t(to)] = 1;
      if (delayed && FeedsTracing(k)) add(TracingStageBlock(0), flow);
      const auto& flows = transition_flows_[std::size_t(k)];
      if (flows.empty()) continue;
      ws.flow_sums(chunk, k) = ChunkSum(flow.data(), n);
      for (int f : flows)
        if (FlowBlock(f) >= 0) add(FlowBlock(f), flow);
    }
    for (int c = 0; arrivals && c < kNumArrivalCategories; ++c) {
      const auto in_patch = ws.arrivals.col(c).segment(b, n);
      const int dest = ArrivalDestination(c);
      if (dest >= 0) add(dest, in_patch);
      if (delayed && ArrivalFeedsTracing(c)) add(TracingStageBlock(0), in_patch);
      const auto& flows = arrival_flows_[std::size_t(c)];
      if (flows.empty()) continue;
      ws.flow_sums(chunk, transitions + c) = ChunkSum(in_patch.data(), n);
      for (int f : flows)
        if (FlowBlock(f) >= 0) add(FlowBlock(f), in_patch);
    }
    // The tracing delay: Erlang stages, each left at stages / delay_days per day.
    for (int stage = 0; stage < tracing_stages_; ++stage) {
      const auto leaving = tracing_pass_on_ * y.Compartment(TracingStageBlock(stage)).segment(b, n);
      add(TracingStageBlock(stage), -leaving);
      if (stage + 1 < tracing_stages_) add(TracingStageBlock(stage + 1), leaving);
    }
    if (traced) {
      const auto contacts = ws.tracing.col(tracing_moves_).segment(b, n);
      ws.flow_sums(chunk, transitions + kNumArrivalCategories) = ChunkSum(contacts.data(), n);
      for (int f : tracing_traced_flows_)
        if (FlowBlock(f) >= 0) add(FlowBlock(f), contacts);
    }
    for (int block = 0; block < dydt.layout.blocks; ++block)
      if (!touched[std::size_t(block)]) dydt.Compartment(block).segment(b, n).setZero();
  });
  const Eigen::Index patch_values = dydt.layout.RegionCounterOffset();
  dydt.values.tail(dydt.values.size() - patch_values).setZero();
  for (int k = 0; k < transitions; ++k) {
    const auto& flows = transition_flows_[std::size_t(k)];
    if (flows.empty() || SwitchedOff(ws, k)) continue;
    const double total = ChunkTotal(ws.flow_sums, k);
    for (int f : flows) dydt.Region(FlowCounter(f)) += total;
  }
  for (int c = 0; arrivals && c < kNumArrivalCategories; ++c) {
    const auto& flows = arrival_flows_[std::size_t(c)];
    if (flows.empty()) continue;
    const double total = ChunkTotal(ws.flow_sums, transitions + c);
    for (int f : flows) dydt.Region(FlowCounter(f)) += total;
  }
  if (traced) {
    const double total = ChunkTotal(ws.flow_sums, transitions + kNumArrivalCategories);
    for (int f : tracing_traced_flows_) dydt.Region(FlowCounter(f)) += total;
  }
  for (int c = 0; c < kNumCheckpointCounters; ++c) dydt.Checkpoints(c) = ws.checkpoint_rates.col(c);
  for (int f : checkpoint_flows_) dydt.Region(FlowCounter(f)) += ws.travel_turned_back;
  if (spec_.mobility.kind == MobilityKind::kRelocation) AddRelocation(y, dydt, ws);
}

}  // namespace cordon::sim
