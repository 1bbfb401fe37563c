// SPDX-License-Identifier: Apache-2.0
// `cordon`: the command line. Thin: parse arguments, call the engine, catch
// errors here only and map their kind to the exit code (2 input, 1 internal).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>

#include "cordon/base/error.hpp"
#include "cordon/base/threads.hpp"
#include "cordon/batch/compare.hpp"
#include "cordon/batch/optimize.hpp"
#include "cordon/batch/sweep.hpp"
#include "cordon/data/county_generator.hpp"
#include "cordon/data/region_deriver.hpp"
#include "cordon/data/vector_io.hpp"
#include "cordon/engine/dates.hpp"
#include "cordon/engine/display_run.hpp"
#include "cordon/engine/results_reader.hpp"
#include "cordon/engine/run.hpp"
#include "cordon/render/chart.hpp"
#include "cordon/render/frame.hpp"
#include "cordon/render/video.hpp"

namespace {

// Progress on stderr: a bar with rate and ETA on a terminal, a line per 10% otherwise.
class ProgressPrinter {
 public:
  ProgressPrinter(bool quiet, const char* unit)
      : quiet_(quiet),
        tty_(::isatty(STDERR_FILENO) != 0),
        unit_(unit),
        start_(std::chrono::steady_clock::now()) {}

  void operator()(long long finished, long long total) {
    if (quiet_ || total <= 1) return;
    std::lock_guard<std::mutex> lock(mutex_);
    if (resumed_ && !seen_) first_ = finished - 1;  // work found done does not count in the rate
    seen_ = true;
    const int percent = static_cast<int>(finished * 100 / total);
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const long long fresh = finished - first_;
    const double rate = elapsed > 0 && fresh > 0 ? fresh / elapsed : 0.0;
    const double eta = rate > 0 ? (total - finished) / rate : 0.0;
    if (tty_) {
      const int width = 30, filled = static_cast<int>(width * finished / total);
      std::fprintf(stderr, "\r[%.*s%*s] %lld/%lld %s  %.1f/s  ETA %.0f s   ", filled,
                   "##############################", width - filled, "", finished, total, unit_,
                   rate, eta);
      if (finished == total) std::fputc('\n', stderr);
    } else if (percent / 10 > last_decile_) {
      last_decile_ = percent / 10;
      std::fprintf(stderr, "%d%% (%lld/%lld %s, %.1f/s, ETA %.0f s)\n", percent, finished, total,
                   unit_, rate, eta);
    }
  }
  /// The first report's count, less one, was done before this process
  /// started (resumed rows): it does not count in the rate.
  void CountFromFirstReport() { resumed_ = true; }

 private:
  bool quiet_, tty_;
  const char* unit_;
  std::chrono::steady_clock::time_point start_;
  long long first_ = 0;
  bool resumed_ = false, seen_ = false;
  int last_decile_ = 0;
  std::mutex mutex_;
};

// Ctrl-C asks a sweep to stop after the rows in flight; a second Ctrl-C kills.
std::atomic<bool> stop_requested{false};
extern "C" void OnInterrupt(int) {
  if (stop_requested.exchange(true)) std::_Exit(130);
}

// "outputs   DIR/{a,b,c}": the files a command wrote.
void PrintOutputs(const std::string& dir, const std::vector<std::string>& files) {
  std::string list;
  for (const auto& f : files) list += (list.empty() ? "" : ",") + f;
  std::printf("outputs             %s/{%s}\n", dir.c_str(), list.c_str());
}

void PrintSummary(const cordon::engine::RunReport& r) {
  const auto& s = r.summary;
  std::printf("scenario            %s (%s, %d run%s)\n", r.name.c_str(),
              r.stochastic ? "stochastic" : "deterministic", r.runs, r.runs == 1 ? "" : "s");
  std::printf("population          %.0f\n", r.population);
  std::printf("attack rate         %.2f%%\n", 100.0 * s.attack_rate);
  std::printf("peak                day %d, %.1f infected\n", s.peak_day, s.peak_prevalence);
  if (std::isfinite(r.beds))
    std::printf("hospital            peak %.1f of %.0f beds, %d days over capacity\n",
                s.peak_hospital, r.beds, s.days_over_capacity);
  else
    std::printf("hospital            peak %.1f (beds unlimited)\n", s.peak_hospital);
  std::printf("villages infected   %d\n", s.villages_infected);
  std::printf("turned back         %.0f travellers\n", r.turned_back);
  if (r.gates > 0 || r.checkpoints > 0)
    std::printf("network             %d villages, %lld OD pairs, %d checkpoints, %d gates\n",
                r.patches, r.routes, r.checkpoints, r.gates);
  std::printf("runtime             %.2f s (network %.2f s) on %d thread%s\n", r.runtime_s,
              r.build_s, r.threads.count, r.threads.count == 1 ? "" : "s");
  PrintOutputs(r.out_dir, r.outputs);
}

// `cordon generate`: a synthetic county as a GeoPackage.
int Generate(const cordon::data::CountyOptions& options, const std::string& out, bool quiet) {
  const auto county = cordon::data::GenerateCounty(options);
  cordon::data::WriteVectorFile(out, cordon::data::CountyLayers(county));
  if (!quiet) {
    double population = 0;
    for (const auto& v : county.villages) population += v.population;
    std::printf(
        "generated %s: %zu townships, %zu villages, %zu groups, %zu roads, %zu gates, "
        "%.0f people\n",
        out.c_str(), county.townships.size(), county.villages.size(), county.groups.size(),
        county.roads.size(), county.gates.size(), population);
  }
  return 0;
}

// `cordon derive`: a synthetic village region from county polygons and the code tree.
int Derive(const cordon::data::DeriveOptions& options, const std::string& out, bool quiet) {
  const auto region = cordon::data::DeriveRegion(options);
  cordon::data::WriteVectorFile(out, cordon::data::DerivedLayers(region));
  if (!quiet) {
    double population = 0;
    for (const auto& c : region.counties) population += c.population;
    std::printf(
        "derived %s: %zu counties, %zu towns (%d placed), %zu villages (%d placed), "
        "%.0f people\n",
        out.c_str(), region.counties.size(), region.towns.size(), region.towns_placed,
        region.villages.size(), region.villages_placed, population);
  }
  return 0;
}

// `cordon sweep`: rows appended as they finish; Ctrl-C keeps them for --resume.
int Sweep(cordon::engine::SweepConfig config, const std::string& shard, bool quiet) {
  if (!shard.empty()) {
    const auto slash = shard.find('/');
    try {
      config.shard = std::stoi(shard.substr(0, slash));
      config.shards = slash == std::string::npos ? 0 : std::stoi(shard.substr(slash + 1));
    } catch (const std::exception&) {
      config.shards = 0;
    }
    if (config.shards < 1 || config.shard < 1 || config.shard > config.shards)
      throw cordon::InputError("--shard " + shard + ": expected K/N with 1 <= K <= N");
  }
  std::signal(SIGINT, OnInterrupt);
  std::signal(SIGTERM, OnInterrupt);
  config.stop = &stop_requested;
  ProgressPrinter progress(quiet, "rows");
  progress.CountFromFirstReport();
  const auto report = cordon::engine::RunSweep(
      config, [&](long long done, long long total) { progress(done, total); });
  if (report.outputs.empty() && !report.interrupted) return 0;  // an MPI rank other than 0
  if (report.interrupted) {
    std::fprintf(stderr,
                 "cordon: interrupted: %lld of %lld rows done, kept in %s/sweep.partial*.csv; "
                 "rerun with --resume to finish\n",
                 report.done, report.rows, config.out_dir.c_str());
    return 130;
  }
  if (!quiet) {
    std::printf("sweep               %lld rows (%lld resumed) on %d process%s x %d thread%s\n",
                report.rows, report.resumed, report.ranks, report.ranks == 1 ? "" : "es",
                report.threads, report.threads == 1 ? "" : "s");
    PrintOutputs(config.out_dir, report.outputs);
  }
  return 0;
}

// `cordon compare`: the table (CSV, Markdown) and a chart of every scenario's curve.
int Compare(const cordon::engine::CompareConfig& config, bool quiet) {
  ProgressPrinter progress(quiet, "runs");
  const auto report =
      cordon::engine::RunCompare(config, [&](long long d, long long t) { progress(d, t); });
  std::vector<cordon::render::Curve> curves;
  double beds = -1;
  for (std::size_t s = 0; s < report.outcomes.size(); ++s) {
    const auto& o = report.outcomes[s];
    curves.push_back({o.name, o.prevalence, cordon::render::PaletteColour(static_cast<int>(s))});
    if (std::isfinite(o.beds)) beds = std::max(beds, o.beds);
  }
  cordon::render::ChartOptions chart;
  chart.title = "infected (E+I, all isolation states), mean over runs";
  chart.y_label = "persons";
  cordon::render::WritePng(cordon::render::PlotCurves(curves, chart),
                           config.out_dir + "/compare.png");
  // Hospital load against the beds, on a second chart.
  for (std::size_t s = 0; s < report.outcomes.size(); ++s)
    curves[s].y = report.outcomes[s].hospital;
  chart.title = "in hospital (H), mean over runs";
  chart.reference = beds;
  chart.reference_label = "beds";
  cordon::render::WritePng(cordon::render::PlotCurves(curves, chart),
                           config.out_dir + "/compare_hospital.png");
  if (!quiet) {
    std::ifstream md(config.out_dir + "/compare.md");
    std::cout << md.rdbuf();
    std::printf(
        "outputs             %s/{compare.csv,compare.md,compare.png,compare_hospital.png}\n",
        config.out_dir.c_str());
  }
  return 0;
}

// `cordon optimize`: the chosen sites, the k -> objective curve and the naive placements.
int Optimize(const cordon::engine::OptimizeConfig& config, bool quiet) {
  ProgressPrinter progress(quiet, "evaluations");
  const auto r =
      cordon::engine::RunOptimize(config, [&](long long d, long long t) { progress(d, t); });
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

// `cordon render`: the animation of a run (MP4 or GIF), or one day as PNG, without a window.
struct RenderOptions {
  std::string out;
  std::string metric = "prevalence";
  bool log = false;
  int fps = 8;
  int day = -1;  ///< PNG: the day to draw (-1 = the peak)
  int width = 1280, height = 720;
};

int Render(const cordon::engine::RunConfig& config, const RenderOptions& o, bool quiet) {
  ProgressPrinter progress(quiet, "runs");
  const auto run = cordon::engine::RunForDisplay(config, [&](int d, int t) { progress(d, t); });
  if (!run.geography)
    throw cordon::InputError(config.scenario + ": render needs a scenario with a village layer");
  const auto view = cordon::render::MakeRunView(
      run,
      o.metric == "cumulative"           ? cordon::render::MapMetric::kCumulative
      : o.metric == "attack_rate"        ? cordon::render::MapMetric::kAttackRate
      : o.metric == "first_infected_day" ? cordon::render::MapMetric::kFirstInfectedDay
                                         : cordon::render::MapMetric::kPrevalence,
      o.log);
  cordon::render::FrameOptions frame;
  frame.width = o.width;
  frame.height = o.height;
  const std::string ext = std::filesystem::path(o.out).extension().string();
  if (ext == ".png") {
    int day = o.day;
    if (day < 0) {  // the day of the largest regional prevalence
      const auto& y = view.curves.front().y;
      day = static_cast<int>(std::max_element(y.begin(), y.end()) - y.begin());
    }
    cordon::render::WritePng(cordon::render::DrawFrame(view, day, frame), o.out);
    if (!quiet) std::printf("wrote %s (day %d)\n", o.out.c_str(), day);
    return 0;
  }
  cordon::render::VideoWriter video(o.out, o.width, o.height, o.fps);
  for (int day = 0; day <= view.days; ++day) {
    video.Add(cordon::render::DrawFrame(view, day, frame));
    if (!quiet && ::isatty(STDERR_FILENO))
      std::fprintf(stderr, "\rframe %d/%d", day + 1, view.days + 1);
  }
  video.Finish();
  if (!quiet)
    std::printf("\nwrote %s: %d frames, %dx%d at %d fps\n", o.out.c_str(), video.Frames(), o.width,
                o.height, o.fps);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"cordon: epidemic checkpoints and isolation, simulated"};
  app.set_version_flag("--version", cordon::engine::Version());
  app.require_subcommand(1);

  cordon::engine::RunConfig run;
  bool quiet = false;
  CLI::App* run_cmd = app.add_subcommand("run", "Run a scenario headless and write its outputs");
  run_cmd->add_option("scenario", run.scenario, "Scenario YAML file")->required();
  run_cmd->add_option("--out,-o", run.out_dir, "Output folder (created if missing)")->required();
  run_cmd->add_option("--set", run.overrides, "Override a scenario key: key.path=value")
      ->allow_extra_args(false);
  run_cmd
      ->add_option("--threads", run.threads,
                   "Threads (0 = CORDON_THREADS, else the CPUs this process may use)")
      ->check(CLI::NonNegativeNumber);
  run_cmd->add_flag("--quiet,-q", quiet, "Print no progress or summary");

  cordon::data::CountyOptions county;
  std::string county_out;
  CLI::App* gen_cmd = app.add_subcommand(
      "generate", "Write a synthetic county (villages, groups, roads) as a GeoPackage");
  gen_cmd->add_option("--out,-o", county_out, "Output .gpkg file")->required();
  gen_cmd->add_option("--villages", county.villages, "Villages in the county (1 .. 5,000,000)")
      ->check(CLI::Range(1, 5000000))
      ->capture_default_str();
  gen_cmd
      ->add_option("--groups", county.group_grid,
                   "Village groups per village side (2 = 4 groups per village; 1 = none)")
      ->check(CLI::Range(1, 9))
      ->capture_default_str();
  gen_cmd->add_option("--village-km", county.village_km, "Mean side of a village, km")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  gen_cmd
      ->add_option("--villages-per-township", county.villages_per_township,
                   "Mean villages per township")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  gen_cmd->add_option("--seed", county.seed, "Random seed")->capture_default_str();
  gen_cmd->add_flag("--quiet,-q", quiet, "Print nothing");

  cordon::data::DeriveOptions derive;
  std::string derive_out;
  CLI::App* derive_cmd = app.add_subcommand(
      "derive", "Derive synthetic town and village polygons from county polygons and a code tree");
  derive_cmd->add_option("--counties", derive.counties, "County polygons with census population")
      ->required();
  derive_cmd->add_option("--units", derive.units, "Code tree CSV (code12, parent12, level, ...)")
      ->required();
  derive_cmd->add_option("--out,-o", derive_out, "Output .gpkg file")->required();
  derive_cmd->add_option("--crs", derive.crs,
                         "Input coordinates: GCJ-02 (default: the files' WGS84)");
  derive_cmd->add_option("--county", derive.only_counties,
                         "Keep only these county codes (repeatable)");
  derive_cmd->add_option("--seed", derive.seed, "Random seed for placed points")
      ->capture_default_str();
  derive_cmd->add_flag("--quiet,-q", quiet, "Print nothing");

  cordon::engine::SweepConfig sweep;
  std::string shard;
  CLI::App* sweep_cmd = app.add_subcommand(
      "sweep", "Run a parameter sweep (grid, list, Latin hypercube) x stochastic runs");
  sweep_cmd->add_option("sweep", sweep.sweep, "Sweep YAML file")->required();
  sweep_cmd->add_option("--out,-o", sweep.out_dir, "Output folder (created if missing)")
      ->required();
  sweep_cmd
      ->add_option("--threads", sweep.threads,
                   "Threads (0 = CORDON_THREADS, else the CPUs this process may use)")
      ->check(CLI::NonNegativeNumber);
  sweep_cmd->add_flag("--resume", sweep.resume, "Continue an interrupted sweep in --out");
  sweep_cmd->add_option("--shard", shard, "Run only shard K of N (K/N), for job arrays");
  sweep_cmd->add_flag("--quiet,-q", quiet, "Print no progress or summary");

  std::vector<std::string> merge_dirs;
  std::string merge_out;
  CLI::App* merge_cmd = app.add_subcommand("merge", "Join the outputs of sweep shards");
  merge_cmd->add_option("shards", merge_dirs, "The --out folders of the shards")->required();
  merge_cmd->add_option("--out,-o", merge_out, "Output folder")->required();

  cordon::engine::CompareConfig compare;
  CLI::App* compare_cmd =
      app.add_subcommand("compare", "Run scenarios and put their outcomes side by side");
  compare_cmd
      ->add_option("scenarios", compare.scenarios,
                   "Scenario YAML files (the first is the reference)")
      ->required();
  compare_cmd->add_option("--out,-o", compare.out_dir, "Output folder")->required();
  compare_cmd->add_option("--village", compare.villages,
                          "Report the arrival day at this village id (repeatable)");
  compare_cmd
      ->add_option("--set", compare.overrides, "Override a key in every scenario: key.path=value")
      ->allow_extra_args(false);
  compare_cmd
      ->add_option("--threads", compare.threads,
                   "Threads (0 = CORDON_THREADS, else the CPUs this process may use)")
      ->check(CLI::NonNegativeNumber);
  compare_cmd->add_flag("--quiet,-q", quiet, "Print no progress or table");

  cordon::engine::OptimizeConfig optimize;
  std::string objective = "attack_rate";
  CLI::App* opt_cmd = app.add_subcommand(
      "optimize",
      "Choose k checkpoint sites (greedy, lazy re-evaluation) and compare with naive placements");
  opt_cmd->add_option("scenario", optimize.scenario, "Base scenario (with a village layer)")
      ->required();
  opt_cmd
      ->add_option(
          "--sites", optimize.sites,
          "Candidate sites: cordon:LEVEL (every road crossing of that level) or a point layer")
      ->required();
  opt_cmd->add_option("--sites-layer", optimize.sites_layer, "Layer of the --sites file");
  opt_cmd->add_option("--budget", optimize.budget, "k: sites to choose at most")
      ->capture_default_str();
  opt_cmd->add_option("--staff-budget", optimize.staff_budget,
                      "Persons per day over all chosen sites (0 = no limit)");
  opt_cmd->add_option("--objective", objective, "attack_rate | peak_H | arrival")
      ->check(CLI::IsMember({"attack_rate", "peak_H", "arrival"}))
      ->capture_default_str();
  opt_cmd->add_option("--protect", optimize.protect,
                      "Village id whose arrival day to delay (repeatable)");
  opt_cmd->add_option("--block", optimize.block, "Share turned back at a chosen site")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  opt_cmd->add_option("--screen", optimize.screen, "Detection probability at a chosen site")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  opt_cmd
      ->add_option("--staff", optimize.staff, "Staff per site per day (a layer's staff field wins)")
      ->capture_default_str();
  opt_cmd->add_option("--start", optimize.start, "Day the sites open")->capture_default_str();
  opt_cmd
      ->add_option("--shortlist", optimize.shortlist,
                   "Candidates evaluated, busiest first (0 = all)")
      ->capture_default_str();
  opt_cmd->add_option("--runs", optimize.runs, "Stochastic runs checking each final placement")
      ->capture_default_str();
  opt_cmd->add_option("--set", optimize.overrides, "Override a scenario key: key.path=value")
      ->allow_extra_args(false);
  opt_cmd
      ->add_option("--threads", optimize.threads,
                   "Threads (0 = CORDON_THREADS, else the CPUs this process may use)")
      ->check(CLI::NonNegativeNumber);
  opt_cmd->add_option("--out,-o", optimize.out_dir, "Output folder")->required();
  opt_cmd->add_flag("--quiet,-q", quiet, "Print no progress or summary");

  cordon::engine::RunConfig render_run;
  RenderOptions render;
  CLI::App* render_cmd = app.add_subcommand(
      "render", "Draw a scenario's spread as MP4, GIF or PNG (no window needed)");
  render_cmd
      ->add_option("scenario", render_run.scenario, "Scenario YAML file (with a village layer)")
      ->required();
  render_cmd->add_option("--out,-o", render.out, "Output .mp4, .gif or .png")->required();
  render_cmd
      ->add_option("--metric", render.metric,
                   "prevalence | cumulative (per 1,000) | attack_rate (%) | first_infected_day")
      ->check(CLI::IsMember({"prevalence", "cumulative", "attack_rate", "first_infected_day"}))
      ->capture_default_str();
  render_cmd->add_flag("--log", render.log, "Logarithmic colour scale");
  render_cmd->add_option("--fps", render.fps, "Frames (days) per second")
      ->check(CLI::Range(1, 60))
      ->capture_default_str();
  render_cmd->add_option("--day", render.day, "PNG: the day to draw (default: the peak)");
  render_cmd->add_option("--width", render.width, "Frame width, pixels (even)")
      ->check(CLI::Range(320, 7680))
      ->capture_default_str();
  render_cmd->add_option("--height", render.height, "Frame height, pixels (even)")
      ->check(CLI::Range(240, 4320))
      ->capture_default_str();
  render_cmd->add_option("--set", render_run.overrides, "Override a scenario key: key.path=value")
      ->allow_extra_args(false);
  render_cmd
      ->add_option("--threads", render_run.threads,
                   "Threads (0 = CORDON_THREADS, else the CPUs this process may use)")
      ->check(CLI::NonNegativeNumber);
  render_cmd->add_flag("--quiet,-q", quiet, "Print nothing");

  bool verbose = false;
  app.add_flag("--verbose,-v", verbose,
               "Print the thread count in use and where it came from (--threads, "
               "CORDON_THREADS or the CPUs this process may use)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }

  try {
    if (verbose) {
      // The thread count a subcommand will use, and where it came from.
      const int requested = *run_cmd       ? run.threads
                            : *sweep_cmd   ? sweep.threads
                            : *compare_cmd ? compare.threads
                            : *opt_cmd     ? optimize.threads
                            : *render_cmd  ? render_run.threads
                                           : 0;
      const cordon::ThreadCount threads = cordon::ResolveThreads(requested);
      std::fprintf(stderr, "cordon: threads: %d (from %s)\n", threads.count,
                   threads.source.c_str());
    }
    if (*run_cmd) {
      ProgressPrinter progress(quiet, "runs");
      // Stages of a network build, with the time since start, on a terminal's stderr
      // (logs and scripts keep the one-line error contract).
      const auto started = std::chrono::steady_clock::now();
      if (!quiet && ::isatty(STDERR_FILENO))
        run.on_stage = [&](const std::string& stage) {
          const double s =
              std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
          std::fprintf(stderr, "[%6.1f s] %s\n", s, stage.c_str());
        };
      const auto report = cordon::engine::RunScenario(
          run, [&](int finished, int total) { progress(finished, total); });
      for (const auto& w : report.warnings)
        std::fprintf(stderr, "cordon: warning: %s\n", w.c_str());
      if (!quiet) PrintSummary(report);
    } else if (*gen_cmd) {
      return Generate(county, county_out, quiet);
    } else if (*derive_cmd) {
      return Derive(derive, derive_out, quiet);
    } else if (*sweep_cmd) {
      return Sweep(sweep, shard, quiet);
    } else if (*render_cmd) {
      if (render.width % 2 || render.height % 2)
        throw cordon::InputError("--width and --height must be even");
      const std::string ext = std::filesystem::path(render.out).extension().string();
      if (ext != ".mp4" && ext != ".gif" && ext != ".png")
        throw cordon::InputError("--out " + render.out + ": expected a .mp4, .gif or .png file");
      if (render.day >= 0 && ext != ".png")
        throw cordon::InputError("--day " + std::to_string(render.day) +
                                 ": only for a .png (a video shows every day)");
      return Render(render_run, render, quiet);
    } else if (*opt_cmd) {
      optimize.objective = objective == "peak_H"    ? cordon::engine::Objective::kPeakHospital
                           : objective == "arrival" ? cordon::engine::Objective::kArrival
                                                    : cordon::engine::Objective::kAttackRate;
      return Optimize(optimize, quiet);
    } else if (*compare_cmd) {
      return Compare(compare, quiet);
    } else if (*merge_cmd) {
      const auto files = cordon::engine::MergeSweeps(merge_dirs, merge_out);
      std::printf("merged %zu shards into %s/{sweep.csv,sweep_points.csv}\n", merge_dirs.size(),
                  merge_out.c_str());
      (void)files;
    }
    return 0;
  } catch (const cordon::InputError& e) {
    std::fprintf(stderr, "cordon: error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cordon: internal error: %s\n", e.what());
    return 1;
  }
}
