// SPDX-License-Identifier: Apache-2.0
#include "cordon/sim/tau_leap.hpp"

#include <cmath>
#include <random>

#include "cordon/sim/binomial.hpp"
#include "cordon/sim/counter_rng.hpp"
#include "cordon/sim/patch_chunks.hpp"

namespace cordon::sim {
namespace {

// Rows for n values per chunk, rounded up to whole 64-byte lines: threads drawing
// neighbouring chunks then never write to one cache line.
Eigen::Index CacheLines(int n) { return (Eigen::Index(n) + 7) / 8 * 8; }

}  // namespace

TauLeapStepper::TauLeapStepper(const Model& model, std::uint64_t seed, std::uint64_t run)
    : model_(model),
      seed_(seed),
      run_(run),
      exits_(std::size_t(model.Compartments())),
      rates_(Eigen::ArrayXXd::Zero(CacheLines(model.Transitions()), ChunkCount(model.Patches()))),
      region_(Eigen::ArrayXXd::Zero(CacheLines(model.Flows()), ChunkCount(model.Patches()))),
      step_total_(std::size_t(model.Flows()), 0.0),
      streams_(std::size_t(ChunkCount(model.Patches()))),
      patch_keys_(std::size_t(model.Patches())),
      next_(model.Layout()) {
  for (int n = 0; n < model.Transitions(); ++n)
    exits_[std::size_t(model.Endpoints(n).first)].push_back(n);
  for (std::size_t i = 0; i < patch_keys_.size(); ++i)
    patch_keys_[i] = CounterRng::PatchKey(seed, run, std::uint64_t(i));
}

void TauLeapStepper::Count(int chunk, const std::vector<int>& flows, Eigen::Index i, double moved) {
  for (int f : flows) {
    if (model_.FlowBlock(f) >= 0) next_.Compartment(model_.FlowBlock(f))[i] += moved;
    region_(f, chunk) += moved;
  }
}

void TauLeapStepper::DrawChunk(int chunk, Eigen::Index begin, Eigen::Index count, double dt,
                               std::int64_t step, const State& y, const Workspace& ws) {
  const Model& m = model_;
  // Each patch's stream is drawn in the order of the patch-by-patch loop (compartments in
  // order, then arrivals), but compartment by compartment over the chunk: one
  // compartment's exits and rates stay at hand while its patches are drawn.
  std::vector<CounterRng>& rngs = streams_[std::size_t(chunk)];
  rngs.clear();
  for (Eigen::Index i = begin; i < begin + count; ++i)
    rngs.push_back(CounterRng::ForStep(patch_keys_[std::size_t(i)], std::uint64_t(step)));
  double* rates = &rates_(0, chunk);
  for (int c = 0; c < m.Compartments(); ++c) {
    const std::vector<int>& exits = exits_[std::size_t(c)];
    if (exits.empty()) continue;
    const double* x_of = y.Compartment(c).data();
    for (Eigen::Index i = begin; i < begin + count; ++i) {
      const auto x = static_cast<std::int64_t>(x_of[i]);
      if (x <= 0) continue;
      double total = 0.0;
      int last_positive = -1;  // the exit that takes whoever is left: the last with rate > 0
      for (int n : exits) {
        const double r = m.Rate(ws, n, int(i));
        rates[n] = r;
        total += r;
        if (r > 0.0) last_positive = n;
        if (!(r >= 0.0)) total = std::nan("");  // a NaN rate stops this compartment's draws
      }
      if (!(total > 0.0)) continue;  // no exit, or a rate that is not a number
      CounterRng& rng = rngs[std::size_t(i - begin)];
      std::int64_t left = DrawLeavers(rng, x, dt * total);
      double rest = total;
      for (std::size_t j = 0; j < exits.size() && left > 0; ++j) {
        const int n = exits[j];
        const double r = rates[n];
        if (!(r > 0.0)) continue;
        const std::int64_t moved =
            n == last_positive ? left : DrawBinomial(rng, left, std::min(1.0, r / rest));
        rest -= r;
        left -= moved;
        if (moved == 0) continue;
        const auto [from, to] = m.Endpoints(n);
        next_.Compartment(from)[i] -= double(moved);
        next_.Compartment(to)[i] += double(moved);
        Count(chunk, m.TransitionFlows(n), i, double(moved));
        if (m.TracingStages() > 0 && m.FeedsTracing(n))
          next_.Compartment(m.TracingStageBlock(0))[i] += double(moved);
      }
    }
  }
  if (ws.arrivals_zero || !m.Spec().arrivals.enabled) return;
  for (Eigen::Index i = begin; i < begin + count; ++i) {
    const double iota = ws.arrivals.row(i).sum();
    if (iota <= 0.0) continue;
    CounterRng& rng = rngs[std::size_t(i - begin)];
    std::int64_t left = std::poisson_distribution<std::int64_t>(iota * dt)(rng);
    int last_positive = 0;
    for (int cat = 0; cat < kNumArrivalCategories; ++cat)
      if (ws.arrivals(i, cat) > 0.0) last_positive = cat;
    double rest = iota;
    for (int cat = 0; cat < kNumArrivalCategories && left > 0; ++cat) {
      const double r = ws.arrivals(i, cat);
      if (r <= 0.0) continue;
      const std::int64_t moved =
          cat == last_positive ? left : DrawBinomial(rng, left, std::min(1.0, r / rest));
      rest -= r;
      left -= moved;
      if (moved == 0) continue;
      const int dest = m.ArrivalDestination(cat);
      if (dest >= 0) next_.Compartment(dest)[i] += double(moved);
      Count(chunk, m.ArrivalFlows(cat), i, double(moved));
      if (m.TracingStages() > 0 && m.ArrivalFeedsTracing(cat))
        next_.Compartment(m.TracingStageBlock(0))[i] += double(moved);
    }
  }
}

void TauLeapStepper::Step(double t, double dt, std::int64_t step, State& y, Workspace& ws) {
  const Model& m = model_;
  m.EvaluateRates(t, y, ws);
  next_.values = y.values;
  region_.setZero();
  ForChunks(ws.workers, m.Patches(), [&](int chunk, Eigen::Index b, Eigen::Index n) {
    DrawChunk(chunk, b, n, dt, step, y, ws);
  });
  // Travel through checkpoints is a mean field: counters take their expected value.
  for (int c = 0; c < kNumCheckpointCounters; ++c)
    next_.Checkpoints(c) += dt * ws.checkpoint_rates.col(c);
  // Whole persons: the chunks' sums are exact, so their order does not matter.
  std::vector<double>& step_total = step_total_;
  for (int f = 0; f < m.Flows(); ++f) step_total[std::size_t(f)] = region_.row(f).sum();
  for (int f : m.CheckpointTurnedBackFlows())
    step_total[std::size_t(f)] += dt * ws.travel_turned_back;
  for (int f = 0; f < m.Flows(); ++f) next_.Region(m.FlowCounter(f)) += step_total[std::size_t(f)];
  if (m.TracingMoves() > 0) m.AddTracingMeanField(y, ws, dt, next_);
  y.values.swap(next_.values);
}

}  // namespace cordon::sim
