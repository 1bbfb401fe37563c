// SPDX-License-Identifier: Apache-2.0
// `cordon run` for a model from a file: build it on the scenario's tables, run it,
// write outputs whose columns come from the model.
#include "run_model.hpp"

#include <chrono>
#include <filesystem>
#include <limits>

#include "cordon/base/error.hpp"
#include "cordon/engine/model_outputs.hpp"
#include "cordon/engine/outputs.hpp"
#include "cordon/engine/run.hpp"

namespace cordon::engine {

RunReport RunFileModel(const RunConfig& config, const Scenario& scenario,
                       const ThreadCount& threads) {
  const auto build_start = std::chrono::steady_clock::now();
  const sim::CompiledModel model(scenario.model_spec, BuildFileModelInputs(scenario));
  const double build_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - build_start).count();

  std::error_code ec;
  std::filesystem::create_directories(config.out_dir, ec);
  if (ec) throw Error(config.out_dir + ": cannot create output folder: " + ec.message());

  sim::RunSettings settings = scenario.simulation;
  // daily.csv, unless it would be huge.
  constexpr double kMaxDailyRows = 2e6;
  const double daily_rows = double(model.Patches()) * (settings.days + 1);
  settings.record_patch_daily = daily_rows <= kMaxDailyRows;
  const auto start = std::chrono::steady_clock::now();
  const sim::ModelRunResult result = sim::SimulateModel(model, settings);  // run 0
  const double runtime =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  RunReport report;
  report.name = scenario.name;
  report.model = scenario.model_spec.name;
  report.out_dir = config.out_dir;
  report.population = model.Net().population.sum();
  report.beds = std::numeric_limits<double>::infinity();
  report.turned_back = 0.0;
  report.runtime_s = runtime;
  report.build_s = build_s;
  report.threads = threads;
  report.patches = model.Patches();
  report.routes = model.Net().trips.nonZeros();
  report.summary = SummarizeModelRun(model, result);
  if (!settings.record_patch_daily)
    report.warnings.push_back("daily.csv left out (" + std::to_string(long(daily_rows)) +
                              " village-days; the limit is 2,000,000)");

  const std::filesystem::path dir(config.out_dir);
  WriteModelSeriesCsv((dir / "series.csv").string(), result);
  WriteModelVillagesCsv((dir / "villages.csv").string(), model.Net(), result);
  report.outputs = {"series.csv", "villages.csv"};
  if (settings.record_patch_daily) {
    WriteModelDailyCsv((dir / "daily.csv").string(), model.Net(), result);
    report.outputs.push_back("daily.csv");
  }
  report.outputs.push_back("summary.json");
  WriteSummaryJson((dir / "summary.json").string(), report, scenario.hash);
  return report;
}

}  // namespace cordon::engine
