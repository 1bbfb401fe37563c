// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The region: patches (the finest admin units loaded) with ids, names,
/// populations, their admin hierarchy and their polygons in the working CRS
/// (metres), plus polygon adjacency with shared-border lengths.

#include <string>
#include <vector>

#include "cordon/data/geometry.hpp"
#include "cordon/data/vector_io.hpp"

namespace cordon::geo {

/// Which fields of the village layer mean what (docs/scenario.md region.villages).
struct RegionFields {
  std::string id = "id";
  std::string name;  ///< "" = no names
  std::string population = "population";
  std::vector<std::string> parent;  ///< admin code fields, coarse to fine
  std::string level = "village";    ///< name of the patch level itself
};

/// Patches with hierarchy and geometry.
struct Region {
  std::vector<std::string> ids, names;
  std::vector<double> population;               ///< persons
  std::vector<std::string> levels;              ///< parent fields, then the patch level
  std::vector<std::vector<std::string>> admin;  ///< [level][patch] unit code
  std::vector<data::MultiPolygon> shapes;       ///< working CRS, metres
  std::vector<data::Point2> anchors;            ///< a point inside each patch
  std::vector<double> area_km2;
  std::string crs;         ///< working CRS (WKT)
  std::string source_crs;  ///< CRS of the input layer (WKT): outputs go back to it
  int repaired = 0;        ///< invalid polygons repaired on reading

  int Patches() const { return static_cast<int>(ids.size()); }
  /// Index of `level` in levels, or -1.
  int LevelIndex(const std::string& level) const;
};

/// Builds the region from a village layer already reprojected to the working
/// CRS. Throws InputError naming the feature and field for a missing or
/// duplicate id, a missing, non-numeric or negative population, or a
/// missing parent code.
Region BuildRegion(const data::VectorLayer& layer, const RegionFields& fields,
                   const std::string& source_crs);

/// Two patches that share a border.
struct Adjacency {
  int a = 0, b = 0;        ///< patch indices, a < b
  double shared_km = 0.0;  ///< length of the shared border, km
};

/// Pairs of patches whose boundaries run within `tolerance_m` of each other
/// for at least `min_shared_m` (slivers and small gaps are bridged).
std::vector<Adjacency> FindAdjacency(const Region& region, double tolerance_m,
                                     double min_shared_m = 1.0);

/// Where a patch on the region border is left for outside: the point of its border that no
/// other patch shares (farther than the tolerance from every other patch) nearest to its anchor.
struct BorderExit {
  int patch = 0;
  data::Point2 point;     ///< on the region border, working CRS
  double outer_km = 0.0;  ///< length of the patch's border that no other patch shares
};

/// The exits of the patches that have at least `min_outer_m` of border no other patch shares
/// within `tolerance_m`, in patch order. For regions without roads, whose gates they become.
std::vector<BorderExit> FindBorderExits(const Region& region, double tolerance_m,
                                        double min_outer_m = 1.0);

/// Index of the patch containing each point (-1 = outside every patch);
/// points on a shared border go to either patch.
std::vector<int> LocatePoints(const Region& region, const std::vector<data::Point2>& points);

}  // namespace cordon::geo
