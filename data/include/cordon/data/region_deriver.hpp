// SPDX-License-Identifier: Apache-2.0
#pragma once
/// A village-level region from what a Chinese county really publishes:
/// county polygons with census populations and the official code tree of
/// towns and villages (units.csv, 12-digit codes) with centre points for
/// most towns and a few villages. Town cells are Voronoi cells of the town
/// points clipped to the county; village cells are Voronoi cells of the
/// village points clipped to their town cell. Villages without a point are
/// placed inside their town (urban committees near the town centre, the
/// rest spread out). Every derived geometry is synthetic and flagged so.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "cordon/data/county_generator.hpp"
#include "cordon/data/vector_writer.hpp"

namespace cordon::data {

struct DeriveOptions {
  std::string counties;  ///< county polygons (e.g. *_counties_wgs84.geojson)
  std::string units;     ///< the code tree (e.g. *_units.csv)
  /// "" = the files' own CRS (WGS84 coordinates in units.csv); "GCJ-02" = the
  /// polygons and the lon_gcj02/lat_gcj02 columns are GCJ-02 and are converted.
  std::string crs;
  std::string county_code_field = "adcode";
  std::string population_field = "census2020_POPU";
  std::string urban_share_field = "census2020_POPU_URB";  ///< "" or absent = weights only
  /// Relative persons per village by NBS urban-rural class (ur_code).
  std::map<std::string, double> weights = {{"111", 4.0}, {"112", 3.0}, {"121", 3.0}, {"122", 2.0},
                                           {"123", 1.0}, {"210", 1.5}, {"220", 1.0}};
  std::uint64_t seed = 1;
  std::vector<std::string> only_counties;  ///< county codes to keep; empty = all
};

/// The derived region (WGS84 lon/lat).
struct DerivedRegion {
  std::string crs;  ///< WKT of WGS84
  std::vector<AdminUnit> counties, towns, villages;
  std::vector<std::string> village_class;     ///< ur_code per village
  std::vector<bool> village_located;          ///< the village's point came from units.csv
  int towns_placed = 0, villages_placed = 0;  ///< units without a usable point
};

/// Derives the region. Throws InputError naming the file, row and column
/// for a missing column, an unknown parent code or a county without population.
DerivedRegion DeriveRegion(const DeriveOptions& options);

/// Layers counties, towns and villages; villages carry code, name, county,
/// town, ur_code, population, located and synthetic (= 1).
std::vector<LayerToWrite> DerivedLayers(const DerivedRegion& region);

}  // namespace cordon::data
