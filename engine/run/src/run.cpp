// SPDX-License-Identifier: Apache-2.0
#include "cordon/engine/run.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "cordon/base/error.hpp"
#include "cordon/base/threads.hpp"
#include "cordon/engine/model_build.hpp"
#include "cordon/engine/outputs.hpp"
#include "cordon/engine/results_gpkg.hpp"
#include "cordon/sim/ensemble.hpp"
#include "day_writer.hpp"
#include "point_region.hpp"

namespace cordon::engine {

namespace {

// The checkpoints' counters summed per level, levels in the order of their first site.
std::vector<LevelCounters> CountersByLevel(const sim::Network& net, const Eigen::ArrayXXd& totals) {
  std::vector<LevelCounters> levels;
  for (std::size_t k = 0; k < net.checkpoints.size(); ++k) {
    const std::string& level = net.checkpoints[k].level;
    auto it = std::find_if(levels.begin(), levels.end(),
                           [&](const LevelCounters& l) { return l.level == level; });
    if (it == levels.end()) it = levels.insert(levels.end(), LevelCounters{level});
    const Eigen::Index row = Eigen::Index(k);
    it->sites++;
    it->monitored += totals(row, sim::kMonitoredCount);
    it->turned_back += totals(row, sim::kCheckpointTurnedBackCount);
    it->detected += totals(row, sim::kCheckpointDetectedCount);
  }
  return levels;
}

// Where every day's per-village values go: results.gpkg's daily table (GIS runs), daily.nc
// or daily.csv, each day as it is done on the writer's thread, never held whole; and the
// caller's memory (RunConfig::daily: the Python package). Not movable: the callbacks hold
// its address.
struct DailyOutputs {
  std::optional<ResultsGpkgWriter> gpkg;
  std::optional<data::SeriesNetcdfWriter> nc;
  std::optional<DailyCsvWriter> csv;
  std::optional<DayWriter> writer;  // declared after the files: stops before they close
  sim::PatchDayCallback on_patch_day;
  DailyValues* held = nullptr;
  std::size_t day_size = 0;
  std::string file;         // "daily.nc", "daily.csv" or "": the file simulation.daily names
  bool gpkg_daily = false;  // results.gpkg's daily table

  DailyOutputs() = default;
  DailyOutputs(const DailyOutputs&) = delete;
  DailyOutputs& operator=(const DailyOutputs&) = delete;

  void Open(const RunConfig& config, const scenario::Scenario& scenario, const sim::Model& model,
            const std::optional<geo::Geography>& geography) {
    const std::filesystem::path dir(config.out_dir);
    std::size_t states = 0;
    const std::vector<std::string> columns = sim::PatchColumns(model, &states);
    const scenario::DailyOutput kind = scenario.daily_output;
    gpkg_daily = geography && kind == scenario::DailyOutput::kDefault;
    if (geography)
      gpkg.emplace((dir / "results.gpkg").string(), model.Net(), columns, states,
                   scenario.start_date, gpkg_daily);
    if (kind == scenario::DailyOutput::kNone) return;
    if (kind == scenario::DailyOutput::kCsv) file = "daily.csv";
    if (kind == scenario::DailyOutput::kNetcdf ||
        (kind == scenario::DailyOutput::kDefault && !geography))
      file = "daily.nc";
    const bool write = !file.empty() && (config.daily_file || !config.daily);
    data::SeriesLayout layout;
    if (write || config.daily) {
      std::vector<double> lon, lat;
      VillageLonLat(scenario, geography, model.Net(), &lon, &lat);
      layout =
          DailyLayout(model, scenario.name, scenario.start_date, std::move(lon), std::move(lat));
      layout.days = scenario.simulation.days;
    }
    if (write && file == "daily.nc") nc.emplace((dir / file).string(), layout);
    if (write && file == "daily.csv")
      csv.emplace((dir / file).string(), model.Net().ids, columns, scenario.start_date);
    day_size = columns.size() * std::size_t(model.Patches());
    held = config.daily;
    if (held)
      *held = {std::move(layout),
               std::unique_ptr<double[]>(
                   new double[std::size_t(scenario.simulation.days + 1) * day_size])};
    if (held && !gpkg_daily && !nc && !csv) {  // memory only: no thread needed for a copy
      on_patch_day = [this](int day, const double* values) { Hold(day, values); };
      return;
    }
    if (!held && !gpkg_daily && !nc && !csv) return;
    writer.emplace(day_size, [this](int day, const double* values) {
      Hold(day, values);
      if (gpkg_daily) gpkg->AddDay(day, values);
      if (nc) nc->AddDay(day, values);
      if (csv) csv->AddDay(day, values);
    });
    on_patch_day = [this](int day, const double* values) { writer->Add(day, values); };
  }

  void Hold(int day, const double* values) {
    if (held)
      std::copy(values, values + day_size, held->values.get() + std::size_t(day) * day_size);
  }

  // Renames the finished files into place; the names written, for the report.
  void Commit(std::vector<std::string>& outputs) {
    if (nc) nc->Commit();
    if (csv) csv->Commit();
    if (nc || csv) outputs.push_back(file);
  }
};

}  // namespace

RunReport RunScenario(const RunConfig& config, const Progress& progress) {
  scenario::Scenario scenario = scenario::LoadScenario(config.scenario, config.overrides);
  const ThreadCount threads = ResolveThreads(config.threads);
  const auto build_start = std::chrono::steady_clock::now();
  std::optional<geo::Geography> geography;
  sim::Model model = BuildScenarioModel(scenario, threads.count, &geography, config.on_stage);

  std::error_code ec;
  std::filesystem::create_directories(config.out_dir, ec);
  if (ec) throw Error(config.out_dir + ": cannot create output folder: " + ec.message());

  const double build_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - build_start).count();
  std::vector<std::string> warnings;
  if (geography) warnings = geography->warnings;
  const std::filesystem::path dir(config.out_dir);
  DailyOutputs daily;
  daily.Open(config, scenario, model, geography);
  const auto start = std::chrono::steady_clock::now();
  const sim::EnsembleResult result = sim::RunEnsemble(model, scenario.simulation, threads.count,
                                                      progress, config.on_day, daily.on_patch_day);
  if (daily.writer) daily.writer->Finish();  // every day in its file before it is finished
  const double runtime =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  RunReport report;
  report.name = scenario.name;
  report.start_date = scenario.start_date;
  report.model = scenario.model_spec.name;
  const sim::ModelSpec& spec = model.Spec();
  report.has_overflow = spec.OverflowFlow() >= 0;
  if (const int f = spec.InfectionsFlow(); f >= 0) report.infections_flow = spec.flows[f].name;
  report.reinfection = spec.Reinfection();
  report.first_infections = spec.FirstInfectionsFlow() >= 0;
  report.out_dir = config.out_dir;
  report.stochastic = scenario.simulation.mode == sim::Mode::kStochastic;
  report.runs = static_cast<int>(result.run_series.size());
  report.population = model.Net().population.sum();
  report.beds = model.Beds();
  report.runtime_s = runtime;
  report.build_s = build_s;
  report.threads = threads;
  report.patches = model.Patches();
  report.checkpoints = model.Checkpoints();
  report.routes = model.Net().trips.nonZeros();
  report.warnings = warnings;
  if (geography) report.gates = geography->gates;
  const int turned_back = result.Column("turned_back");
  report.turned_back = turned_back < 0 ? std::numeric_limits<double>::quiet_NaN()
                                       : result.mean.col(turned_back).sum();
  report.days = scenario.simulation.days;
  report.levels = CountersByLevel(model.Net(), result.checkpoint_totals);
  const double seeded = model.SeededPerPatch().sum();
  const int villages_infected = static_cast<int>((result.infected_share >= 0.5).count());
  report.summary = sim::Summarize(model, result.mean, result.mean_overflow, report.population,
                                  seeded, villages_infected);
  if (report.stochastic) {
    // Overflow in any one run makes the mean positive: count days per run instead.
    double days_over = 0.0;
    for (std::size_t r = 0; r < result.run_series.size(); ++r) {
      report.run_summaries.push_back(sim::Summarize(model, result.run_series[r],
                                                    result.run_overflow[r], report.population,
                                                    seeded, result.run_villages_infected[r]));
      days_over += report.run_summaries.back().days_over_capacity;
    }
    report.summary.days_over_capacity =
        static_cast<int>(std::lround(days_over / double(report.runs)));
  }

  if (report.stochastic) {
    std::filesystem::create_directories(dir / "runs", ec);
    if (ec) throw Error((dir / "runs").string() + ": cannot create folder: " + ec.message());
    // A file per run, each synced before its rename: on the run's threads the syncs overlap.
    ParallelFor(static_cast<long long>(result.run_series.size()), threads.count, [&](long long r) {
      char name[32];
      std::snprintf(name, sizeof name, "run_%04lld.csv", r + 1);
      WriteSeriesCsv((dir / "runs" / name).string(), result.columns,
                     result.run_series[std::size_t(r)], nullptr, scenario.start_date);
    });
  }
  report.outputs = {"series.csv", "villages.csv", "checkpoints.csv", "summary.json"};
  if (daily.gpkg) {
    daily.gpkg->Finish(*geography, result);
    report.outputs.push_back("results.gpkg");
  }
  // The tables and daily.nc's commit are independent files, each written to a temporary
  // name, synced and renamed: on the run's threads one file's sync (which waits for the
  // disk) overlaps another's formatting. Files finish in any order; of several failures the
  // first in this list is the one reported.
  std::vector<std::string> daily_outputs;
  const std::function<void()> writes[] = {
      [&] {
        WriteSeriesCsv((dir / "series.csv").string(), result.columns, result.mean,
                       report.stochastic ? &result : nullptr, scenario.start_date);
      },
      [&] {
        WriteVillagesCsv((dir / "villages.csv").string(), model.Net(), result, report.reinfection);
      },
      [&] { WriteCheckpointsCsv((dir / "checkpoints.csv").string(), model.Net(), result); },
      [&] { daily.Commit(daily_outputs); }};
  std::exception_ptr failed[std::size(writes)];
  ParallelFor(static_cast<long long>(std::size(writes)), threads.count, [&](long long k) {
    try {
      writes[k]();
    } catch (...) {
      failed[k] = std::current_exception();
    }
  });
  for (const std::exception_ptr& e : failed)
    if (e) std::rethrow_exception(e);
  report.outputs.insert(report.outputs.end(), daily_outputs.begin(), daily_outputs.end());
  report.daily_file = daily.file;
  WriteSummaryJson((dir / "summary.json").string(), report, scenario.hash);
  return report;
}

}  // namespace cordon::engine
