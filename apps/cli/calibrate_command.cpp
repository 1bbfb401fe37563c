// SPDX-License-Identifier: Apache-2.0
// `cordon calibrate`: fit a scenario to reported data; the estimates, and
// fit.png (reported against the model with its shaded 95% band: the region
// total, id all or the sum of the ids, and the ids with the most reported).
#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "command.hpp"
#include "cordon/calibrate/calibrate.hpp"
#include "cordon/render/chart.hpp"
#include "progress.hpp"

namespace cordon::cli {
namespace {

struct CalibrateState {
  calibrate::CalibrateConfig config;
  long long seed = 1;
  bool quiet = false;
};

// Ctrl-C keeps the finished iterations; a second Ctrl-C kills.
std::atomic<bool> calibration_stop{false};
extern "C" void OnCalibrationInterrupt(int) {
  if (calibration_stop.exchange(true)) std::_Exit(130);
}

// One panel: the reports as dots, the model's mean as a line in its shaded 95% band (`band`
// says which: CalibrationReport::fit_band), per day, dated when the scenario has a start date.
render::Image FitPanel(const std::string& title,
                       const std::vector<const calibrate::FitPoint*>& points, int days,
                       const std::string& start_date, const std::string& band) {
  const double nan = std::nan("");
  std::vector<double> observed(std::size_t(days), nan), mean = observed, low = observed,
                                                        high = observed;
  for (const auto* f : points) {
    const auto d = std::size_t(f->day);
    auto add = [](double& to, double v) { to = std::isnan(to) ? v : to + v; };
    add(observed[d], f->observed);
    add(mean[d], f->mean);
    add(low[d], f->q025);
    add(high[d], f->q975);
  }
  render::Curve model{"model", mean, {200, 60, 40}};
  model.low = low;
  model.high = high;
  model.band_label = band + ", 95%";
  render::Curve reported{"reported", observed, {20, 20, 20}};
  reported.points = true;
  render::ChartOptions chart;
  chart.width = 960;
  chart.height = 320;
  chart.title = title;
  chart.y_label = "per day";
  chart.start_date = start_date;
  return render::PlotCurves({model, reported}, chart);
}

// fit.png: a panel for the region total, then one per observed id, most reported first (at
// most kFitPanels in all).
void WriteFitPng(const calibrate::CalibrationReport& r, const std::string& path) {
  constexpr std::size_t kFitPanels = 6;
  if (r.fit.empty()) return;
  std::map<std::string, std::vector<const calibrate::FitPoint*>> by_id;
  std::map<std::string, double> reported;
  int days = 0;
  for (const auto& f : r.fit) {
    by_id[f.id].push_back(&f);
    reported[f.id] += f.observed;
    days = std::max(days, f.day + 1);
  }
  std::vector<render::Image> panels;
  for (const char* total : {"all", "total"})
    if (panels.empty() && by_id.count(total))
      panels.push_back(FitPanel(std::string("region total (id ") + total + ")", by_id[total], days,
                                r.start_date, r.fit_band));
  std::vector<std::pair<double, std::string>> largest;
  for (const auto& [id, total] : reported)
    if (id != "all" && id != "total") largest.push_back({-total, id});
  std::sort(largest.begin(), largest.end());
  for (std::size_t k = 0; k < largest.size() && panels.size() < kFitPanels; ++k)
    panels.push_back(
        FitPanel(largest[k].second, by_id[largest[k].second], days, r.start_date, r.fit_band));
  render::Image out(panels.front().width, int(panels.size()) * panels.front().height,
                    {255, 255, 255});
  int y0 = 0;
  for (const auto& p : panels) {
    std::copy(p.rgb.begin(), p.rgb.end(), out.rgb.begin() + std::ptrdiff_t(y0) * out.width * 3);
    y0 += p.height;
  }
  render::WritePng(out, path);
}

int Calibrate(CalibrateState& s) {
  s.config.seed = static_cast<std::uint64_t>(s.seed);
  std::signal(SIGINT, OnCalibrationInterrupt);
  std::signal(SIGTERM, OnCalibrationInterrupt);
  ProgressPrinter progress(s.quiet, "steps");
  auto r = calibrate::RunCalibration(
      s.config, [&](long long d, long long t) { progress(d, t); }, &calibration_stop);
  WriteFitPng(r, s.config.out_dir + "/fit.png");
  r.outputs.push_back("fit.png");
  for (const auto& w : r.warnings) std::fprintf(stderr, "cordon: warning: %s\n", w.c_str());
  if (!s.quiet) {
    std::printf("calibration         %s, %d of %d %s, %d days, %.1f s\n", r.method.c_str(),
                r.iterations_done, r.iterations, r.method == "mle" ? "starts" : "iterations",
                r.days, r.seconds);
    std::printf("%-24s %12s %12s %12s %12s\n", "parameter", "mean", "median", "q025", "q975");
    for (const auto& e : r.posterior)
      std::printf("%-24s %12.6g %12.6g %12.6g %12.6g\n", e.name.c_str(), e.mean, e.median, e.q025,
                  e.q975);
    PrintOutputs(s.config.out_dir, r.outputs);
  }
  if (r.interrupted) {
    std::fprintf(stderr, "cordon: interrupted: %d of %d finished, written to %s\n",
                 r.iterations_done, r.iterations, s.config.out_dir.c_str());
    return 130;
  }
  return 0;
}

}  // namespace

Command AddCalibrateCommand(CLI::App& app) {
  auto s = std::make_shared<CalibrateState>();
  CLI::App* cmd = app.add_subcommand(
      "calibrate", "Fit a scenario's parameters to reported data (if-eakf or maximum likelihood)");
  cmd->add_option("calibration", s->config.file, "Calibration YAML (docs/calibration.md)")
      ->required();
  cmd->add_option("--out,-o", s->config.out_dir, "Output folder (created if missing)")->required();
  AddThreadsOption(cmd, s->config.threads);
  cmd->add_option("--seed", s->seed, "Seed of the random streams (results depend on it alone)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_flag("--quiet,-q", s->quiet, "Print no progress or summary");
  return {cmd, [s] { return Calibrate(*s); }, std::shared_ptr<const int>(s, &s->config.threads)};
}

}  // namespace cordon::cli
