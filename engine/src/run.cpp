// SPDX-License-Identifier: Apache-2.0
#include "cordon/engine/run.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <system_error>
#include <unordered_map>

#include "cordon/data/vector_io.hpp"
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

DisplayRun LoadResultsFolder(const std::string& dir) {
  namespace fs = std::filesystem;
  const std::string gpkg = (fs::path(dir) / "results.gpkg").string();
  std::error_code ec;
  if (!fs::exists(gpkg, ec))
    throw InputError(dir +
                     ": no results.gpkg (is this the --out folder of a run with a village layer?)");
  DisplayRun out;
  out.scenario.name = fs::path(dir).lexically_normal().filename().string();
  out.scenario.file = dir;
  // Villages: the fields between name and population are the admin levels, as written.
  data::VectorLayer villages = data::ReadVectorLayer(gpkg, "villages");
  const int name = villages.FieldIndex("name"), pop = villages.FieldIndex("population");
  if (name < 0 || pop < 0) throw InputError(gpkg + ": layer villages lacks name or population");
  RegionFields fields;
  fields.id = "id";
  fields.name = "name";
  fields.population = "population";
  fields.level = "patch";
  for (int f = name + 1; f < pop; ++f) fields.parent.push_back(villages.fields[f]);
  const std::string source_crs = villages.crs;
  data::Reproject(villages, data::LocalEqualAreaCrs(villages));
  Geography geo;
  geo.region = BuildRegion(villages, fields, source_crs);
  const int patches = geo.region.Patches();
  out.network.ids = geo.region.ids;
  out.network.names = geo.region.names;
  out.network.population = Eigen::Map<const Eigen::ArrayXd>(geo.region.population.data(), patches);
  out.result.attack_rate = Eigen::ArrayXd::Zero(patches);
  out.result.first_infected_day = Eigen::ArrayXd::Constant(patches, std::nan(""));
  const int attack = villages.FieldIndex("attack_rate"),
            first = villages.FieldIndex("first_infected_day");
  for (int i = 0; i < patches; ++i) {
    const auto& f = villages.features[i];
    if (attack >= 0 && !f.values[attack].empty())
      out.result.attack_rate[i] = std::stod(f.values[attack]);
    if (first >= 0 && !f.values[first].empty())
      out.result.first_infected_day[i] = std::stod(f.values[first]);
  }
  // Checkpoints with their counters.
  data::VectorLayer points = data::ReadVectorLayer(gpkg, "checkpoints");
  data::Reproject(points, geo.region.crs);
  out.result.checkpoint_totals =
      Eigen::ArrayXXd::Zero(Eigen::Index(points.features.size()), sim::kNumCheckpointCounters);
  const char* counters[] = {"monitored", "turned_back", "detected"};
  for (std::size_t k = 0; k < points.features.size(); ++k) {
    const auto& f = points.features[k];
    sim::Checkpoint c;
    auto text = [&](const char* field) {
      const int i = points.FieldIndex(field);
      return i >= 0 ? f.values[i] : std::string();
    };
    c.id = text("id");
    c.level = text("level");
    if (!text("block").empty()) c.block = std::stod(text("block"));
    if (!text("screen").empty()) c.screen = std::stod(text("screen"));
    for (int n = 0; n < sim::kNumCheckpointCounters; ++n)
      if (!text(counters[n]).empty())
        out.result.checkpoint_totals(Eigen::Index(k), n) = std::stod(text(counters[n]));
    out.network.checkpoints.push_back(c);
    geo.checkpoint_points.push_back(f.points.empty() ? data::Point2{} : f.points.front());
    geo.checkpoint_kinds.push_back(text("kind"));
  }
  // Every village's compartments every day, and the region series.
  data::VectorLayer daily;
  try {
    daily = data::ReadVectorLayer(gpkg, "daily");
  } catch (const data::GisInputError&) {
    throw InputError(gpkg + ": no daily table (runs beyond 2,000,000 village-days leave it out)");
  }
  std::unordered_map<std::string, int> index;
  for (int i = 0; i < patches; ++i) index.emplace(geo.region.ids[i], i);
  const int vid = daily.FieldIndex("village_id"), day = daily.FieldIndex("day");
  int days = 0;
  for (const auto& f : daily.features) days = std::max(days, std::stoi(f.values[day]));
  out.result.patch_daily.assign(std::size_t(days + 1) * sim::kNumCompartments * patches, 0.0f);
  std::vector<int> column(sim::kNumCompartments);
  for (int c = 0; c < sim::kNumCompartments; ++c)
    column[c] = daily.FieldIndex(std::string(sim::SeriesColumnName(c)));
  for (const auto& f : daily.features) {
    const auto it = index.find(f.values[vid]);
    if (it == index.end()) continue;
    const std::size_t d = static_cast<std::size_t>(std::stoi(f.values[day]));
    for (int c = 0; c < sim::kNumCompartments; ++c)
      out.result.patch_daily[(d * sim::kNumCompartments + c) * patches + it->second] =
          std::stof(f.values[column[c]]);
  }
  const data::VectorLayer region = data::ReadVectorLayer(gpkg, "region_daily");
  out.result.mean =
      Eigen::ArrayXXd::Zero(Eigen::Index(region.features.size()), sim::kNumSeriesColumns);
  for (std::size_t d = 0; d < region.features.size(); ++d)
    for (int c = 0; c < sim::kNumSeriesColumns; ++c) {
      const int col = region.FieldIndex(std::string(sim::SeriesColumnName(c)));
      if (col >= 0 && !region.features[d].values[col].empty())
        out.result.mean(Eigen::Index(d), c) = std::stod(region.features[d].values[col]);
    }
  out.result.run_series = {out.result.mean};
  out.result.q05 = out.result.q95 = out.result.mean;
  // Beds from summary.json ("beds": number, or null when unlimited).
  out.beds = std::numeric_limits<double>::infinity();
  std::ifstream summary(fs::path(dir) / "summary.json");
  std::string line;
  while (std::getline(summary, line))
    if (const auto at = line.find("\"beds\": "); at != std::string::npos) {
      char* end = nullptr;
      const double beds = std::strtod(line.c_str() + at + 8, &end);
      if (end != line.c_str() + at + 8) out.beds = beds;
    }
  out.geography = std::move(geo);
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
