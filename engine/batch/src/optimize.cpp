// SPDX-License-Identifier: Apache-2.0
#include "cordon/batch/optimize.hpp"

#include <algorithm>
#include <optional>

#include "cordon/base/error.hpp"
#include "cordon/base/progress.hpp"
#include "cordon/base/threads.hpp"
#include "cordon/engine/metrics.hpp"
#include "cordon/engine/model_build.hpp"
#include "optimize_candidates.hpp"
#include "optimize_greedy.hpp"
#include "optimize_report.hpp"

namespace cordon::batch {
namespace {

// Throws InputError unless `objective` is "arrival" or a metric the model reports.
void CheckObjective(const std::string& objective, const sim::ModelSpec& model) {
  const std::vector<std::string> names = engine::MetricNames(model);
  if (objective == "arrival" || engine::MetricIndex(names, objective) >= 0) return;
  std::string list = "arrival";
  for (const auto& n : names) list += ", " + n;
  throw InputError("--objective " + objective + ": model " + model.name +
                   " does not report it (its objectives: " + list + ")");
}

// Village indices of config.protect. Throws InputError for an unknown id, or
// when the arrival objective has no village to protect.
std::vector<int> ProtectedVillages(const OptimizeConfig& config, const sim::Network& net,
                                   const std::string& scenario_file) {
  std::vector<int> protect;
  for (const auto& id : config.protect) {
    const auto it = std::find(net.ids.begin(), net.ids.end(), id);
    if (it == net.ids.end())
      throw InputError(scenario_file + ": --protect " + id + ": no village with this id");
    protect.push_back(static_cast<int>(it - net.ids.begin()));
  }
  if (config.objective == "arrival" && protect.empty())
    throw InputError("--objective arrival needs --protect VILLAGE (one or more)");
  return protect;
}

// The scenario's simulation settings, switched to `mode` (one run when deterministic).
sim::RunSettings InMode(sim::RunSettings settings, sim::Mode mode) {
  settings.mode = mode;
  if (mode == sim::Mode::kDeterministic) settings.runs = 1;
  return settings;
}

}  // namespace

OptimizeReport RunOptimize(const OptimizeConfig& config, const Progress& progress) {
  scenario::Scenario s = scenario::LoadScenario(config.scenario, config.overrides);
  if (!s.geo.enabled)
    throw InputError(s.file +
                     ": optimize needs a scenario with a village layer (region.villages.path), "
                     "so that candidate sites can be placed on its roads");
  if (config.budget < 1) throw InputError("--budget must be at least 1");
  CheckObjective(config.objective, s.model_spec);
  AddCandidateSpecs(config, s);
  const int threads = ResolveThreads(config.threads).count;
  std::optional<geo::Geography> geography;
  sim::ModelInputs inputs = engine::BuildScenarioInputs(s, threads, &geography);
  const Candidates candidates = FindCandidates(config, *geography, inputs);
  const std::vector<int> protect = ProtectedVillages(config, inputs.network, s.file);

  OptimizeReport report;
  report.objective_name = config.objective == "arrival" ? "arrival_day" : config.objective;
  report.minimize = config.objective != "arrival";
  report.candidate_ids.assign(candidates.ids.begin(), candidates.ids.begin() + candidates.sites);
  report.candidate_flow.assign(candidates.flow.begin(), candidates.flow.begin() + candidates.sites);

  GreedySettings settings;
  settings.budget = config.budget;
  settings.shortlist =
      config.shortlist > 0 ? std::min(config.shortlist, candidates.sites) : candidates.sites;
  settings.staff_budget = config.staff_budget;
  settings.sign = report.minimize ? 1.0 : -1.0;
  settings.threads = threads;
  // The base run, the shortlist, re-evaluations, then the placements; lazy re-evaluation
  // may need more than this guess, and then the total grows with the count (never past 100%).
  const long long expected = 1 + settings.shortlist + 4LL * config.budget + 8;
  ProgressCounter done;
  const EvaluationTick tick = [&] {
    done.Tick([&](long long d) {
      if (progress) progress(d, std::max(expected, d + 1));
    });
  };

  const Evaluator eval(s.model_spec, std::move(inputs), candidates.checkpoints,
                       InMode(s.simulation, sim::Mode::kDeterministic), config.objective, protect);
  GreedyChoice choice = ChooseGreedy(eval, candidates, settings, tick);
  report.placements = PlacementsToCompare(choice, candidates, settings);
  report.chosen = std::move(choice.chosen);
  report.gain = std::move(choice.gain);
  report.curve = std::move(choice.curve);
  const int runs = std::max(0, config.runs);
  EvaluatePlacements(report.placements, eval, candidates,
                     InMode(s.simulation, sim::Mode::kStochastic), runs, threads, tick);
  report.evaluations = eval.Evaluations();
  const long long evaluated = done.Done();
  if (progress) progress(evaluated, evaluated);

  report.outputs =
      WriteOptimizeOutputs(config.out_dir, report, candidates, eval.Net(), *geography, runs);
  return report;
}

}  // namespace cordon::batch
