// SPDX-License-Identifier: Apache-2.0
#include "cordon/engine/run.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <system_error>

#include "cordon/engine/geography.hpp"
#include "cordon/engine/outputs.hpp"
#include "cordon/engine/results_gpkg.hpp"
#include "cordon/sim/error.hpp"
#include "cordon/sim/model.hpp"

namespace cordon::engine {

const char* Version() { return CORDON_VERSION; }

sim::Model BuildScenarioModel(const Scenario& scenario, int threads,
                              std::optional<Geography>* geography, const StageCallback& on_stage) {
  try {
    if (scenario.geo.enabled) {
      GeoModel geo = BuildGeoModel(scenario, threads, on_stage);
      if (geography) *geography = std::move(geo.geography);
      return sim::Model(std::move(geo.inputs));
    }
    return sim::Model(BuildModelInputs(scenario));
  } catch (const InputError& e) {
    // Model validation messages name keys and ids; add the scenario file.
    const std::string what = e.what();
    if (what.rfind(scenario.file, 0) == 0 || what.find(".csv") != std::string::npos) throw;
    throw InputError(scenario.file + ": " + what);
  }
}

RunReport RunScenario(const RunConfig& config, const ProgressCallback& progress) {
  Scenario scenario = LoadScenario(config.scenario, config.overrides);
  const auto build_start = std::chrono::steady_clock::now();
  std::optional<Geography> geography;
  sim::Model model = BuildScenarioModel(scenario, config.threads, &geography, config.on_stage);

  std::error_code ec;
  std::filesystem::create_directories(config.out_dir, ec);
  if (ec) throw Error(config.out_dir + ": cannot create output folder: " + ec.message());

  const double build_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - build_start).count();
  // The per-village daily table of results.gpkg, unless it would be huge.
  const double daily_rows = double(model.Patches()) * (scenario.simulation.days + 1);
  constexpr double kMaxDailyRows = 2e6;
  std::vector<std::string> warnings;
  if (geography) {
    warnings = geography->warnings;
    scenario.simulation.record_patch_daily = daily_rows <= kMaxDailyRows;
    if (!scenario.simulation.record_patch_daily)
      warnings.push_back("results.gpkg: daily table left out (" + std::to_string(long(daily_rows)) +
                         " village-days; the limit is 2,000,000)");
  }
  const auto start = std::chrono::steady_clock::now();
  const sim::EnsembleResult result =
      sim::RunEnsemble(model, scenario.simulation, config.threads, progress);
  const double runtime =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  RunReport report;
  report.name = scenario.name;
  report.out_dir = config.out_dir;
  report.stochastic = scenario.simulation.mode == sim::Mode::kStochastic;
  report.runs = static_cast<int>(result.run_series.size());
  report.population = model.Net().population.sum();
  report.beds = model.Beds();
  report.runtime_s = runtime;
  report.build_s = build_s;
  report.patches = model.Patches();
  report.checkpoints = model.Checkpoints();
  report.routes = model.Net().trips.nonZeros();
  report.warnings = warnings;
  if (geography) report.gates = geography->gates;
  report.turned_back = result.mean.col(sim::kTurnedBackColumn).sum();
  const double seeded = model.SeededPerPatch().sum();
  const int villages_infected = static_cast<int>((result.infected_share >= 0.5).count());
  report.summary = sim::Summarize(result.mean, result.mean_overflow, report.population, seeded,
                                  villages_infected);
  if (report.stochastic) {
    // Overflow in any one run makes the mean positive: count days per run instead.
    double days_over = 0.0;
    for (std::size_t r = 0; r < result.run_series.size(); ++r) {
      report.run_summaries.push_back(sim::Summarize(result.run_series[r], result.run_overflow[r],
                                                    report.population, seeded,
                                                    result.run_villages_infected[r]));
      days_over += report.run_summaries.back().days_over_capacity;
    }
    report.summary.days_over_capacity =
        static_cast<int>(std::lround(days_over / double(report.runs)));
  }

  const std::filesystem::path dir(config.out_dir);
  if (report.stochastic) {
    std::filesystem::create_directories(dir / "runs", ec);
    if (ec) throw Error((dir / "runs").string() + ": cannot create folder: " + ec.message());
    for (std::size_t r = 0; r < result.run_series.size(); ++r) {
      char name[32];
      std::snprintf(name, sizeof name, "run_%04zu.csv", r + 1);
      WriteSeriesCsv((dir / "runs" / name).string(), result.run_series[r], nullptr);
    }
  }
  WriteSeriesCsv((dir / "series.csv").string(), result.mean, report.stochastic ? &result : nullptr);
  WriteVillagesCsv((dir / "villages.csv").string(), model.Net(), result);
  WriteCheckpointsCsv((dir / "checkpoints.csv").string(), model.Net(), result);
  report.outputs = {"series.csv", "villages.csv", "checkpoints.csv", "summary.json"};
  if (geography) {
    WriteResultsGpkg((dir / "results.gpkg").string(), *geography, model.Net(), result);
    report.outputs.push_back("results.gpkg");
  }
  WriteSummaryJson((dir / "summary.json").string(), report, scenario.hash);
  return report;
}

DisplayRun RunForDisplay(const RunConfig& config, const ProgressCallback& progress) {
  return RunForDisplay(LoadScenario(config.scenario, config.overrides), config.threads, progress);
}

DisplayRun RunForDisplay(Scenario scenario, int threads, const ProgressCallback& progress) {
  DisplayRun out;
  out.scenario = std::move(scenario);
  sim::Model model = BuildScenarioModel(out.scenario, threads, &out.geography);
  out.scenario.simulation.record_patch_daily = true;
  out.result = sim::RunEnsemble(model, out.scenario.simulation, threads, progress);
  out.network = model.Net();
  out.beds = model.Beds();
  return out;
}

std::string DateAfter(const std::string& start_date, int day) {
  int y = 0, m = 0, d = 0;
  if (start_date.empty() || std::sscanf(start_date.c_str(), "%d-%d-%d", &y, &m, &d) != 3) return "";
  // Days from 1970-01-01 and back (Howard Hinnant's civil-date algorithms).
  auto to_days = [](int y, int m, int d) {
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
  };
  int z = to_days(y, m, d) + day + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int dd = doy - (153 * mp + 2) / 5 + 1;
  const int mm = mp < 10 ? mp + 3 : mp - 9;
  const int yy = yoe + era * 400 + (mm <= 2);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", yy, mm, dd);
  return buf;
}

}  // namespace cordon::engine
