// SPDX-License-Identifier: Apache-2.0
#include "cordon/sim/interventions.hpp"

#include <algorithm>
#include <cmath>

namespace cordon::sim {
namespace {

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

// Sets `m` to the product of the multipliers of `policies` active at t (days).
void MultiplyActive(const std::vector<PatchMultiplier>& policies, double t, Eigen::ArrayXd& m) {
  m.setOnes();
  for (const auto& c : policies) {
    if (!c.active.Contains(t)) continue;
    if (c.patches.empty()) m *= c.multiplier;
    for (int i : c.patches) m[i] *= c.multiplier;
  }
}

// A route's checkpoints met in order: entries m = first, first + step, ... up to `last`
// (excluded) of `checkpoint`. Sets their three coefficients (Segment::route_coef: reached,
// turned back, detected with the pass still to be multiplied in) and returns the route's pass
// and the share of sick travellers no screen detects.
struct RouteWalk {
  double pass = 1.0, unseen = 1.0;
};
RouteWalk WalkRoute(const int* checkpoint, int first, int last, int step, const Segment& seg,
                    double* coef) {
  const double e = seg.essential;
  double keep = 1.0, unseen = 1.0;
  for (int m = first; m != last; m += step) {
    const int k = checkpoint[m];
    const double block = seg.checkpoint_block[k];
    coef[3 * m] = seg.checkpoint_active[k] ? e + (1.0 - e) * keep : 0.0;
    coef[3 * m + 1] = (1.0 - e) * keep * block;
    coef[3 * m + 2] = unseen * seg.checkpoint_screen[k];
    keep *= 1.0 - block;
    unseen *= 1.0 - seg.checkpoint_screen[k];
  }
  return {e + (1.0 - e) * keep, unseen};
}

}  // namespace

Interventions::Interventions(const Network& net, Policies policies,
                             std::vector<ImportStream> imports, double visit_days,
                             ExternalTrips external)
    : policies_(std::move(policies)),
      imports_(std::move(imports)),
      visit_days_(visit_days),
      external_(std::move(external)) {
  policies_.Validate(net.Patches());
  external_.Validate();
  if (external_.Enabled()) {
    AddWindow(switch_times_, external_.active);
    for (double day : external_.prevalence_days) switch_times_.push_back(day);
  }
  for (const auto& s : imports_) s.Validate(net.Patches(), int(net.checkpoints.size()));
  for (const auto& c : net.checkpoints) AddWindow(switch_times_, c.active);
  for (const auto* list : {&policies_.contact_reductions, &policies_.travel_reductions})
    for (const auto& c : *list) AddWindow(switch_times_, c.active);
  for (const auto* list :
       {&policies_.home_isolation, &policies_.central_isolation, &policies_.essential_flows})
    for (const auto& c : *list) AddWindow(switch_times_, c.active);
  for (const auto& s : imports_) AddWindow(switch_times_, s.active);
  std::sort(switch_times_.begin(), switch_times_.end());
  switch_times_.erase(std::unique(switch_times_.begin(), switch_times_.end()), switch_times_.end());
}

Segment Interventions::MakeSegment(const Network& net) const {
  const int p = net.Patches();
  const int k = static_cast<int>(net.checkpoints.size());
  Segment seg;
  seg.travel = net.trips;
  seg.stay = Eigen::ArrayXd::Ones(p);
  seg.screening = Eigen::ArrayXd::Zero(p);
  seg.contact = Eigen::ArrayXd::Ones(p);
  seg.attempting = Eigen::ArrayXd::Ones(p);
  const std::size_t entries = net.route_checkpoints.size();
  seg.route_coef.assign(3 * entries, 0.0);
  seg.pass.assign(std::size_t(net.trips.nonZeros()), 1.0);
  if (external_.Enabled()) {
    seg.outside = Eigen::ArrayXd::Zero(p);
    seg.gate_coef.assign(3 * net.gate_checkpoints.size(), 0.0);
  }
  seg.import_active.assign(imports_.size(), 0);
  seg.checkpoint_active.assign(k, 0);
  seg.checkpoint_block.assign(k, 0.0);
  seg.checkpoint_screen.assign(k, 0.0);
  seg.checkpoint_isolate.assign(k, 0.0);
  seg.unstaffed.assign(k, 0);
  return seg;
}

int Interventions::SegmentAt(double t) const {
  return static_cast<int>(std::upper_bound(switch_times_.begin(), switch_times_.end(), t) -
                          switch_times_.begin());
}

void Interventions::Prepare(const Network& net, double t, Segment& seg) const {
  const int segment = SegmentAt(t);
  if (segment == seg.index) return;
  seg.index = segment;

  const Policies& pol = policies_;
  seg.essential = CombinedCoverage(pol.essential_flows, t);
  seg.home_coverage = CombinedCoverage(pol.home_isolation, t);
  seg.central_coverage = CombinedCoverage(pol.central_isolation, t);

  MultiplyActive(pol.contact_reductions, t, seg.contact);
  MultiplyActive(pol.travel_reductions, t, seg.attempting);
  for (std::size_t s = 0; s < imports_.size(); ++s)
    seg.import_active[s] = imports_[s].active.Contains(t);

  const int k_count = static_cast<int>(net.checkpoints.size());
  std::vector<double>& block = seg.checkpoint_block;
  std::vector<double>& screen = seg.checkpoint_screen;
  std::vector<char>& active = seg.checkpoint_active;
  for (int k = 0; k < k_count; ++k) {
    const Checkpoint& c = net.checkpoints[k];
    active[k] = c.active.Contains(t);
    const bool staffed = active[k] && !seg.unstaffed[k];
    block[k] = staffed ? c.block : 0.0;
    screen[k] = staffed ? c.screen : 0.0;
    seg.checkpoint_isolate[k] = staffed ? c.isolate : 0.0;
  }

  const double d = visit_days_;
  const int* offsets = net.route_offsets.data();
  const double* r = net.trips.valuePtr();
  double* p_out = seg.travel.valuePtr();
  double* coef = seg.route_coef.data();
  for (int i = 0; i < net.Patches(); ++i) {
    double away = 0.0, detect = 0.0;
    const double u = seg.attempting[i];
    for (int p = net.trips.outerIndexPtr()[i]; p < net.trips.outerIndexPtr()[i + 1]; ++p) {
      const auto [pass, unseen] =
          WalkRoute(net.route_checkpoints.data(), offsets[p], offsets[p + 1], 1, seg, coef);
      seg.pass[p] = pass;
      for (int m = offsets[p]; m < offsets[p + 1]; ++m) coef[3 * m + 2] *= pass;
      const double attempted = r[p] * u;
      p_out[p] = d * attempted * pass;
      away += p_out[p];
      detect += attempted * pass * (1.0 - unseen);
    }
    seg.stay[i] = 1.0 - away;
    seg.screening[i] = detect;
  }
  if (external_.Enabled()) PrepareExternal(net, t, seg);
}

void Interventions::PrepareExternal(const Network& net, double t, Segment& seg) const {
  const bool on = external_.active.Contains(t);
  seg.outside_prevalence = on ? external_.PrevalenceAt(t) : 0.0;
  seg.outside_trips = on ? external_.per_day : 0.0;
  const double x = seg.outside_trips;
  double* coef = seg.gate_coef.data();
  for (int i = 0; i < net.Patches(); ++i) {
    // Out through the gate route (its entries in reverse), then back in through all of it.
    const int first = net.HasGates() ? net.gate_offsets[i] : 0;
    const int last = net.HasGates() ? net.gate_offsets[i + 1] : 0;
    const auto [pass, unseen] =
        WalkRoute(net.gate_checkpoints.data(), last - 1, first - 1, -1, seg, coef);
    for (int m = first; m < last; ++m) {
      if (seg.checkpoint_active[net.gate_checkpoints[m]]) coef[3 * m] += pass;
      coef[3 * m + 2] *= pass;
    }
    const double attempted = x * seg.attempting[i];
    seg.outside[i] = visit_days_ * attempted * pass;
    seg.stay[i] -= seg.outside[i];
    seg.screening[i] += attempted * pass * (1.0 - unseen);
  }
}

void Interventions::CheckpointRatesOfPatches(const Network& net, const RoutedPairs& routed,
                                             const Segment& seg,
                                             const Eigen::ArrayXXd& free_detectable, double febrile,
                                             int begin, int count, double* block) const {
  std::fill(block, block + 3 * net.checkpoints.size(), 0.0);
  const double* coef = seg.route_coef.data();
  const double* r = routed.trips.data();
  const int* routes = routed.routes.data();
  const int* checkpoint = net.route_checkpoints.data();
  const bool gates = seg.outside_trips != 0.0 && net.HasGates();
  // An inactive checkpoint's coefficients are all 0: it counts nobody. Patches with neither
  // a routed pair nor gates add nothing and are skipped.
  for (int i = begin; i < begin + count; ++i) {
    const int first = routed.offsets[std::size_t(i)], last = routed.offsets[std::size_t(i) + 1];
    if (first == last && !gates) continue;
    const double free = free_detectable(0, i);
    const double detectable = febrile * free_detectable(1, i);
    const double u = seg.attempting[i];
    for (int n = first; n < last; ++n) {
      const double trips = r[n] * u;
      const double attempted = trips * free;
      const double sick = trips * detectable;
      for (int m = routes[n]; m < routes[n + 1]; ++m) {
        double* counter = block + 3 * std::size_t(checkpoint[m]);
        counter[0] += coef[3 * m] * attempted;
        counter[1] += coef[3 * m + 1] * attempted;
        counter[2] += coef[3 * m + 2] * sick;
      }
    }
    if (!gates) continue;
    const double trips = seg.outside_trips * u;
    for (int m = net.gate_offsets[i]; m < net.gate_offsets[i + 1]; ++m) {
      double* counter = block + 3 * std::size_t(net.gate_checkpoints[m]);
      const double* c = seg.gate_coef.data() + 3 * m;
      counter[0] += c[0] * trips * free;
      counter[1] += c[1] * trips * free;
      counter[2] += c[2] * trips * detectable;
    }
  }
}

void Interventions::ComputeArrivals(const Segment& seg, double febrile, double admit,
                                    double central_open, Eigen::ArrayXXd& flow, bool& flow_zero,
                                    std::vector<GateRate>* gates) const {
  // Counter rates only for a run that counts: at 1e5 villages behind many gates they are
  // millions of entries.
  if (gates) gates->clear();
  if (!flow_zero) {
    flow.setZero();
    flow_zero = true;
  }
  const double e = seg.essential;
  const double f = febrile;
  for (std::size_t s = 0; s < imports_.size(); ++s) {
    if (!seg.import_active[s]) continue;
    const ImportStream& stream = imports_[s];
    flow_zero = false;
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
        if (!seg.checkpoint_active[k]) continue;
        const double block = seg.checkpoint_block[k];
        if (gates) {
          gates->push_back({k, kMonitoredCount, iota * (e + (1.0 - e) * keep)});
          gates->push_back({k, kCheckpointTurnedBackCount, iota * (1.0 - e) * keep * block});
        }
        keep *= 1.0 - block;
        unseen *= 1.0 - seg.checkpoint_screen[k];
        not_isolated *= 1.0 - seg.checkpoint_isolate[k];
      }
      const double pass = e + (1.0 - e) * keep;
      const double arriving = iota * pass;
      // Detections are credited to the first gate checkpoint that screens the arrival.
      if (gates) {
        double still_unseen = 1.0;
        for (int m = first; m < last; ++m) {
          const int k = stream.gate_checkpoints[m];
          if (!seg.checkpoint_active[k]) continue;
          const double screen = seg.checkpoint_screen[k];
          gates->push_back({k, kCheckpointDetectedCount,
                            arriving * stream.infectious * f * still_unseen * screen});
          still_unseen *= 1.0 - screen;
        }
      }
      const double q = 1.0 - unseen;
      const double s_in = arriving * (1.0 - stream.exposed - stream.infectious);
      const double e_in = arriving * stream.exposed;
      const double i_all = arriving * stream.infectious;
      const double detected = i_all * f * q;
      const double i_in = i_all - detected;
      const double iso = 1.0 - (1.0 - seg.home_coverage) * not_isolated;
      const double central = std::min(seg.central_coverage, 1.0 - iso);
      const double home = iso + (central_open > 0.0 ? 0.0 : central);
      const double to_central = central_open > 0.0 ? central : 0.0;
      const double free_share = 1.0 - iso - central;
      auto row = flow.row(i);
      row[kArrivalTurnedBack] += iota - arriving;
      row[kArrivalS] += s_in * free_share;
      row[kArrivalE] += e_in * free_share;
      row[kArrivalI] += i_in * free_share;
      row[kArrivalSh] += s_in * home;
      row[kArrivalEh] += e_in * home;
      row[kArrivalIh] += i_in * home;
      row[kArrivalSc] += s_in * to_central;
      row[kArrivalEc] += e_in * to_central;
      row[kArrivalIc] += i_in * to_central;
      row[admit > 0.0 ? kArrivalDetectedAdmitted : kArrivalDetectedOverflow] += detected;
    }
  }
}

}  // namespace cordon::sim
