// SPDX-License-Identifier: Apache-2.0
#include "point_region.hpp"

#include <algorithm>
#include <cmath>

#include "cordon/base/csv_table.hpp"
#include "cordon/base/error.hpp"
#include "cordon/data/vector_io.hpp"

namespace cordon::engine {

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
  for (int i = 0; i < network.Patches(); ++i) {
    const data::Point2 c = layer.features[std::size_t(i)].points[0];
    // At least 5% of the largest, so that the smallest village can still be seen and picked.
    const double radius =
        std::max(scale * std::sqrt(std::max(network.population[i], 0.0) / largest), scale * 0.05);
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
