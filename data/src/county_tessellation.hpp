// SPDX-License-Identifier: Apache-2.0
#pragma once
// The tessellation of the synthetic county: which lattice cells are its
// villages (a wavy star shape), the county seat, the townships (Voronoi cells
// of jittered seats over the village cells) and the outlines of county and
// townships, chained from the sides of their village cells.
#include <cstdint>
#include <vector>

#include "cordon/data/county_generator.hpp"
#include "cordon/data/geometry.hpp"
#include "county_lattice.hpp"

namespace cordon::data {

/// Column and row steps across side s of a cell (0 bottom, 1 right, 2 top, 3 left).
constexpr int kSideStepI[4] = {0, 1, 0, -1}, kSideStepJ[4] = {-1, 0, 1, 0};

/// Which cells of the square lattice hold the county's villages.
struct CountyCells {
  int width = 0;                   ///< cells per side of the square lattice
  std::vector<std::int64_t> cell;  ///< per village: its cell, row * width + column; ascending
  std::vector<int> village_of;     ///< per cell: its village, or -1 outside the county

  /// The index of cell (column i, row j).
  std::int64_t Index(int i, int j) const { return static_cast<std::int64_t>(j) * width + i; }
  /// The column of village v's cell.
  int Column(int v) const { return static_cast<int>(cell[v] % width); }
  /// The row of village v's cell.
  int Row(int v) const { return static_cast<int>(cell[v] / width); }
  /// Whether cell (i, j) lies on the lattice and in the county.
  bool InCounty(int i, int j) const {
    return i >= 0 && j >= 0 && i < width && j < width && village_of[Index(i, j)] >= 0;
  }
  /// The village across side s of village v's cell, or -1 outside the county.
  int Neighbour(int v, int s) const {
    const int i = Column(v) + kSideStepI[s], j = Row(v) + kSideStepJ[s];
    return InCounty(i, j) ? village_of[Index(i, j)] : -1;
  }
};

/// The townships, numbered by first appearance in village order.
struct Townships {
  std::vector<int> of_village;            ///< per village: its township
  std::vector<std::vector<int>> members;  ///< per township: its villages, ascending
  std::vector<int> seat;                  ///< per township: its seat village

  /// The number of townships.
  int Count() const { return static_cast<int>(members.size()); }
};

/// The county before names, populations and roads (metres, lattice frame).
struct CountyLayout {
  Lattice lattice;
  CountyCells cells;
  Point2 centre;                            ///< the lattice centre, later the origin
  std::vector<MultiPolygon> village_shape;  ///< per village: its cell
  std::vector<Point2> village_centre;       ///< per village: its cell's centroid
  int seat = 0;                             ///< the county seat: the village nearest the centre
  Townships townships;
};

/// Lays out the county of `options` (validated: villages >= 1, group_grid >= 1,
/// village_km > 0, villages_per_township >= 1).
CountyLayout LayOutCounty(const CountyOptions& options);

/// The outlines of the county and of each township (metres, lattice frame).
struct Outlines {
  MultiPolygon county;
  std::vector<MultiPolygon> townships;
};

/// Chains the boundary sides of the village cells into the county's and the townships' outlines.
Outlines TraceOutlines(const CountyLayout& layout);

}  // namespace cordon::data
