// SPDX-License-Identifier: Apache-2.0
#include "cordon/sim/model.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "cordon/base/error.hpp"

namespace cordon::sim {
namespace {

// Columns of Workspace::patch_rates.
enum PatchRate : int { kLambda, kLambdaHome, kLambdaCentral, kDetect, kNumPatchRates };

// Indices of the transitions whose scale depends on admission a.
enum AdmissionTransition : int { kIToH = 3, kIToIh = 4, kIhToH = 8, kIcToH = 12 };

std::vector<Transition> DefaultTransitions() {
  // Order matters only for the admission indices above.
  return {
      {kS, kE, kLambda, true, false, false},           // 0
      {kE, kI, -1},                                    // 1 sigma
      {kI, kR, -1},                                    // 2 gamma
      {kI, kH, kDetect, false, true, false},           // 3 a * det
      {kI, kIh, kDetect, false, true, true},           // 4 (1 - a) * det
      {kSh, kEh, kLambdaHome, true, false, false},     // 5
      {kEh, kIh, -1},                                  // 6 sigma
      {kIh, kR, -1},                                   // 7 gamma
      {kIh, kH, -1, false, true, false},               // 8 a f delta_q
      {kSc, kEc, kLambdaCentral, true, false, false},  // 9
      {kEc, kIc, -1},                                  // 10 sigma
      {kIc, kR, -1},                                   // 11 gamma
      {kIc, kH, -1, false, true, false},               // 12 a f delta_q
      {kSh, kS, -1},                                   // 13 omega
      {kEh, kE, -1},                                   // 14 omega
      {kSc, kS, -1},                                   // 15 omega
      {kEc, kE, -1},                                   // 16 omega
      {kH, kR, -1},                                    // 17 gamma_H
  };
}

// 1 - prod(1 - c) over the active coverage policies.
double CombinedCoverage(const std::vector<CoveragePolicy>& policies, double t) {
  double keep = 1.0;
  for (const auto& p : policies)
    if (p.active.Contains(t)) keep *= 1.0 - p.coverage;
  return 1.0 - keep;
}

void AddWindow(std::vector<double>& times, const TimeWindow& w) {
  times.push_back(w.start_day);
  if (std::isfinite(w.end_day)) times.push_back(w.end_day);
}

}  // namespace

int ImportDestination(int category) {
  static constexpr int kDest[kNumImportCategories] = {-1,  kS,  kE,  kI,  kSh, kEh,
                                                      kIh, kSc, kEc, kIc, kH,  kIh};
  return kDest[category];
}

Model::Model(ModelInputs inputs) : in_(std::move(inputs)), transitions_(DefaultTransitions()) {
  Network& net = in_.network;
  if (net.route_offsets.empty()) SetEmptyRoutes(net);
  net.Validate();
  in_.disease.Validate();
  in_.policies.Validate(net.Patches());
  for (const auto& s : in_.imports) s.Validate(net.Patches(), Checkpoints());

  const Disease& d = in_.disease;
  sigma_ = 1.0 / d.latent_days;
  gamma_ = 1.0 / d.infectious_days;
  omega_ = 1.0 / d.isolation_days;
  gamma_h_ = 1.0 / d.hospital_days;
  beta_ = d.Beta();

  // p_ii >= 0 must hold for every switch state; pass <= 1, so check it with pass = 1.
  for (int i = 0; i < net.Patches(); ++i) {
    const double away = d.visit_days * net.trips.row(i).sum();
    if (away > 1.0 + 1e-12) {
      std::ostringstream msg;
      msg << "village " << net.ids[i] << ": visit_days * trips per person per day = " << away
          << " > 1, so the share of time at home p_ii would be negative";
      throw InputError(msg.str());
    }
  }
  for (const auto& s : in_.seeds) {
    if (s.patch < 0 || s.patch >= net.Patches())
      throw InputError("seed_infections: bad village index");
    if (s.exposed < 0 || s.infectious < 0 ||
        s.exposed + s.infectious > net.population[s.patch] + 1e-9)
      throw InputError("seed_infections: village " + net.ids[s.patch] +
                       ": seeds must be >= 0 and at most its population");
  }

  for (const auto& c : net.checkpoints) AddWindow(switch_times_, c.active);
  for (const auto& c : in_.policies.contact_reductions) AddWindow(switch_times_, c.active);
  for (const auto* list : {&in_.policies.home_isolation, &in_.policies.central_isolation,
                           &in_.policies.essential_flows})
    for (const auto& c : *list) AddWindow(switch_times_, c.active);
  for (const auto& s : in_.imports) AddWindow(switch_times_, s.active);
  std::sort(switch_times_.begin(), switch_times_.end());
  switch_times_.erase(std::unique(switch_times_.begin(), switch_times_.end()), switch_times_.end());
}

State Model::InitialState(bool round) const {
  State y(Layout());
  const Network& net = in_.network;
  y.Compartment(kS) = round ? net.population.round() : net.population;
  for (const auto& s : in_.seeds) {
    const double e = round ? std::round(s.exposed) : s.exposed;
    const double i = round ? std::round(s.infectious) : s.infectious;
    const double moved = std::min(e + i, y.Compartment(kS)[s.patch]);
    const double e_moved = std::min(e, moved);
    y.Compartment(kS)[s.patch] -= moved;
    y.Compartment(kE)[s.patch] += e_moved;
    y.Compartment(kI)[s.patch] += moved - e_moved;
  }
  return y;
}

Eigen::ArrayXd Model::SeededPerPatch() const {
  State y0 = InitialState(false);
  Eigen::ArrayXd seeded = y0.Compartment(kE) + y0.Compartment(kI);
  return seeded;
}

Workspace Model::MakeWorkspace() const {
  const int p = Patches();
  const int k = Checkpoints();
  Workspace ws;
  ws.travel = in_.network.trips;
  ws.stay = Eigen::ArrayXd::Ones(p);
  ws.travel_detect = Eigen::ArrayXd::Zero(p);
  ws.contact = Eigen::ArrayXd::Ones(p);
  const std::size_t entries = in_.network.route_checkpoints.size();
  ws.reached_coef.assign(entries, 0.0);
  ws.blocked_coef.assign(entries, 0.0);
  ws.detected_coef.assign(entries, 0.0);
  ws.import_active.assign(in_.imports.size(), 0);
  ws.checkpoint_active.assign(k, 0);
  ws.checkpoint_block.assign(k, 0.0);
  ws.checkpoint_screen.assign(k, 0.0);
  ws.free = Eigen::ArrayXd::Zero(p);
  ws.infectious_free.setZero(p, 2);
  ws.mixed.setZero(p, 2);
  ws.force = Eigen::ArrayXd::Zero(p);
  ws.patch_rates = Eigen::ArrayXXd::Zero(p, kNumPatchRates);
  ws.transition_scale.resize(transitions_.size(), 1.0);
  const double f_dq = in_.disease.febrile_fraction * in_.disease.detect_rate_isolated;
  for (std::size_t t = 0; t < transitions_.size(); ++t) {
    const Transition& tr = transitions_[t];
    double s = 1.0;
    if (tr.rate_column < 0) {
      if (tr.to == kR)
        s = tr.from == kH ? gamma_h_ : gamma_;
      else if (tr.to == kH)
        s = f_dq;
      else if (tr.from == kE || tr.from == kEh || tr.from == kEc)
        s = (tr.to == kE) ? omega_ : sigma_;
      else
        s = omega_;  // Sh, Sc -> S
    }
    ws.transition_scale[t] = s;
  }
  ws.import_flow = Eigen::ArrayXXd::Zero(p, kNumImportCategories);
  ws.import_flow_zero = true;
  ws.checkpoint_rates = Eigen::ArrayXXd::Zero(k, kNumCheckpointCounters);
  ws.flow = Eigen::ArrayXd::Zero(p);
  return ws;
}

void Model::PrepareSegment(double t, Workspace& ws) const {
  const int segment = static_cast<int>(
      std::upper_bound(switch_times_.begin(), switch_times_.end(), t) - switch_times_.begin());
  if (segment == ws.segment) return;
  ws.segment = segment;

  const Network& net = in_.network;
  const Policies& pol = in_.policies;
  ws.essential = CombinedCoverage(pol.essential_flows, t);
  ws.home_coverage = CombinedCoverage(pol.home_isolation, t);
  ws.central_coverage = CombinedCoverage(pol.central_isolation, t);
  const double e = ws.essential;

  ws.contact.setOnes();
  for (const auto& c : pol.contact_reductions) {
    if (!c.active.Contains(t)) continue;
    if (c.patches.empty()) ws.contact *= c.multiplier;
    for (int i : c.patches) ws.contact[i] *= c.multiplier;
  }
  for (std::size_t s = 0; s < in_.imports.size(); ++s)
    ws.import_active[s] = in_.imports[s].active.Contains(t);

  const int k_count = Checkpoints();
  std::vector<double>& block = ws.checkpoint_block;
  std::vector<double>& screen = ws.checkpoint_screen;
  std::vector<char>& active = ws.checkpoint_active;
  for (int k = 0; k < k_count; ++k) {
    const Checkpoint& c = net.checkpoints[k];
    active[k] = c.active.Contains(t);
    block[k] = active[k] ? c.block : 0.0;
    screen[k] = active[k] ? c.screen : 0.0;
  }

  const double d = in_.disease.visit_days;
  const int* offsets = net.route_offsets.data();
  const double* r = net.trips.valuePtr();
  double* p_out = ws.travel.valuePtr();
  for (int i = 0; i < net.Patches(); ++i) {
    double away = 0.0, detect = 0.0;
    for (int p = net.trips.outerIndexPtr()[i]; p < net.trips.outerIndexPtr()[i + 1]; ++p) {
      double keep = 1.0, unseen = 1.0;
      for (int m = offsets[p]; m < offsets[p + 1]; ++m) {
        const int k = net.route_checkpoints[m];
        ws.reached_coef[m] = active[k] ? e + (1.0 - e) * keep : 0.0;
        ws.blocked_coef[m] = (1.0 - e) * keep * block[k];
        ws.detected_coef[m] = unseen * screen[k];  // times pass, below
        keep *= 1.0 - block[k];
        unseen *= 1.0 - screen[k];
      }
      const double pass = e + (1.0 - e) * keep;
      for (int m = offsets[p]; m < offsets[p + 1]; ++m) ws.detected_coef[m] *= pass;
      p_out[p] = d * r[p] * pass;
      away += p_out[p];
      detect += r[p] * pass * (1.0 - unseen);
    }
    ws.stay[i] = 1.0 - away;
    ws.travel_detect[i] = detect;
  }
}

void Model::EvaluateRates(double t, const State& y, Workspace& ws) const {
  PrepareSegment(t, ws);
  const Disease& dis = in_.disease;
  const auto S = y.Compartment(kS), E = y.Compartment(kE), I = y.Compartment(kI),
             R = y.Compartment(kR);
  const auto Sh = y.Compartment(kSh), Eh = y.Compartment(kEh), Ih = y.Compartment(kIh);
  const auto Sc = y.Compartment(kSc), Ec = y.Compartment(kEc), Ic = y.Compartment(kIc);
  const auto H = y.Compartment(kH);

  ws.free = S + E + I + R;
  ws.infectious_free.col(0) = I.matrix();
  ws.infectious_free.col(1) = ws.free.matrix();
  ws.mixed.noalias() = ws.travel.transpose() * ws.infectious_free;

  const double eh = dis.leak_home, ec = dis.leak_central, eH = dis.leak_hospital;
  // force = I*, flow = N* (reusing buffers; no allocation).
  ws.force = ws.mixed.col(0).array() + ws.stay * I + eh * Ih + ec * Ic + eH * H;
  ws.flow = ws.mixed.col(1).array() + ws.stay * ws.free + eh * (Sh + Eh + Ih) +
            ec * (Sc + Ec + Ic) + eH * H;
  ws.force = (ws.flow > 0.0).select(beta_ * ws.contact * ws.force / ws.flow, 0.0);

  ws.flow.matrix().noalias() = ws.travel * ws.force.matrix();
  ws.patch_rates.col(kLambda) = ws.flow + ws.stay * ws.force;
  ws.patch_rates.col(kLambdaHome) = eh * ws.force;
  ws.patch_rates.col(kLambdaCentral) = ec * ws.force;
  ws.patch_rates.col(kDetect) = dis.febrile_fraction * (dis.detect_rate + ws.travel_detect);

  const double admit = H.sum() < in_.policies.beds ? 1.0 : 0.0;
  const double central_open = (Sc + Ec + Ic).sum() < in_.policies.central_capacity ? 1.0 : 0.0;
  const double f_dq = dis.febrile_fraction * dis.detect_rate_isolated;
  ws.transition_scale[kIToH] = admit;
  ws.transition_scale[kIToIh] = 1.0 - admit;
  ws.transition_scale[kIhToH] = admit * f_dq;
  ws.transition_scale[kIcToH] = admit * f_dq;

  ComputeCheckpointRates(y, ws);
  ComputeImports(admit, central_open, ws);
}

void Model::ComputeCheckpointRates(const State& y, Workspace& ws) const {
  if (Checkpoints() == 0) return;
  ws.checkpoint_rates.setZero();
  const Network& net = in_.network;
  if (net.route_checkpoints.empty()) return;
  const auto I = y.Compartment(kI);
  const double f = in_.disease.febrile_fraction;
  const int* offsets = net.route_offsets.data();
  const double* r = net.trips.valuePtr();
  auto monitored = ws.checkpoint_rates.col(kMonitoredCount);
  auto turned_back = ws.checkpoint_rates.col(kCheckpointTurnedBackCount);
  auto detected = ws.checkpoint_rates.col(kCheckpointDetectedCount);
  for (int i = 0; i < net.Patches(); ++i) {
    const double fi = ws.free[i], ii = f * I[i];
    for (int p = net.trips.outerIndexPtr()[i]; p < net.trips.outerIndexPtr()[i + 1]; ++p) {
      const double attempted = r[p] * fi, febrile = r[p] * ii;
      for (int m = offsets[p]; m < offsets[p + 1]; ++m) {
        const int k = net.route_checkpoints[m];
        monitored[k] += ws.reached_coef[m] * attempted;
        turned_back[k] += ws.blocked_coef[m] * attempted;
        detected[k] += ws.detected_coef[m] * febrile;
      }
    }
  }
}

void Model::ComputeImports(double admit, double central_open, Workspace& ws) const {
  if (!ws.import_flow_zero) {
    ws.import_flow.setZero();
    ws.import_flow_zero = true;
  }
  const Network& net = in_.network;
  const double e = ws.essential;
  const double f = in_.disease.febrile_fraction;
  for (std::size_t s = 0; s < in_.imports.size(); ++s) {
    if (!ws.import_active[s]) continue;
    const ImportStream& stream = in_.imports[s];
    ws.import_flow_zero = false;
    for (std::size_t n = 0; n < stream.patches.size(); ++n) {
      const int i = stream.patches[n];
      const double iota = stream.per_day[n];
      if (iota <= 0.0) continue;
      // Gate checkpoints, met in order, as travellers on a route.
      double keep = 1.0, unseen = 1.0, not_isolated = 1.0;
      const bool gated = !stream.gate_offsets.empty();
      const int first = gated ? stream.gate_offsets[n] : 0;
      const int last = gated ? stream.gate_offsets[n + 1] : 0;
      for (int m = first; m < last; ++m) {
        const int k = stream.gate_checkpoints[m];
        if (!ws.checkpoint_active[k]) continue;
        const Checkpoint& c = net.checkpoints[k];
        ws.checkpoint_rates(k, kMonitoredCount) += iota * (e + (1.0 - e) * keep);
        ws.checkpoint_rates(k, kCheckpointTurnedBackCount) += iota * (1.0 - e) * keep * c.block;
        keep *= 1.0 - c.block;
        unseen *= 1.0 - c.screen;
        not_isolated *= 1.0 - c.isolate;
      }
      const double pass = e + (1.0 - e) * keep;
      const double arriving = iota * pass;
      // Detections are credited to the first gate checkpoint that screens the arrival.
      double still_unseen = 1.0;
      for (int m = first; m < last; ++m) {
        const int k = stream.gate_checkpoints[m];
        if (!ws.checkpoint_active[k]) continue;
        const double screen = net.checkpoints[k].screen;
        ws.checkpoint_rates(k, kCheckpointDetectedCount) +=
            arriving * stream.infectious * f * still_unseen * screen;
        still_unseen *= 1.0 - screen;
      }
      const double q = 1.0 - unseen;
      const double s_in = arriving * (1.0 - stream.exposed - stream.infectious);
      const double e_in = arriving * stream.exposed;
      const double i_all = arriving * stream.infectious;
      const double detected = i_all * f * q;
      const double i_in = i_all - detected;
      const double iso = 1.0 - (1.0 - ws.home_coverage) * not_isolated;
      const double central = std::min(ws.central_coverage, 1.0 - iso);
      const double home = iso + (central_open > 0.0 ? 0.0 : central);
      const double to_central = central_open > 0.0 ? central : 0.0;
      const double free_share = 1.0 - iso - central;
      auto row = ws.import_flow.row(i);
      row[kImportTurnedBack] += iota - arriving;
      row[kImportS] += s_in * free_share;
      row[kImportE] += e_in * free_share;
      row[kImportI] += i_in * free_share;
      row[kImportSh] += s_in * home;
      row[kImportEh] += e_in * home;
      row[kImportIh] += i_in * home;
      row[kImportSc] += s_in * to_central;
      row[kImportEc] += e_in * to_central;
      row[kImportIc] += i_in * to_central;
      row[admit > 0.0 ? kImportDetectedH : kImportDetectedIh] += detected;
    }
  }
}

void Model::Derivative(double t, const State& y, State& dydt, Workspace& ws) const {
  EvaluateRates(t, y, ws);
  dydt.values.setZero();
  double incidence = 0.0, detections = 0.0, overflow = 0.0;
  for (std::size_t n = 0; n < transitions_.size(); ++n) {
    const Transition& tr = transitions_[n];
    const double scale = ws.transition_scale[n];
    if (scale == 0.0) continue;
    if (tr.rate_column < 0)
      ws.flow = scale * y.Compartment(tr.from);
    else
      ws.flow = scale * ws.patch_rates.col(tr.rate_column) * y.Compartment(tr.from);
    dydt.Compartment(tr.from) -= ws.flow;
    dydt.Compartment(tr.to) += ws.flow;
    if (tr.incidence || tr.detection) {
      const double total = ws.flow.sum();
      if (tr.incidence) {
        dydt.PatchIncidence() += ws.flow;
        incidence += total;
      }
      if (tr.detection) detections += total;
      if (tr.overflow) overflow += total;
    }
  }
  double imports = 0.0, turned_back = 0.0;
  if (!ws.import_flow_zero) {
    for (int c = 0; c < kNumImportCategories; ++c) {
      const int dest = ImportDestination(c);
      const double total = ws.import_flow.col(c).sum();
      if (dest >= 0) {
        dydt.Compartment(dest) += ws.import_flow.col(c);
        imports += total;
      } else {
        turned_back += total;
      }
      if (c == kImportDetectedH || c == kImportDetectedIh) detections += total;
      if (c == kImportDetectedIh) overflow += total;
    }
  }
  for (int c = 0; c < kNumCheckpointCounters; ++c) dydt.Checkpoints(c) = ws.checkpoint_rates.col(c);
  if (Checkpoints() > 0) turned_back += ws.checkpoint_rates.col(kCheckpointTurnedBackCount).sum();
  dydt.Region(kIncidenceCount) = incidence;
  dydt.Region(kDetectionCount) = detections;
  dydt.Region(kImportCount) = imports;
  dydt.Region(kTurnedBackCount) = turned_back;
  dydt.Region(kOverflowCount) = overflow;
}

}  // namespace cordon::sim
