// SPDX-License-Identifier: Apache-2.0
#include "optimize_greedy.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <queue>
#include <string>
#include <tuple>

#include "cordon/base/threads.hpp"
#include "cordon/engine/metrics.hpp"
#include "cordon/sim/ensemble.hpp"

namespace cordon::batch {
namespace {

// (priority, -candidate, round its gain was measured in): the largest
// priority first, the lowest candidate index among equals.
using HeapEntry = std::tuple<double, int, int>;

// Whether candidate k fits the staff budget (persons per day) with `used` already spent.
bool Affordable(const Candidates& c, const GreedySettings& settings, double used, int k) {
  return settings.staff_budget <= 0 || used + c.staff[k] <= settings.staff_budget + 1e-9;
}

// The heap order of a gain: with a staff budget, gain per person per day.
double Priority(const Candidates& c, const GreedySettings& settings, double gain, int k) {
  return settings.staff_budget > 0 ? gain / std::max(c.staff[k], 1e-9) : gain;
}

// Up to two affordable candidates next in the heap, for the runner-up placements.
std::vector<int> RunnersUp(std::priority_queue<HeapEntry> heap, const Candidates& c,
                           const GreedySettings& settings, double staff_used) {
  std::vector<int> alternatives;
  while (!heap.empty() && alternatives.size() < 2) {
    const int alt = -std::get<1>(heap.top());
    heap.pop();
    if (Affordable(c, settings, staff_used, alt)) alternatives.push_back(alt);
  }
  return alternatives;
}

// The first `budget` affordable sites of `order`.
std::vector<int> TakeInOrder(const std::vector<int>& order, const Candidates& c,
                             const GreedySettings& settings) {
  std::vector<int> set;
  double used = 0;
  for (int k : order) {
    if (static_cast<int>(set.size()) >= settings.budget) break;
    if (!Affordable(c, settings, used, k)) continue;
    set.push_back(k);
    used += c.staff[k];
  }
  return set;
}

}  // namespace

Evaluator::Evaluator(const sim::ModelSpec& model, sim::ModelInputs inputs,
                     std::vector<int> candidates, sim::RunSettings settings, std::string objective,
                     std::vector<int> protect)
    : model_(model, std::move(inputs)),
      candidates_(std::move(candidates)),
      settings_(std::move(settings)),
      objective_(std::move(objective)),
      metric_(engine::MetricIndex(engine::MetricNames(model_.Spec()), objective_)),
      protect_(std::move(protect)) {}

double Evaluator::Value(const std::vector<int>& selection, const sim::RunSettings& run_settings,
                        int run, int threads) const {
  // One model for every selection: the candidates outside it are left unstaffed in this run.
  sim::RunSettings settings = run_settings;
  settings.count_checkpoints = false;  // no objective reads a counter
  std::vector<bool> on(candidates_.size(), false);
  for (int s : selection) on[s] = true;
  for (std::size_t k = 0; k < candidates_.size(); ++k)
    if (!on[k]) settings.unstaffed_checkpoints.push_back(candidates_[k]);
  const sim::RunResult r = sim::Simulate(model_, settings, run, {}, threads);
  const engine::RunMetrics m = engine::MeasureRun(model_, r, protect_);
  if (metric_ >= 0) return m.values[std::size_t(metric_)];
  // Arrival: a village never reached counts as reached the day after the run ends.
  double sum = 0;
  for (double d : m.arrival) sum += std::isnan(d) ? settings.days + 1 : d;
  return sum / std::max<std::size_t>(1, m.arrival.size());
}

double Evaluator::Deterministic(const std::vector<int>& selection, int threads) const {
  ++evaluations_;
  return Value(selection, settings_, 0, threads);
}

GreedyChoice ChooseGreedy(const Evaluator& eval, const Candidates& candidates,
                          const GreedySettings& settings, const EvaluationTick& tick) {
  const double sign = settings.sign;  // losses (sign x objective) are minimized
  const std::vector<int>& by_flow = candidates.by_flow;
  GreedyChoice choice;
  // A run on its own gets every thread; runs side by side get one each.
  const double base_loss = sign * eval.Deterministic({}, settings.threads);
  tick();
  choice.curve.push_back(sign * base_loss);
  std::vector<double> first_gain(settings.shortlist);
  ParallelFor(settings.shortlist, settings.threads, [&](int i) {
    first_gain[i] = base_loss - sign * eval.Deterministic({by_flow[i]});
    tick();
  });
  std::priority_queue<HeapEntry> heap;
  std::vector<double> latest_gain(candidates.sites, 0.0);
  for (int i = 0; i < settings.shortlist; ++i) {
    latest_gain[by_flow[i]] = first_gain[i];
    heap.push({Priority(candidates, settings, first_gain[i], by_flow[i]), -by_flow[i], 0});
  }
  // CELF: a gain measured in an earlier round is re-measured before it is trusted.
  double loss = base_loss, staff_used = 0.0;
  int round = 0;
  while (static_cast<int>(choice.chosen.size()) < settings.budget && !heap.empty()) {
    auto [prio, neg_k, measured] = heap.top();
    heap.pop();
    const int k = -neg_k;
    if (!Affordable(candidates, settings, staff_used, k)) continue;
    if (measured != round) {
      std::vector<int> with = choice.chosen;
      with.push_back(k);
      latest_gain[k] = loss - sign * eval.Deterministic(with, settings.threads);
      tick();
      heap.push({Priority(candidates, settings, latest_gain[k], k), -k, round});
      continue;
    }
    if (latest_gain[k] <= 0) break;  // no site improves the objective any further
    if (static_cast<int>(choice.chosen.size()) + 1 == settings.budget)
      choice.runners_up = RunnersUp(heap, candidates, settings, staff_used);
    choice.chosen.push_back(k);
    choice.gain.push_back(sign * latest_gain[k]);
    loss -= latest_gain[k];
    staff_used += candidates.staff[k];
    choice.curve.push_back(sign * loss);
    ++round;
  }
  return choice;
}

std::vector<Placement> PlacementsToCompare(const GreedyChoice& choice, const Candidates& candidates,
                                           const GreedySettings& settings) {
  const std::vector<int>& chosen = choice.chosen;
  std::vector<Placement> placements;
  placements.push_back({"greedy", chosen, 0, 0, 0, 0, 0});
  for (std::size_t a = 0; a < choice.runners_up.size() && !chosen.empty(); ++a) {
    std::vector<int> set(chosen.begin(), chosen.end() - 1);
    set.push_back(choice.runners_up[a]);
    placements.push_back({"runner-up-" + std::to_string(a + 1), set, 0, 0, 0, 0, 0});
  }
  // Naive 1: a checkpoint on every road crossing of the region border.
  std::vector<int> border_set;
  for (int k = candidates.sites; k < candidates.Count(); ++k) border_set.push_back(k);
  placements.push_back({"border-only", border_set, 0, 0, 0, 0, 0});
  placements.push_back(
      {"busiest-roads", TakeInOrder(candidates.by_flow, candidates, settings), 0, 0, 0, 0, 0});
  placements.push_back({"none", {}, 0, 0, 0, 0, 0});
  return placements;
}

void EvaluatePlacements(std::vector<Placement>& placements, const Evaluator& eval,
                        const Candidates& candidates, const sim::RunSettings& stochastic, int runs,
                        int threads, const EvaluationTick& tick) {
  for (auto& p : placements) {
    p.staff_per_day = 0;
    for (int k : p.sites) p.staff_per_day += candidates.staff[k];
    p.objective = eval.Deterministic(p.sites, threads);
    tick();
    std::vector<double> values(runs);
    ParallelFor(runs, threads, [&](int r) { values[r] = eval.Value(p.sites, stochastic, r); });
    p.mean = std::numeric_limits<double>::quiet_NaN();
    p.q05 = p.q95 = p.mean;
    if (runs > 0) {
      p.mean = 0;
      for (double v : values) p.mean += v / runs;
      p.q05 = sim::Quantile(values, 0.05);
      p.q95 = sim::Quantile(values, 0.95);
    }
  }
}

}  // namespace cordon::batch
