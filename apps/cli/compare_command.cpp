// SPDX-License-Identifier: Apache-2.0
// `cordon compare`: scenarios side by side, with charts of their curves.
#include <algorithm>
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
  batch::CompareConfig config;
  bool quiet = false;
};

// compare_NAME.png: curve `name` of every scenario that has it, one colour per scenario; its
// title from the first scenario that has it. False when no scenario has the curve.
bool WriteCurveChart(const batch::CompareReport& report, const std::string& name,
                     const std::string& file, const std::string& y_label) {
  std::vector<render::Curve> curves;
  render::ChartOptions chart;
  double beds = -1;
  for (std::size_t s = 0; s < report.outcomes.size(); ++s) {
    const auto& o = report.outcomes[s];
    const batch::OutcomeCurve* c = o.Curve(name);
    if (!c) continue;
    if (curves.empty()) chart.title = c->label + ", mean over runs";
    curves.push_back({o.name, c->y, render::PaletteColour(static_cast<int>(s))});
    if (std::isfinite(o.beds)) beds = std::max(beds, o.beds);
  }
  if (curves.empty()) return false;
  chart.y_label = y_label;
  if (name == "hospital") {  // the load against the beds
    chart.reference = beds;
    chart.reference_label = "beds";
  }
  render::WritePng(render::PlotCurves(curves, chart), file);
  return true;
}

// `cordon compare`: the table (CSV, Markdown) and a chart per curve the scenarios' models
// have: infected, in hospital, and each named flow per day.
int Compare(const batch::CompareConfig& config, bool quiet) {
  ProgressPrinter progress(quiet, "runs");
  const auto report = batch::RunCompare(config, [&](long long d, long long t) { progress(d, t); });
  std::vector<std::string> charts;
  const std::string dir = config.out_dir + "/";
  if (WriteCurveChart(report, "infected", dir + "compare.png", "persons"))
    charts.push_back("compare.png");
  if (WriteCurveChart(report, "hospital", dir + "compare_hospital.png", "persons"))
    charts.push_back("compare_hospital.png");
  // Each flow of any scenario's model, once.
  std::vector<std::string> flows;
  for (const auto& o : report.outcomes)
    for (const auto& c : o.curves)
      if (c.name != "infected" && c.name != "hospital" &&
          std::find(flows.begin(), flows.end(), c.name) == flows.end())
        flows.push_back(c.name);
  for (const auto& f : flows)
    if (WriteCurveChart(report, f, dir + "compare_" + f + ".png", "persons per day"))
      charts.push_back("compare_" + f + ".png");
  if (!quiet) {
    std::ifstream md(config.out_dir + "/compare.md");
    std::cout << md.rdbuf();
    std::string files = "compare.csv,compare.md";
    for (const auto& c : charts) files += "," + c;
    std::printf("outputs             %s/{%s}\n", config.out_dir.c_str(), files.c_str());
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
  cmd->add_option("--labels", s->config.labels,
                  "Names of the scenarios in tables and charts, comma-separated, in order")
      ->delimiter(',');
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
