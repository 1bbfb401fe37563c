// SPDX-License-Identifier: Apache-2.0
#include "cordon/sim/tau_leap.hpp"

#include <cmath>
#include <random>

#include "cordon/sim/counter_rng.hpp"

namespace cordon::sim {
namespace {

std::int64_t Binomial(CounterRng& rng, std::int64_t n, double p) {
  if (n <= 0 || p <= 0.0) return 0;
  if (p >= 1.0) return n;
  return std::binomial_distribution<std::int64_t>(n, p)(rng);
}

}  // namespace

TauLeapStepper::TauLeapStepper(const Model& model, std::uint64_t seed, std::uint64_t run)
    : model_(model),
      seed_(seed),
      run_(run),
      exits_(kNumCompartments),
      rates_(model.Transitions().size()),
      next_(model.Layout()) {
  const auto& table = model.Transitions();
  for (std::size_t n = 0; n < table.size(); ++n) exits_[table[n].from].push_back(int(n));
}

void TauLeapStepper::Step(double t, double dt, std::int64_t step, State& y, Workspace& ws) {
  model_.EvaluateRates(t, y, ws);
  next_.values = y.values;
  const auto& table = model_.Transitions();
  const int patches = model_.Patches();
  double incidence = 0.0, detections = 0.0, overflow = 0.0, imports = 0.0, turned_back = 0.0;
  std::vector<double>& rates = rates_;
  for (int i = 0; i < patches; ++i) {
    CounterRng rng(seed_, run_, std::uint64_t(i), std::uint64_t(step));
    for (int c = 0; c < kNumCompartments; ++c) {
      const auto x = static_cast<std::int64_t>(y.Compartment(c)[i]);
      if (x <= 0 || exits_[c].empty()) continue;
      double total = 0.0;
      int last_positive = -1;  // the exit that takes whoever is left: the last with rate > 0
      for (int n : exits_[c]) {
        const Transition& tr = table[n];
        double r = ws.transition_scale[n];
        if (tr.rate_column >= 0) r *= ws.patch_rates(i, tr.rate_column);
        rates[n] = r;
        total += r;
        if (r > 0.0) last_positive = n;
      }
      if (total <= 0.0) continue;
      std::int64_t left = Binomial(rng, x, -std::expm1(-dt * total));
      double rest = total;
      for (std::size_t j = 0; j < exits_[c].size() && left > 0; ++j) {
        const int n = exits_[c][j];
        if (rates[n] <= 0.0) continue;
        const bool last = n == last_positive;
        const std::int64_t moved =
            last ? left : Binomial(rng, left, std::min(1.0, rates[n] / rest));
        rest -= rates[n];
        left -= moved;
        if (moved == 0) continue;
        const Transition& tr = table[n];
        next_.Compartment(tr.from)[i] -= double(moved);
        next_.Compartment(tr.to)[i] += double(moved);
        if (tr.incidence) {
          next_.PatchIncidence()[i] += double(moved);
          incidence += double(moved);
        }
        if (tr.detection) detections += double(moved);
        if (tr.overflow) overflow += double(moved);
      }
    }
    if (!ws.import_flow_zero) {
      const double iota = ws.import_flow.row(i).sum();
      if (iota > 0.0) {
        std::int64_t left = std::poisson_distribution<std::int64_t>(iota * dt)(rng);
        int last_positive = 0;
        for (int cat = 0; cat < kNumArrivalCategories; ++cat)
          if (ws.import_flow(i, cat) > 0.0) last_positive = cat;
        double rest = iota;
        for (int cat = 0; cat < kNumArrivalCategories && left > 0; ++cat) {
          const double r = ws.import_flow(i, cat);
          if (r <= 0.0) continue;
          const bool last = cat == last_positive;
          const std::int64_t moved = last ? left : Binomial(rng, left, std::min(1.0, r / rest));
          rest -= r;
          left -= moved;
          if (moved == 0) continue;
          const int dest = ImportDestination(cat);
          if (dest < 0) {
            turned_back += double(moved);
            continue;
          }
          next_.Compartment(dest)[i] += double(moved);
          imports += double(moved);
          if (cat == kArrivalDetectedAdmitted || cat == kArrivalDetectedOverflow)
            detections += double(moved);
          if (cat == kArrivalDetectedOverflow) overflow += double(moved);
        }
      }
    }
  }
  // Travel through checkpoints is a mean field: counters take their expected value.
  for (int c = 0; c < kNumCheckpointCounters; ++c)
    next_.Checkpoints(c) += dt * ws.checkpoint_rates.col(c);
  if (model_.Checkpoints() > 0)
    turned_back += dt * ws.checkpoint_rates.col(kCheckpointTurnedBackCount).sum();
  next_.Region(kIncidenceCount) += incidence;
  next_.Region(kDetectionCount) += detections;
  next_.Region(kImportCount) += imports;
  next_.Region(kTurnedBackCount) += turned_back;
  next_.Region(kOverflowCount) += overflow;
  y.values.swap(next_.values);
}

}  // namespace cordon::sim
