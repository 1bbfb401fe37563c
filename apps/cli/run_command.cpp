// SPDX-License-Identifier: Apache-2.0
// `cordon run`: one scenario, headless, its outputs written (docs/scenario.md).
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>

#include "command.hpp"
#include "cordon/engine/run.hpp"
#include "progress.hpp"

namespace cordon::cli {
namespace {

struct RunState {
  engine::RunConfig config;
  bool quiet = false;
};

// Per checkpoint level, what its staff would have counted: the figures a county reports
// (turned back also per day per 1,000 residents, to compare counties of any size).
void PrintLevels(const engine::RunReport& r) {
  if (!r.levels.empty()) std::printf("checkpoints         over %d days, per level:\n", r.days);
  for (const auto& l : r.levels) {
    const double per_1000 =
        r.population > 0 && r.days > 0 ? l.turned_back / r.days / (r.population / 1000.0) : 0.0;
    std::printf(
        "  %-17s %d site%s: %.0f monitored, %.0f turned back (%.2f a day per 1,000 "
        "residents), %.1f detected\n",
        l.level.empty() ? "(no level)" : l.level.c_str(), l.sites, l.sites == 1 ? "" : "s",
        l.monitored, l.turned_back, per_1000, l.detected);
  }
}

// The summary a county official reads after a run.
void PrintSummary(const engine::RunReport& r) {
  const auto& s = r.summary;
  std::printf("scenario            %s (%s, %d run%s)\n", r.name.c_str(),
              r.stochastic ? "stochastic" : "deterministic", r.runs, r.runs == 1 ? "" : "s");
  if (r.model != "cordon") std::printf("model               %s\n", r.model.c_str());
  std::printf("population          %.0f\n", r.population);
  if (std::isfinite(s.attack_rate))
    std::printf("attack rate         %.2f%%\n", 100.0 * s.attack_rate);
  if (r.reinfection && std::isfinite(s.infections_per_person))
    std::printf("infections          %.3f per resident (reinfections included)\n",
                s.infections_per_person);
  if (std::isfinite(s.peak_prevalence))
    std::printf("peak                day %d, %.1f infected\n", s.peak_day, s.peak_prevalence);
  if (std::isfinite(s.peak_hospital) && std::isfinite(r.beds))
    std::printf("hospital            peak %.1f of %.0f beds, %d days over capacity\n",
                s.peak_hospital, r.beds, s.days_over_capacity);
  else if (std::isfinite(s.peak_hospital))  // NaN: the model has no hospital compartment
    std::printf("hospital            peak %.1f (beds unlimited)\n", s.peak_hospital);
  std::printf("villages infected   %d\n", s.villages_infected);
  // The model's named flows over the run (a custom model's deaths, vaccinations, ...).
  for (const auto& f : s.flows)
    std::printf("%-19s %.1f over the run, peak %.1f a day on day %d\n", f.name.c_str(), f.total,
                f.peak, f.peak_day);
  PrintLevels(r);
  if (r.gates > 0 || r.checkpoints > 0)
    std::printf("network             %d villages, %lld OD pairs, %d checkpoints, %d gates\n",
                r.patches, r.routes, r.checkpoints, r.gates);
  std::printf("runtime             %.2f s (network %.2f s) on %d thread%s\n", r.runtime_s,
              r.build_s, r.threads.count, r.threads.count == 1 ? "" : "s");
  PrintOutputs(r.out_dir, r.outputs);
}

int Run(RunState& s) {
  ProgressPrinter progress(s.quiet, "runs");
  // Stages of a network build, with the time since start, on a terminal's stderr
  // (logs and scripts keep the one-line error contract).
  const auto started = std::chrono::steady_clock::now();
  ProgressPrinter days(s.quiet, "days");
  if (!s.quiet && ::isatty(STDERR_FILENO)) {
    s.config.on_stage = [started](const std::string& stage) {
      const double t =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      std::fprintf(stderr, "[%6.1f s] %s\n", t, stage.c_str());
    };
    // A long single run shows its days (and ETA) on a terminal; logs keep their lines.
    s.config.on_day = [&days](int day, int total) { days(day, total); };
  }
  const auto report =
      engine::RunScenario(s.config, [&](int finished, int total) { progress(finished, total); });
  for (const auto& w : report.warnings) std::fprintf(stderr, "cordon: warning: %s\n", w.c_str());
  if (!s.quiet) PrintSummary(report);
  return 0;
}

}  // namespace

Command AddRunCommand(CLI::App& app) {
  auto s = std::make_shared<RunState>();
  CLI::App* cmd = app.add_subcommand("run", "Run a scenario headless and write its outputs");
  cmd->add_option("scenario", s->config.scenario, "Scenario YAML file")->required();
  cmd->add_option("--out,-o", s->config.out_dir, "Output folder (created if missing)")->required();
  cmd->add_option("--set", s->config.overrides, "Override a scenario key: key.path=value")
      ->allow_extra_args(false);
  AddThreadsOption(cmd, s->config.threads);
  cmd->add_flag("--quiet,-q", s->quiet, "Print no progress or summary");
  return {cmd, [s] { return Run(*s); }, std::shared_ptr<const int>(s, &s->config.threads)};
}

}  // namespace cordon::cli
