// SPDX-License-Identifier: Apache-2.0
#include "point_region.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <unordered_map>

#include "cordon/base/csv_table.hpp"
#include "cordon/base/error.hpp"
#include "cordon/data/vector_io.hpp"

namespace cordon::engine {

namespace {

// Half the distance from each point to its nearest other point, capped at `cap`: points in
// a grid of cells 2 x cap wide, each compared with those of its own and the 8 cells around
// (linear in the points however they cluster, but for many in one cell).
std::vector<double> HalfNearestDistance(const std::vector<data::Point2>& points, double cap) {
  std::vector<double> half(points.size(), cap);
  if (points.empty() || !(cap > 0)) return half;
  data::Box box;
  for (const auto& p : points) box.Add(p);
  const double cell = 2.0 * cap;
  const auto cells_x = long(std::floor((box.max_x - box.min_x) / cell)) + 1;
  const auto cells_y = long(std::floor((box.max_y - box.min_y) / cell)) + 1;
  auto key = [&](long cx, long cy) { return cy * cells_x + cx; };
  auto cell_of = [&](const data::Point2& p) {
    return std::pair<long, long>{long((p.x - box.min_x) / cell), long((p.y - box.min_y) / cell)};
  };
  std::unordered_map<long, std::vector<int>> grid;
  for (std::size_t k = 0; k < points.size(); ++k) {
    const auto [cx, cy] = cell_of(points[k]);
    grid[key(cx, cy)].push_back(int(k));
  }
  for (std::size_t k = 0; k < points.size(); ++k) {
    const auto [cx, cy] = cell_of(points[k]);
    for (long y = std::max(0L, cy - 1); y <= std::min(cells_y - 1, cy + 1); ++y)
      for (long x = std::max(0L, cx - 1); x <= std::min(cells_x - 1, cx + 1); ++x) {
        const auto it = grid.find(key(x, y));
        if (it == grid.end()) continue;
        for (int m : it->second) {
          if (std::size_t(m) == k) continue;
          const double d = 0.5 * std::hypot(points[std::size_t(m)].x - points[k].x,
                                            points[std::size_t(m)].y - points[k].y);
          half[k] = std::min(half[k], d);
        }
      }
  }
  return half;
}

}  // namespace

std::optional<geo::Geography> PointGeography(const scenario::Scenario& s,
                                             const sim::Network& network) {
  if (s.villages_csv.empty()) return std::nullopt;
  const CsvTable t = CsvTable::Read(s.villages_csv);
  const int x = t.Find(s.villages_x), y = t.Find(s.villages_y), id = t.Find("id");
  if (x < 0 || y < 0 || id < 0 || int(t.Rows()) != network.Patches()) return std::nullopt;
  data::VectorLayer layer;
  layer.path = s.villages_csv;
  bool degrees = true;
  for (std::size_t r = 0; r < t.Rows(); ++r) {
    data::Feature f;
    f.points.push_back({t.Number(r, x), t.Number(r, y)});
    degrees = degrees && std::abs(f.points[0].x) <= 180 && std::abs(f.points[0].y) <= 90;
    layer.features.push_back(std::move(f));
  }
  if (layer.features.empty()) return std::nullopt;
  const std::string crs = !s.villages_crs.empty() ? s.villages_crs : degrees ? "EPSG:4326" : "";
  geo::Geography geo;
  geo::Region& region = geo.region;
  if (!crs.empty()) {
    layer.crs = data::CrsToWkt(crs, s.villages_csv + ": region.villages.crs");
    region.source_crs = layer.crs;
    data::Reproject(layer, data::LocalEqualAreaCrs(layer));
  }
  region.crs = layer.crs;
  data::Box extent;
  for (const auto& f : layer.features) extent.Add(f.points[0]);
  const double span = std::hypot(extent.max_x - extent.min_x, extent.max_y - extent.min_y);
  const double largest = std::max(1.0, network.population.maxCoeff());
  // The largest village a disc of 1.5% of the region's diagonal; area follows population.
  const double scale = std::max(span, 1000.0) * 0.015;
  constexpr int kSides = 24;
  std::vector<data::Point2> centres;
  for (const auto& f : layer.features) centres.push_back(f.points[0]);
  const std::vector<double> room = HalfNearestDistance(centres, scale);
  for (int i = 0; i < network.Patches(); ++i) {
    const data::Point2 c = centres[std::size_t(i)];
    // At least 5% of the largest, so that the smallest village can still be seen and picked;
    // at most half the way to its nearest neighbour, so that no two discs overlap (the Pearl
    // River Delta's cities did).
    // (Places at one spot still get 0.5%.)
    const double radius = std::max(
        std::min(std::max(scale * std::sqrt(std::max(network.population[i], 0.0) / largest),
                          scale * 0.05),
                 room[std::size_t(i)]),
        scale * 0.005);
    data::Polygon disc;
    for (int k = 0; k < kSides; ++k) {
      const double a = 2.0 * M_PI * k / kSides;
      disc.outer.push_back({c.x + radius * std::cos(a), c.y + radius * std::sin(a)});
    }
    region.shapes.push_back({disc});
    region.anchors.push_back(c);
    region.area_km2.push_back(M_PI * radius * radius / 1e6);
  }
  region.ids = network.ids;
  region.names = network.names;
  // Names on the map, largest places first, where the map has room for them at its zoom: a
  // name may be as wide as six times its disc's radius (the largest city's at the
  // whole region's view; the others as one zooms in). Without a name column, ids that are
  // words (li2020's "Wuhan"), not codes ("V017").
  for (int i = 0; i < network.Patches(); ++i) {
    const std::string& id = network.ids[std::size_t(i)];
    std::string name = i < int(network.names.size()) ? network.names[std::size_t(i)] : "";
    if (name.empty() &&
        std::none_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; }))
      name = id;
    if (name.empty()) continue;
    geo.labels.push_back({name, centres[std::size_t(i)],
                          6.0 * scale * std::sqrt(std::max(network.population[i], 0.0) / largest),
                          network.population[i], id});
  }
  std::stable_sort(
      geo.labels.begin(), geo.labels.end(),
      [](const geo::UnitLabel& a, const geo::UnitLabel& b) { return a.population > b.population; });
  region.population.assign(network.population.data(),
                           network.population.data() + network.Patches());
  region.levels = {"village"};
  region.admin = {region.ids};
  return geo;
}

void VillageLonLat(const scenario::Scenario& s, const std::optional<geo::Geography>& geography,
                   const sim::Network& network, std::vector<double>* lon,
                   std::vector<double>* lat) {
  std::vector<data::Point2> points;
  std::string crs;
  if (geography) {
    const geo::Region& region = geography->region;
    if (region.crs.empty() || region.anchors.size() != std::size_t(network.Patches())) return;
    points = region.anchors;
    crs = region.crs;
  } else {
    if (s.villages_csv.empty()) return;
    const CsvTable t = CsvTable::Read(s.villages_csv);
    const int x = t.Find(s.villages_x), y = t.Find(s.villages_y);
    if (x < 0 || y < 0 || int(t.Rows()) != network.Patches()) return;
    bool degrees = true;
    for (std::size_t r = 0; r < t.Rows(); ++r) {
      // Positions are extra: a table with a blank or bad cell runs without them.
      std::optional<double> px, py;
      try {
        px = t.OptionalNumber(r, x), py = t.OptionalNumber(r, y);
      } catch (const InputError&) {
        return;
      }
      if (!px || !py) return;
      points.push_back({*px, *py});
      degrees = degrees && std::abs(points.back().x) <= 180 && std::abs(points.back().y) <= 90;
    }
    if (!s.villages_crs.empty())
      crs = data::CrsToWkt(s.villages_crs, s.villages_csv + ": region.villages.crs");
    else if (!degrees)
      return;  // plain x/y without a CRS: not places on the Earth
  }
  if (!crs.empty())
    data::ReprojectPoints(points, crs, data::CrsToWkt("EPSG:4326", "WGS84"),
                          geography ? "the village anchors" : s.villages_csv);
  for (const data::Point2& p : points) {
    lon->push_back(p.x);
    lat->push_back(p.y);
  }
}

}  // namespace cordon::engine
