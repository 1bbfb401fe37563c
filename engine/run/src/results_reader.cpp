// SPDX-License-Identifier: Apache-2.0
#include "cordon/engine/results_reader.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "cordon/base/error.hpp"
#include "cordon/data/vector_io.hpp"
#include "cordon/engine/daily_file.hpp"
#include "cordon/scenario/model_file.hpp"

namespace cordon::engine {
namespace {

// The number in `text` (all of it), or an InputError naming where it came from.
double Number(const std::string& text, const data::VectorLayer& layer, std::size_t feature,
              std::string_view field) {
  const char* begin = text.c_str();
  char* end = nullptr;
  const double v = std::strtod(begin, &end);
  if (end == begin || *end != '\0')
    throw InputError::Named(layer.path, layer.Where(feature) + ": field '" + std::string(field) +
                                            "': '" + text + "' is not a number");
  return v;
}

// What summary.json tells of the run besides its numbers.
struct SummaryFacts {
  double beds = std::numeric_limits<double>::infinity();  ///< "beds" (null: unlimited)
  std::string model = "cordon";  ///< "model" (absent before models were data: the default)
  std::string name;              ///< "name": the scenario's, its maps' title
  std::string start_date;        ///< "start_date", absent without one
};

SummaryFacts ReadSummary(const std::string& path) {
  SummaryFacts out;
  std::ifstream in(path);
  if (!in) return out;
  try {
    const nlohmann::json j = nlohmann::json::parse(in);
    const auto beds = j.find("beds");
    if (beds != j.end() && beds->is_number()) out.beds = beds->get<double>();
    const auto text = [&](const char* key, std::string& to) {
      const auto it = j.find(key);
      if (it != j.end() && it->is_string()) to = it->get<std::string>();
    };
    text("model", out.model);
    text("name", out.name);
    text("start_date", out.start_date);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(SourceRef{path}, std::string("not valid JSON: ") + e.what());
  }
  return out;
}

// The region series (`region_daily`) into out.result. Returns its number of days (rows).
std::size_t ReadRegionSeries(const std::string& gpkg, DisplayRun& out) {
  const data::VectorLayer region = data::ReadVectorLayer(gpkg, "region_daily");
  for (const auto& field : region.fields)
    if (field != "day" && field != "date") out.result.columns.push_back(field);
  out.result.mean = Eigen::ArrayXXd::Zero(Eigen::Index(region.features.size()),
                                          Eigen::Index(out.result.columns.size()));
  for (std::size_t d = 0; d < region.features.size(); ++d)
    for (std::size_t c = 0; c < out.result.columns.size(); ++c) {
      const int col = region.FieldIndex(out.result.columns[c]);
      if (!region.features[d].values[col].empty())
        out.result.mean(Eigen::Index(d), Eigen::Index(c)) =
            Number(region.features[d].values[col], region, d, out.result.columns[c]);
    }
  return region.features.size();
}

// Every village's states every day (the `daily` table, in the model's order) and the region
// series (`region_daily`) into out.result; out.network and the model spec must be set.
void ReadDailyTables(const std::string& gpkg, DisplayRun& out) {
  const int patches = out.network.Patches();
  // The region series first: its days bound the daily table's, so a bad day in a file never
  // sizes the table.
  const std::size_t days = ReadRegionSeries(gpkg, out);
  // The model's states, in its order, as the daily table's columns.
  const sim::ModelSpec& spec = out.scenario.model_spec;
  std::vector<std::string> fields = {"day"};
  for (const auto& c : spec.compartments) {
    out.result.patch_columns.push_back(c.name);
    fields.push_back(c.name);
  }
  const std::size_t states = spec.compartments.size();
  out.result.state_columns = states;
  std::unordered_map<std::string, int> index;
  for (int i = 0; i < patches; ++i) index.emplace(out.network.ids[i], i);
  std::vector<double>& daily = out.result.patch_daily;
  daily.assign(days * states * std::size_t(patches), 0.0);
  // A run with simulation.daily: nc kept them in daily.nc beside results.gpkg instead.
  const std::string netcdf = (std::filesystem::path(gpkg).parent_path() / "daily.nc").string();
  std::error_code ec;
  if (!data::HasLayer(gpkg, "daily") && std::filesystem::exists(netcdf, ec)) {
    const DailyValues nc = ReadDailyNetcdf(netcdf);
    const auto& vars = nc.layout.variables;
    const std::size_t places = nc.layout.ids.size(), day_size = nc.DaySize();
    std::vector<int> village(places, -1);
    for (std::size_t i = 0; i < places; ++i)
      if (const auto it = index.find(nc.layout.ids[i]); it != index.end()) village[i] = it->second;
    for (std::size_t c = 0; c < states; ++c) {
      const auto v = std::find_if(vars.begin(), vars.end(),
                                  [&](const auto& x) { return x.name == fields[1 + c]; });
      if (v == vars.end())
        throw InputError(SourceRef{netcdf}, "no variable '" + fields[1 + c] + "'");
      const std::size_t k = std::size_t(v - vars.begin());
      for (std::size_t d = 0; d < days && d <= std::size_t(nc.layout.days); ++d)
        for (std::size_t i = 0; i < places; ++i)
          if (village[i] >= 0)
            daily[(d * states + c) * patches + std::size_t(village[i])] =
                nc.values[d * day_size + k * places + i];
    }
    return;
  }
  // Read row by row: the table can hold millions of rows.
  long long rows = 0;
  const std::string where = gpkg + " (layer daily) feature ";
  auto row = [&](long long fid, const char* village, const double* values) {
    const double d = values[0];
    if (!(d >= 0 && d < double(days) && d == std::floor(d)))
      throw InputError(where + std::to_string(fid) +
                       ": field 'day': expected a whole day from 0 to " +
                       std::to_string(long(days) - 1) + " (region_daily's days)");
    const auto it = index.find(village);
    if (it == index.end()) return;
    ++rows;
    for (std::size_t c = 0; c < states; ++c) {
      if (std::isnan(values[1 + c]))
        throw InputError(where + std::to_string(fid) + ": field '" + fields[1 + c] + "' is null");
      daily[(std::size_t(d) * states + c) * patches + it->second] = values[1 + c];
    }
  };
  try {
    data::ReadTableRows(gpkg, "daily", "village_id", fields, row);
  } catch (const InputError& e) {
    const std::string what = e.what();
    if (what.find("no layer 'daily'") != std::string::npos)
      throw InputError(SourceRef{gpkg},
                       "no daily table (runs with simulation.daily: false leave it out)");
    throw;
  }
  if (rows == 0) throw InputError(SourceRef{gpkg}, "the daily table holds none of the villages");
}

// The roads and the units' names the run's maps showed, when results.gpkg has them (runs
// before they were written have none).
void ReadMapLayers(const std::string& gpkg, geo::Geography& geo) {
  if (data::HasLayer(gpkg, "roads")) {
    data::VectorLayer roads = data::ReadVectorLayer(gpkg, "roads");
    data::Reproject(roads, geo.region.crs);
    for (const auto& f : roads.features)
      for (const auto& line : f.lines)
        for (std::size_t k = 0; k + 1 < line.size(); ++k) {
          const int from = geo.graph.Nodes();
          geo.graph.nodes.push_back(line[k]);
          geo.graph.nodes.push_back(line[k + 1]);
          geo::RoadEdge e;
          e.from = from;
          e.to = from + 1;
          geo.graph.edges.push_back(e);
        }
    geo.has_roads = !geo.graph.edges.empty();
  }
  if (data::HasLayer(gpkg, "labels")) {
    data::VectorLayer labels = data::ReadVectorLayer(gpkg, "labels");
    data::Reproject(labels, geo.region.crs);
    const int text = labels.FieldIndex("text"), code = labels.FieldIndex("code"),
              span = labels.FieldIndex("span_m"), people = labels.FieldIndex("population");
    if (text < 0) return;
    for (std::size_t k = 0; k < labels.features.size(); ++k) {
      const auto& f = labels.features[k];
      if (f.points.empty()) continue;
      geo::UnitLabel l;
      l.text = f.values[std::size_t(text)];
      l.at = f.points.front();
      if (code >= 0) l.code = f.values[std::size_t(code)];
      if (span >= 0 && !f.values[std::size_t(span)].empty())
        l.span_m = Number(f.values[std::size_t(span)], labels, k, "span_m");
      if (people >= 0 && !f.values[std::size_t(people)].empty())
        l.population = Number(f.values[std::size_t(people)], labels, k, "population");
      geo.labels.push_back(std::move(l));
    }
  }
}

}  // namespace

DisplayRun LoadResultsFolder(const std::string& dir) {
  namespace fs = std::filesystem;
  const std::string gpkg = (fs::path(dir) / "results.gpkg").string();
  std::error_code ec;
  if (!fs::exists(gpkg, ec))
    throw InputError(dir +
                     ": no results.gpkg (is this the --out folder of a run with a village layer?)");
  DisplayRun out;
  const SummaryFacts summary = ReadSummary((fs::path(dir) / "summary.json").string());
  // The scenario's name and dates, as its maps had them (the folder's name for old runs).
  out.scenario.name =
      !summary.name.empty() ? summary.name : fs::path(dir).lexically_normal().filename().string();
  out.scenario.start_date = summary.start_date;
  out.scenario.file = dir;
  out.scenario.model = summary.model;
  out.scenario.model_spec =
      scenario::LoadModel(summary.model, (fs::path(dir) / "summary.json").string());
  // Villages: the fields between name and population are the admin levels, as written.
  data::VectorLayer villages = data::ReadVectorLayer(gpkg, "villages");
  const int name = villages.FieldIndex("name"), pop = villages.FieldIndex("population");
  if (name < 0 || pop < 0)
    throw InputError(SourceRef{gpkg}, "layer villages lacks name or population");
  geo::RegionFields fields;
  fields.id = "id";
  fields.name = "name";
  fields.population = "population";
  fields.level = "patch";
  for (int f = name + 1; f < pop; ++f) fields.parent.push_back(villages.fields[f]);
  const std::string source_crs = villages.crs;
  data::Reproject(villages, data::LocalEqualAreaCrs(villages));
  geo::Geography geo;
  geo.region = geo::BuildRegion(villages, fields, source_crs);
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
      out.result.attack_rate[i] = Number(f.values[attack], villages, i, "attack_rate");
    if (first >= 0 && !f.values[first].empty())
      out.result.first_infected_day[i] = Number(f.values[first], villages, i, "first_infected_day");
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
    if (!text("block").empty()) c.block = Number(text("block"), points, k, "block");
    if (!text("screen").empty()) c.screen = Number(text("screen"), points, k, "screen");
    for (int n = 0; n < sim::kNumCheckpointCounters; ++n)
      if (!text(counters[n]).empty())
        out.result.checkpoint_totals(Eigen::Index(k), n) =
            Number(text(counters[n]), points, k, counters[n]);
    out.network.checkpoints.push_back(c);
    geo.checkpoint_points.push_back(f.points.empty() ? data::Point2{} : f.points.front());
    geo.checkpoint_kinds.push_back(text("kind"));
  }
  ReadMapLayers(gpkg, geo);
  ReadDailyTables(gpkg, out);
  out.result.run_series = {out.result.mean};
  out.result.q05 = out.result.q95 = out.result.mean;
  out.beds = summary.beds;
  out.geography = std::move(geo);
  return out;
}

}  // namespace cordon::engine
