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

}  // namespace

int ImportDestination(int category) {
  static constexpr int kDest[kNumArrivalCategories] = {-1,  kS,  kE,  kI,  kSh, kEh,
                                                       kIh, kSc, kEc, kIc, kH,  kIh};
  return kDest[category];
}

Model::Model(ModelInputs inputs) : in_(std::move(inputs)), transitions_(DefaultTransitions()) {
  Network& net = in_.network;
  if (net.route_offsets.empty()) SetEmptyRoutes(net);
  net.Validate();
  in_.disease.Validate();
  interventions_ = Interventions(net, in_.policies, in_.imports, in_.disease.visit_days);

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
  ws.seg = interventions_.MakeSegment(in_.network);
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
  ws.import_flow = Eigen::ArrayXXd::Zero(p, kNumArrivalCategories);
  ws.import_flow_zero = true;
  ws.checkpoint_rates = Eigen::ArrayXXd::Zero(k, kNumCheckpointCounters);
  ws.flow = Eigen::ArrayXd::Zero(p);
  return ws;
}

void Model::EvaluateRates(double t, const State& y, Workspace& ws) const {
  interventions_.Prepare(in_.network, t, ws.seg);
  const Segment& seg = ws.seg;
  const Disease& dis = in_.disease;
  const auto S = y.Compartment(kS), E = y.Compartment(kE), I = y.Compartment(kI),
             R = y.Compartment(kR);
  const auto Sh = y.Compartment(kSh), Eh = y.Compartment(kEh), Ih = y.Compartment(kIh);
  const auto Sc = y.Compartment(kSc), Ec = y.Compartment(kEc), Ic = y.Compartment(kIc);
  const auto H = y.Compartment(kH);

  ws.free = S + E + I + R;
  ws.infectious_free.col(0) = I.matrix();
  ws.infectious_free.col(1) = ws.free.matrix();
  ws.mixed.noalias() = seg.travel.transpose() * ws.infectious_free;

  const double eh = dis.leak_home, ec = dis.leak_central, eH = dis.leak_hospital;
  // force = I*, flow = N* (reusing buffers; no allocation).
  ws.force = ws.mixed.col(0).array() + seg.stay * I + eh * Ih + ec * Ic + eH * H;
  ws.flow = ws.mixed.col(1).array() + seg.stay * ws.free + eh * (Sh + Eh + Ih) +
            ec * (Sc + Ec + Ic) + eH * H;
  ws.force = (ws.flow > 0.0).select(beta_ * seg.contact * ws.force / ws.flow, 0.0);

  ws.flow.matrix().noalias() = seg.travel * ws.force.matrix();
  ws.patch_rates.col(kLambda) = ws.flow + seg.stay * ws.force;
  ws.patch_rates.col(kLambdaHome) = eh * ws.force;
  ws.patch_rates.col(kLambdaCentral) = ec * ws.force;
  ws.patch_rates.col(kDetect) = dis.febrile_fraction * (dis.detect_rate + seg.screening);

  const double admit = H.sum() < in_.policies.beds ? 1.0 : 0.0;
  const double central_open = (Sc + Ec + Ic).sum() < in_.policies.central_capacity ? 1.0 : 0.0;
  const double f_dq = dis.febrile_fraction * dis.detect_rate_isolated;
  ws.transition_scale[kIToH] = admit;
  ws.transition_scale[kIToIh] = 1.0 - admit;
  ws.transition_scale[kIhToH] = admit * f_dq;
  ws.transition_scale[kIcToH] = admit * f_dq;

  if (Checkpoints() > 0) {
    ws.checkpoint_rates.setZero();
    interventions_.AddCheckpointRates(in_.network, seg, ws.free, I, dis.febrile_fraction,
                                      ws.checkpoint_rates);
  }
  interventions_.ComputeArrivals(in_.network, seg, dis.febrile_fraction, admit, central_open,
                                 ws.import_flow, ws.import_flow_zero, ws.checkpoint_rates);
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
    for (int c = 0; c < kNumArrivalCategories; ++c) {
      const int dest = ImportDestination(c);
      const double total = ws.import_flow.col(c).sum();
      if (dest >= 0) {
        dydt.Compartment(dest) += ws.import_flow.col(c);
        imports += total;
      } else {
        turned_back += total;
      }
      if (c == kArrivalDetectedAdmitted || c == kArrivalDetectedOverflow) detections += total;
      if (c == kArrivalDetectedOverflow) overflow += total;
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
