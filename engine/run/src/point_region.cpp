// SPDX-License-Identifier: Apache-2.0
#include "point_region.hpp"

#include <algorithm>
#include <cmath>

#include "cordon/base/csv_table.hpp"
#include "cordon/base/error.hpp"
#include "cordon/data/vector_io.hpp"

namespace cordon::engine {

namespace {

// Half the distance from each point to its nearest other point, capped at `cap` (points
// sorted by x, each compared with those within 2 x cap of it: no quadratic scan at 1e5).
std::vector<double> HalfNearestDistance(const std::vector<data::Point2>& points, double cap) {
  std::vector<int> order(points.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = int(k);
  std::sort(order.begin(), order.end(),
            [&](int a, int b) { return points[std::size_t(a)].x < points[std::size_t(b)].x; });
  std::vector<double> half(points.size(), cap);
  for (std::size_t k = 0; k < order.size(); ++k) {
    const data::Point2 p = points[std::size_t(order[k])];
    for (std::size_t m = k + 1; m < order.size(); ++m) {
      const data::Point2 q = points[std::size_t(order[m])];
      if (q.x - p.x >= 2.0 * cap) break;
      const double d = 0.5 * std::hypot(q.x - p.x, q.y - p.y);
      half[std::size_t(order[k])] = std::min(half[std::size_t(order[k])], d);
      half[std::size_t(order[m])] = std::min(half[std::size_t(order[m])], d);
    }
  }
  return half;
}

}  // namespace

std::optional<Geography> PointGeography(const Scenario& s, const sim::Network& network) {
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
  Geography geo;
  Region& region = geo.region;
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
      [](const UnitLabel& a, const UnitLabel& b) { return a.population > b.population; });
  region.population.assign(network.population.data(),
                           network.population.data() + network.Patches());
  region.levels = {"village"};
  region.admin = {region.ids};
  return geo;
}

void VillageLonLat(const Scenario& s, const std::optional<Geography>& geography,
                   const sim::Network& network, std::vector<double>* lon,
                   std::vector<double>* lat) {
  std::vector<data::Point2> points;
  std::string crs;
  if (geography) {
    const Region& region = geography->region;
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
      points.push_back({t.Number(r, x), t.Number(r, y)});
      degrees = degrees && std::abs(points.back().x) <= 180 && std::abs(points.back().y) <= 90;
    }
    if (!s.villages_crs.empty())
      crs = data::CrsToWkt(s.villages_crs, s.villages_csv + ": region.villages.crs");
    else if (!degrees)
      return;  // plain x/y without a CRS: not places on the Earth
  }
  if (!crs.empty())
    data::ReprojectPoints(points, crs, data::CrsToWkt("EPSG:4326", "WGS84"), s.villages_csv);
  for (const data::Point2& p : points) {
    lon->push_back(p.x);
    lat->push_back(p.y);
  }
}

}  // namespace cordon::engine
