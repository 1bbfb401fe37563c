// SPDX-License-Identifier: Apache-2.0
// `cordon compare`: scenarios side by side, with charts of their curves.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "command.hpp"
#include "cordon/batch/compare.hpp"
#include "cordon/render/chart.hpp"
#include "progress.hpp"

namespace cordon::cli {
namespace {

struct CompareState {
  engine::CompareConfig config;
  bool quiet = false;
};

// `cordon compare`: the table (CSV, Markdown) and a chart of every scenario's curve.
int Compare(const engine::CompareConfig& config, bool quiet) {
  ProgressPrinter progress(quiet, "runs");
  const auto report = engine::RunCompare(config, [&](long long d, long long t) { progress(d, t); });
  std::vector<render::Curve> curves;
  double beds = -1;
  for (std::size_t s = 0; s < report.outcomes.size(); ++s) {
    const auto& o = report.outcomes[s];
    curves.push_back({o.name, o.prevalence, render::PaletteColour(static_cast<int>(s))});
    if (std::isfinite(o.beds)) beds = std::max(beds, o.beds);
  }
  render::ChartOptions chart;
  chart.title = "infected (E+I, all isolation states), mean over runs";
  chart.y_label = "persons";
  render::WritePng(render::PlotCurves(curves, chart), config.out_dir + "/compare.png");
  // Hospital load against the beds, on a second chart.
  for (std::size_t s = 0; s < report.outcomes.size(); ++s)
    curves[s].y = report.outcomes[s].hospital;
  chart.title = "in hospital (H), mean over runs";
  chart.reference = beds;
  chart.reference_label = "beds";
  render::WritePng(render::PlotCurves(curves, chart), config.out_dir + "/compare_hospital.png");
  if (!quiet) {
    std::ifstream md(config.out_dir + "/compare.md");
    std::cout << md.rdbuf();
    std::printf(
        "outputs             %s/{compare.csv,compare.md,compare.png,compare_hospital.png}\n",
        config.out_dir.c_str());
  }
  return 0;
}

}  // namespace

Command AddCompareCommand(CLI::App& app) {
  auto s = std::make_shared<CompareState>();
  CLI::App* cmd =
      app.add_subcommand("compare", "Run scenarios and put their outcomes side by side");
  cmd->add_option("scenarios", s->config.scenarios,
                  "Scenario YAML files (the first is the reference)")
      ->required();
  cmd->add_option("--out,-o", s->config.out_dir, "Output folder")->required();
  cmd->add_option("--village", s->config.villages,
                  "Report the arrival day at this village id (repeatable)");
  cmd->add_option("--set", s->config.overrides, "Override a key in every scenario: key.path=value")
      ->allow_extra_args(false);
  AddThreadsOption(cmd, s->config.threads);
  cmd->add_flag("--quiet,-q", s->quiet, "Print no progress or table");
  return {cmd, [s] { return Compare(s->config, s->quiet); },
          std::shared_ptr<const int>(s, &s->config.threads)};
}

}  // namespace cordon::cli
