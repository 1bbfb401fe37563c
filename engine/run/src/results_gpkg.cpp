// SPDX-License-Identifier: Apache-2.0
#include "cordon/engine/results_gpkg.hpp"

#include "cordon/data/vector_writer.hpp"
#include "cordon/engine/dates.hpp"
#include "cordon/sim/simulation.hpp"

namespace cordon::engine {

using data::Column;
using data::FieldType;

namespace {

// `"name"` for SQL.
std::string Quoted(const std::string& name) {
  std::string q = "\"";
  for (char c : name) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

// The index on daily (village_id, day) and the spatial view villages_daily: every daily row
// with its village's polygon, registered in gpkg_contents and gpkg_geometry_columns.
std::vector<std::string> DailyViewSql(const data::LayerToWrite& daily) {
  std::string select = "SELECT d.fid AS OGC_FID, v.geom AS geom";
  for (const auto& c : daily.columns) select += ", d." + Quoted(c.name) + " AS " + Quoted(c.name);
  return {"CREATE INDEX daily_village_day ON daily (village_id, day)",
          "CREATE VIEW villages_daily AS " + select +
              " FROM daily d JOIN villages v ON v.id = d.village_id",
          "INSERT INTO gpkg_contents (table_name, identifier, data_type, srs_id, min_x, min_y, "
          "max_x, max_y) SELECT 'villages_daily', 'villages_daily', 'features', srs_id, min_x, "
          "min_y, max_x, max_y FROM gpkg_contents WHERE table_name = 'villages'",
          "INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, "
          "z, m) SELECT 'villages_daily', 'geom', geometry_type_name, srs_id, z, m FROM "
          "gpkg_geometry_columns WHERE table_name = 'villages'"};
}

// The daily table's columns (no rows): village_id, day, the states, date.
data::LayerToWrite DailyColumns(const std::vector<std::string>& patch_columns,
                                std::size_t state_columns, bool dated) {
  data::LayerToWrite daily;
  daily.name = "daily";
  daily.columns.push_back({"village_id", FieldType::kText, {}, {}, {}});
  daily.columns.push_back({"day", FieldType::kInteger, {}, {}, {}});
  // The states (compartments, N), not the daily flows: docs/scenario.md's "compartments".
  for (std::size_t c = 0; c < state_columns; ++c)
    daily.columns.push_back({patch_columns[c], FieldType::kReal, {}, {}, {}});
  if (dated) daily.columns.push_back({"date", FieldType::kDate, {}, {}, {}});
  return daily;
}

}  // namespace

ResultsGpkgWriter::ResultsGpkgWriter(const std::string& path, const sim::Network& net,
                                     std::vector<std::string> patch_columns,
                                     std::size_t state_columns, std::string start_date, bool daily)
    : file_(path),
      net_(net),
      patch_columns_(std::move(patch_columns)),
      state_columns_(state_columns),
      start_date_(std::move(start_date)),
      daily_(daily) {
  if (daily_) file_.BeginLayer(DailyColumns(patch_columns_, state_columns_, !start_date_.empty()));
}

void ResultsGpkgWriter::AddDay(int day, const double* values) {
  if (!daily_) return;
  const std::size_t patches = std::size_t(net_.Patches());
  data::LayerToWrite rows = DailyColumns(patch_columns_, state_columns_, !start_date_.empty());
  rows.columns[0].text = net_.ids;
  rows.columns[1].integer.assign(patches, day);
  // Stored at float precision (7 digits), as this table always was: it is for maps.
  for (std::size_t c = 0; c < state_columns_; ++c) {
    std::vector<double>& column = rows.columns[2 + c].real;
    column.resize(patches);
    for (std::size_t i = 0; i < patches; ++i)
      column[i] = double(static_cast<float>(values[c * patches + i]));
  }
  if (!start_date_.empty()) rows.columns.back().text.assign(patches, DateAfter(start_date_, day));
  file_.AppendRows(rows);
}

void ResultsGpkgWriter::Finish(const geo::Geography& geo, const sim::EnsembleResult& result) {
  const geo::Region& region = geo.region;
  const sim::Network& net = net_;
  const int patches = net.Patches();
  std::vector<data::LayerToWrite> layers;

  data::LayerToWrite villages;
  villages.name = "villages";
  villages.kind = data::GeometryKind::kPolygon;
  villages.crs = region.crs;
  villages.out_crs = region.source_crs;
  villages.polygons = region.shapes;
  villages.columns.push_back({"id", FieldType::kText, net.ids, {}, {}});
  villages.columns.push_back({"name", FieldType::kText, net.names, {}, {}});
  for (std::size_t l = 0; l + 1 < region.levels.size(); ++l)
    villages.columns.push_back({region.levels[l], FieldType::kText, region.admin[l], {}, {}});
  auto real = [&](const char* name, auto&& value) {
    Column c{name, FieldType::kReal, {}, {}, {}};
    for (int i = 0; i < patches; ++i) c.real.push_back(value(i));
    villages.columns.push_back(std::move(c));
  };
  real("population", [&](int i) { return net.population[i]; });
  real("area_km2", [&](int i) { return region.area_km2[i]; });
  real("attack_rate", [&](int i) { return result.attack_rate[i]; });
  real("peak_day", [&](int i) { return result.peak_day[i]; });
  real("first_infected_day", [&](int i) { return result.first_infected_day[i]; });
  real("infected_ever", [&](int i) { return result.infected_share[i]; });
  // The model's per-village flows, persons over the run (as villages.csv).
  for (std::size_t f = 0; f < result.flow_columns.size(); ++f) {
    Column c{result.flow_columns[f], FieldType::kReal, {}, {}, {}};
    for (int i = 0; i < patches; ++i) c.real.push_back(result.flow_totals(i, Eigen::Index(f)));
    villages.columns.push_back(std::move(c));
  }
  layers.push_back(std::move(villages));

  // What the map showed besides the villages, so that the run's folder draws it again
  // (cordon render OUT, the viewer): the roads (up to kMaxRoadSegments) and the units' names.
  if (geo.has_roads && geo.graph.Edges() <= kMaxRoadSegments) {
    data::LayerToWrite roads;
    roads.name = "roads";
    roads.kind = data::GeometryKind::kLine;
    roads.crs = region.crs;
    roads.out_crs = region.source_crs;
    for (const auto& e : geo.graph.edges)
      roads.lines.push_back(
          {geo.graph.nodes[std::size_t(e.from)], geo.graph.nodes[std::size_t(e.to)]});
    layers.push_back(std::move(roads));
  }
  if (!geo.labels.empty()) {
    data::LayerToWrite labels;
    labels.name = "labels";
    labels.kind = data::GeometryKind::kPoint;
    labels.crs = region.crs;
    labels.out_crs = region.source_crs;
    Column text{"text", FieldType::kText, {}, {}, {}}, code{"code", FieldType::kText, {}, {}, {}};
    Column span{"span_m", FieldType::kReal, {}, {}, {}};
    Column people{"population", FieldType::kReal, {}, {}, {}};
    for (const geo::UnitLabel& l : geo.labels) {
      labels.points.push_back(l.at);
      text.text.push_back(l.text);
      code.text.push_back(l.code);
      span.real.push_back(l.span_m);
      people.real.push_back(l.population);
    }
    labels.columns = {std::move(text), std::move(code), std::move(span), std::move(people)};
    layers.push_back(std::move(labels));
  }

  data::LayerToWrite checkpoints;
  checkpoints.name = "checkpoints";
  checkpoints.kind = data::GeometryKind::kPoint;
  checkpoints.crs = region.crs;
  checkpoints.out_crs = region.source_crs;
  checkpoints.points = geo.checkpoint_points;
  Column id{"id", FieldType::kText, {}, {}, {}}, level{"level", FieldType::kText, {}, {}, {}};
  Column kind{"kind", FieldType::kText, geo.checkpoint_kinds, {}, {}};
  Column block{"block", FieldType::kReal, {}, {}, {}},
      screen{"screen", FieldType::kReal, {}, {}, {}};
  Column counters[sim::kNumCheckpointCounters] = {{"monitored", FieldType::kReal, {}, {}, {}},
                                                  {"turned_back", FieldType::kReal, {}, {}, {}},
                                                  {"detected", FieldType::kReal, {}, {}, {}}};
  for (std::size_t k = 0; k < net.checkpoints.size(); ++k) {
    id.text.push_back(net.checkpoints[k].id);
    level.text.push_back(net.checkpoints[k].level);
    block.real.push_back(net.checkpoints[k].block);
    screen.real.push_back(net.checkpoints[k].screen);
    for (int c = 0; c < sim::kNumCheckpointCounters; ++c)
      counters[c].real.push_back(result.checkpoint_totals(Eigen::Index(k), c));
  }
  checkpoints.columns = {id, level, kind, block, screen, counters[0], counters[1], counters[2]};
  layers.push_back(std::move(checkpoints));

  data::LayerToWrite series;
  series.name = "region_daily";
  for (std::size_t c = 0; c < result.columns.size(); ++c) {
    Column col{result.columns[c], FieldType::kReal, {}, {}, {}};
    for (Eigen::Index d = 0; d < result.mean.rows(); ++d) col.real.push_back(result.mean(d, c));
    series.columns.push_back(std::move(col));
  }
  Column day{"day", FieldType::kInteger, {}, {}, {}};
  for (Eigen::Index d = 0; d < result.mean.rows(); ++d) day.integer.push_back(d);
  series.columns.insert(series.columns.begin(), std::move(day));
  if (!start_date_.empty()) {
    Column date{"date", FieldType::kDate, {}, {}, {}};
    for (Eigen::Index d = 0; d < result.mean.rows(); ++d)
      date.text.push_back(DateAfter(start_date_, int(d)));
    series.columns.push_back(std::move(date));
  }
  layers.push_back(std::move(series));

  for (const auto& layer : layers) file_.WriteLayer(layer);
  file_.Commit(
      daily_ ? DailyViewSql(DailyColumns(patch_columns_, state_columns_, !start_date_.empty()))
             : std::vector<std::string>{});
}

}  // namespace cordon::engine
