// SPDX-License-Identifier: Apache-2.0
// `cordon optimize`: where k checkpoints do the most good, against naive placements.
#include <cstdio>
#include <fstream>
#include <iostream>

#include "command.hpp"
#include "cordon/batch/optimize.hpp"
#include "progress.hpp"

namespace cordon::cli {
namespace {

struct OptimizeState {
  batch::OptimizeConfig config;
  bool quiet = false;
};

// `cordon optimize`: the chosen sites, the k -> objective curve and the naive placements.
int Optimize(const batch::OptimizeConfig& config, bool quiet) {
  ProgressPrinter progress(quiet, "evaluations");
  const auto r = batch::RunOptimize(config, [&](long long d, long long t) { progress(d, t); });
  if (quiet) return 0;
  std::printf("objective           %s (%s), %zu candidate sites, %d deterministic runs\n",
              r.objective_name.c_str(), r.minimize ? "lower is better" : "higher is better",
              r.candidate_ids.size(), r.evaluations);
  for (std::size_t k = 0; k < r.chosen.size(); ++k)
    std::printf("  %2zu. %-40s %s %.6g\n", k + 1, r.candidate_ids[r.chosen[k]].c_str(),
                r.objective_name.c_str(), r.curve[k + 1]);
  std::ifstream md(config.out_dir + "/placements.md");
  std::cout << md.rdbuf();
  PrintOutputs(config.out_dir, r.outputs);
  return 0;
}

}  // namespace

Command AddOptimizeCommand(CLI::App& app) {
  auto s = std::make_shared<OptimizeState>();
  CLI::App* cmd = app.add_subcommand(
      "optimize",
      "Choose k checkpoint sites (greedy, lazy re-evaluation) and compare with naive placements");
  cmd->add_option("scenario", s->config.scenario, "Base scenario (with a village layer)")
      ->required();
  cmd->add_option(
         "--sites", s->config.sites,
         "Candidate sites: cordon:LEVEL (every road crossing of that level) or a point layer")
      ->required();
  cmd->add_option("--sites-layer", s->config.sites_layer, "Layer of the --sites file");
  cmd->add_option("--budget", s->config.budget, "k: sites to choose at most")
      ->capture_default_str();
  cmd->add_option("--staff-budget", s->config.staff_budget,
                  "Persons per day over all chosen sites (0 = no limit)");
  cmd->add_option("--objective", s->config.objective,
                  "What to lower: a metric of the model (attack_rate, peak_H, FLOW_total, ...) "
                  "or arrival (delay it at --protect)")
      ->capture_default_str();
  cmd->add_option("--protect", s->config.protect,
                  "Village id whose arrival day to delay (repeatable)");
  cmd->add_option("--block", s->config.block, "Share turned back at a chosen site")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_option("--screen", s->config.screen, "Detection probability at a chosen site")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_option("--staff", s->config.staff, "Staff per site per day (a layer's staff field wins)")
      ->capture_default_str();
  cmd->add_option("--start", s->config.start, "Day the sites open")->capture_default_str();
  cmd->add_option("--shortlist", s->config.shortlist,
                  "Candidates evaluated, busiest first (0 = all)")
      ->capture_default_str();
  cmd->add_option("--runs", s->config.runs, "Stochastic runs checking each final placement")
      ->capture_default_str();
  cmd->add_option("--set", s->config.overrides, "Override a scenario key: key.path=value")
      ->allow_extra_args(false);
  AddThreadsOption(cmd, s->config.threads);
  cmd->add_option("--out,-o", s->config.out_dir, "Output folder")->required();
  cmd->add_flag("--quiet,-q", s->quiet, "Print no progress or summary");
  return {cmd, [s] { return Optimize(s->config, s->quiet); },
          std::shared_ptr<const int>(s, &s->config.threads)};
}

}  // namespace cordon::cli
