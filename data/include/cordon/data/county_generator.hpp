// SPDX-License-Identifier: Apache-2.0
#pragma once
/// A seeded synthetic county for demos, tests and benchmarks: a county
/// polygon, townships, villages and village groups as one nested
/// tessellation (shared borders are exactly shared vertices), a county seat
/// of tens of thousands, township seats of a few thousand, hamlets of a few
/// hundred, and a road network (a highway across the county, township roads
/// to the seat, village roads, lanes to groups) that leaves the county at a
/// few gates. Everything is flagged `synthetic`.

#include <cstdint>
#include <string>
#include <vector>

#include "cordon/data/geometry.hpp"
#include "cordon/data/vector_writer.hpp"

namespace cordon::data {

/// What to generate.
struct CountyOptions {
  int villages = 50;              ///< villages in the county (50 .. 1,000,000)
  int group_grid = 2;             ///< village groups per village = group_grid^2 (1 = no groups)
  double village_km = 3.0;        ///< mean side of a village cell, km
  int villages_per_township = 8;  ///< mean villages per township
  std::uint64_t seed = 1;
  std::string code = "530001";  ///< 6-digit county code; townships and villages extend it
  std::string name = "示范县";  ///< county name
};

/// One admin unit of the tessellation.
struct AdminUnit {
  std::string code;  ///< county 6 digits, township +3, village +3, group +2
  std::string name;
  std::string parent;       ///< code of the enclosing unit ("" for the county)
  double population = 0.0;  ///< persons
  MultiPolygon shape;       ///< metres, in the county's CRS
};

/// One road feature.
struct RoadFeature {
  LineString line;   ///< metres
  std::string kind;  ///< highway | township | village | lane
  double speed_kmh = 0.0;
};

/// The generated county, in a local equal-area CRS (metres).
struct GeneratedCounty {
  std::string crs;  ///< WKT
  AdminUnit county;
  std::vector<AdminUnit> townships, villages, groups;  ///< groups empty when group_grid = 1
  std::vector<RoadFeature> roads;
  std::vector<Point2> gates;  ///< where roads leave the county (outer ends)
};

/// Generates a county. Throws InputError for out-of-range options.
GeneratedCounty GenerateCounty(const CountyOptions& options);

/// The layers of a GeoPackage for `county`: county, townships, villages,
/// groups (when present), roads and gates. Village and group layers carry
/// the fields code, name, county, township, village, population, synthetic.
std::vector<LayerToWrite> CountyLayers(const GeneratedCounty& county);

}  // namespace cordon::data
