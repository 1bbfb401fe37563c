// SPDX-License-Identifier: Apache-2.0
#pragma once
// The viewer tests' map: four 2 km villages (A B below, C D above; towns T1 =
// A B, T2 = C D), a road through A and B with checkpoint K1, and one from A up
// into C that crosses the town border. UTM zone 50N.
#include <string>
#include <utility>

#include "cordon/data/vector_io.hpp"
#include "cordon/data/vector_writer.hpp"

namespace cordon::test {

/// (x, y) km from the fixture's origin, in its CRS (EPSG:32650, metres).
inline data::Point2 FixtureKm(double x, double y) {
  return {500000 + 1000 * x, 3000000 + 1000 * y};
}

/// Writes layers villages (code, name, town, pop), roads and checkpoints (id) to `gpkg`.
inline void WriteFourVillages(const std::string& gpkg) {
  const std::string crs = data::CrsToWkt("EPSG:32650", "fixture");
  data::LayerToWrite villages;
  villages.name = "villages";
  villages.kind = data::GeometryKind::kPolygon;
  villages.crs = crs;
  villages.columns = {{"code", data::FieldType::kText, {"A", "B", "C", "D"}, {}, {}},
                      {"name", data::FieldType::kText, {"甲村", "乙村", "丙村", "丁村"}, {}, {}},
                      {"town", data::FieldType::kText, {"T1", "T1", "T2", "T2"}, {}, {}},
                      {"pop", data::FieldType::kReal, {}, {1000, 2000, 3000, 4000}, {}}};
  for (auto [x, y] : {std::pair{0, 0}, {2, 0}, {0, 2}, {2, 2}})
    villages.polygons.push_back({data::Polygon{
        {FixtureKm(x, y), FixtureKm(x + 2, y), FixtureKm(x + 2, y + 2), FixtureKm(x, y + 2)}, {}}});
  data::LayerToWrite roads;
  roads.name = "roads";
  roads.kind = data::GeometryKind::kLine;
  roads.crs = crs;
  roads.lines = {{FixtureKm(1, 1), FixtureKm(3, 1)},
                 {FixtureKm(1, 1), FixtureKm(1, 3), FixtureKm(3, 3)}};
  data::LayerToWrite points;
  points.name = "checkpoints";
  points.kind = data::GeometryKind::kPoint;
  points.crs = crs;
  points.points = {FixtureKm(2.5, 1.0)};
  points.columns = {{"id", data::FieldType::kText, {"K1"}, {}, {}}};
  data::WriteVectorFile(gpkg, {villages, roads, points});
}

}  // namespace cordon::test
