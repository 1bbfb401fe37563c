// SPDX-License-Identifier: Apache-2.0
#pragma once
// The choice of `cordon optimize`: an evaluator that runs the model with a
// selection of candidates open, greedy choice with lazy re-evaluation
// (CELF) on deterministic runs, and the placements the choice is compared
// with (runners-up, border only, busiest roads, none) on stochastic runs.
#include <atomic>
#include <functional>
#include <vector>

#include "cordon/batch/optimize.hpp"
#include "cordon/sim/model.hpp"
#include "cordon/sim/simulation.hpp"
#include "optimize_candidates.hpp"

namespace cordon::batch {

/// Called once per finished evaluation, from any thread.
using EvaluationTick = std::function<void()>;

/// The objective of placements: candidates outside a selection are left
/// unstaffed. One compiled model serves every selection; thread-safe.
class Evaluator {
 public:
  /// `candidates`: checkpoint index of each candidate; `protect`: village
  /// indices whose arrival day the "arrival" objective averages.
  Evaluator(const sim::ModelSpec& model, sim::ModelInputs inputs, std::vector<int> candidates,
            sim::RunSettings settings, std::string objective, std::vector<int> protect);

  /// The network every evaluation runs on.
  const sim::Network& Net() const { return model_.Net(); }

  /// The objective of run `run` of `selection` (candidate indices) under `settings`, the run
  /// shared among `threads` (the same bits for any count).
  double Value(const std::vector<int>& selection, const sim::RunSettings& settings, int run,
               int threads = 1) const;
  /// The objective of the deterministic run of `selection` on `threads`; counted in
  /// Evaluations().
  double Deterministic(const std::vector<int>& selection, int threads = 1) const;
  /// Deterministic() calls so far.
  int Evaluations() const { return evaluations_; }

 private:
  sim::Model model_;
  std::vector<int> candidates_;  // checkpoint index of each candidate
  sim::RunSettings settings_;    // the deterministic run
  std::string objective_;        // "arrival" or a metric of the model (engine/metrics.hpp)
  int metric_ = -1;              // its index in engine::MetricNames (-1 for arrival)
  std::vector<int> protect_;
  mutable std::atomic<int> evaluations_{0};
};

/// Bounds of the greedy choice and of the placements compared with it.
struct GreedySettings {
  int budget = 1;             ///< sites at most
  int shortlist = 1;          ///< sites evaluated, the busiest first (<= Candidates::sites)
  double staff_budget = 0.0;  ///< persons per day at most over chosen sites (0 = no limit)
  double sign = 1.0;          ///< +1 when the objective is minimized, -1 when maximized
  int threads = 1;            ///< evaluations run in parallel
};

/// What the greedy choice picked and how the objective went.
struct GreedyChoice {
  std::vector<int> chosen;      ///< candidate indices, in the order chosen
  std::vector<double> gain;     ///< objective improvement of each choice (objective units)
  std::vector<double> curve;    ///< objective after 0..chosen.size() choices
  std::vector<int> runners_up;  ///< up to two alternatives to the last choice, best first
};

/// Chooses up to settings.budget sites from the shortlist, each the one that
/// improves the objective most (per staff with a staff budget), stopping
/// when none improves it.
GreedyChoice ChooseGreedy(const Evaluator& eval, const Candidates& candidates,
                          const GreedySettings& settings, const EvaluationTick& tick);

/// The placements compared: greedy, its runners-up, border-only,
/// busiest-roads and none (results not yet filled in).
std::vector<Placement> PlacementsToCompare(const GreedyChoice& choice, const Candidates& candidates,
                                           const GreedySettings& settings);

/// Fills in each placement's staff per day, deterministic objective and the
/// mean and 90% interval over `runs` runs of `stochastic` (NaN when runs is 0).
void EvaluatePlacements(std::vector<Placement>& placements, const Evaluator& eval,
                        const Candidates& candidates, const sim::RunSettings& stochastic, int runs,
                        int threads, const EvaluationTick& tick);

}  // namespace cordon::batch
