// SPDX-License-Identifier: Apache-2.0
#include "county_tessellation.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <utility>

namespace cordon::data {
namespace {

// The county: the n cells of smallest radius relative to a wavy star shape
// around `centre` (metres) on a w x w lattice of cells `side` metres wide.
CountyCells PickCells(int n, int w, double side, Point2 centre, std::uint64_t seed) {
  CountyCells cells;
  cells.width = w;
  const double phase[3] = {2 * kCountyPi * CountyUniform(seed, kShape, 1),
                           2 * kCountyPi * CountyUniform(seed, kShape, 2),
                           2 * kCountyPi * CountyUniform(seed, kShape, 3)};
  std::vector<std::pair<double, std::int64_t>> radius;
  radius.reserve(std::size_t(w) * w);
  for (int j = 0; j < w; ++j)
    for (int i = 0; i < w; ++i) {
      const double dx = (i + 0.5) * side - centre.x, dy = (j + 0.5) * side - centre.y;
      const double theta = std::atan2(dy, dx);
      const double shape = 1 + 0.16 * std::sin(3 * theta + phase[0]) +
                           0.09 * std::sin(5 * theta + phase[1]) +
                           0.05 * std::sin(7 * theta + phase[2]);
      radius.push_back({std::hypot(dx, dy) / shape, cells.Index(i, j)});
    }
  std::nth_element(radius.begin(), radius.begin() + (n - 1), radius.end());
  cells.village_of.assign(std::size_t(w) * w, -1);
  cells.cell.resize(n);
  for (int v = 0; v < n; ++v) cells.cell[v] = radius[v].second;
  std::sort(cells.cell.begin(), cells.cell.end());
  for (int v = 0; v < n; ++v) cells.village_of[cells.cell[v]] = v;
  return cells;
}

// The index of the point nearest `target` (the first of equals); `points` is not empty.
int Nearest(const std::vector<Point2>& points, Point2 target) {
  int best = 0;
  for (int v = 1; v < static_cast<int>(points.size()); ++v)
    if (Distance(points[v], target) < Distance(points[best], target)) best = v;
  return best;
}

// Township seat points: one jittered point per block of m x m village cells.
struct SeatGrid {
  double m;     // block side, in cells
  int blocks;   // blocks per side of the lattice
  double side;  // cell side, metres
  std::uint64_t seed;

  // The seat point of block (a, b) (metres).
  Point2 Point(int a, int b) const {
    return Point2{(a + 0.15 + 0.7 * CountyUniform(seed, kSeatX, a, b)) * m * side,
                  (b + 0.15 + 0.7 * CountyUniform(seed, kSeatY, a, b)) * m * side};
  }
  // The seat point of block b * blocks + a (metres).
  Point2 Point(std::int64_t block) const {
    return Point(static_cast<int>(block % blocks), static_cast<int>(block / blocks));
  }
};

// Per village: the block whose seat point is nearest its centre (among the 3 x 3 blocks around).
std::vector<std::int64_t> NearestBlocks(const CountyCells& cells,
                                        const std::vector<Point2>& village_centre,
                                        const SeatGrid& grid) {
  const int n = static_cast<int>(cells.cell.size());
  std::vector<std::int64_t> block_of(n);
  for (int v = 0; v < n; ++v) {
    const int i = cells.Column(v), j = cells.Row(v);
    const int a0 = static_cast<int>(i / grid.m), b0 = static_cast<int>(j / grid.m);
    double best = 1e300;
    for (int b = std::max(0, b0 - 1); b <= std::min(grid.blocks - 1, b0 + 1); ++b)
      for (int a = std::max(0, a0 - 1); a <= std::min(grid.blocks - 1, a0 + 1); ++a) {
        const double d = Distance(village_centre[v], grid.Point(a, b));
        if (d < best) best = d, block_of[v] = std::int64_t(b) * grid.blocks + a;
      }
  }
  return block_of;
}

// Townships: Voronoi cells of one jittered seat per block of m x m village
// cells; each seat the member nearest its block's seat point, the county seat for its own.
Townships AssignTownships(const CountyLayout& layout, int villages_per_township, double side,
                          std::uint64_t seed) {
  const double m = std::sqrt(double(villages_per_township));  // seat spacing, in cells
  const SeatGrid grid{m, static_cast<int>(std::ceil(layout.cells.width / m)), side, seed};
  const std::vector<std::int64_t> block_of =
      NearestBlocks(layout.cells, layout.village_centre, grid);
  const int n = static_cast<int>(block_of.size());
  Townships t;
  std::unordered_map<std::int64_t, int> township_of_block;
  std::vector<std::int64_t> block_of_township;
  t.of_village.resize(n);
  for (int v = 0; v < n; ++v) {
    const auto [it, added] = township_of_block.emplace(block_of[v], int(township_of_block.size()));
    if (added) block_of_township.push_back(block_of[v]);
    t.of_village[v] = it->second;
  }
  t.members.resize(block_of_township.size());
  for (int v = 0; v < n; ++v) t.members[t.of_village[v]].push_back(v);
  t.seat.assign(block_of_township.size(), -1);
  const auto& centre = layout.village_centre;
  for (int k = 0; k < t.Count(); ++k) {
    const Point2 sp = grid.Point(block_of_township[k]);
    for (int v : t.members[k])
      if (t.seat[k] < 0 || Distance(centre[v], sp) < Distance(centre[t.seat[k]], sp)) t.seat[k] = v;
  }
  t.seat[t.of_village[layout.seat]] = layout.seat;
  return t;
}

}  // namespace

CountyLayout LayOutCounty(const CountyOptions& o) {
  const int n = o.villages;
  const double side = o.village_km * 1000.0;
  const int w = static_cast<int>(std::ceil(1.7 * std::sqrt(double(n)))) + 6;
  const Point2 centre{w * side / 2, w * side / 2};
  CountyLayout layout{Lattice(w, w, o.group_grid, side, o.seed),
                      PickCells(n, w, side, centre, o.seed),
                      centre,
                      {},
                      {},
                      0,
                      {}};
  layout.village_shape.resize(n);
  layout.village_centre.resize(n);
  for (int v = 0; v < n; ++v) {
    const int i = layout.cells.Column(v), j = layout.cells.Row(v);
    layout.village_shape[v] = {Polygon{layout.lattice.CellRing(i, j), {}}};
    layout.village_centre[v] = Centroid(layout.village_shape[v]);
  }
  layout.seat = Nearest(layout.village_centre, centre);
  layout.townships = AssignTownships(layout, o.villages_per_township, side, o.seed);
  return layout;
}

Outlines TraceOutlines(const CountyLayout& layout) {
  const CountyCells& cells = layout.cells;
  const std::vector<int>& township_of = layout.townships.of_village;
  // Sides of a village cell on the county's or a township's boundary, as directed edges.
  std::vector<std::vector<KeyEdge>> t_edges(layout.townships.Count());
  std::vector<KeyEdge> c_edges;
  for (int v = 0; v < static_cast<int>(cells.cell.size()); ++v) {
    const int i = cells.Column(v), j = cells.Row(v);
    for (int s = 0; s < 4; ++s) {
      const int ni = i + kSideStepI[s], nj = j + kSideStepJ[s];
      const bool inside = cells.InCounty(ni, nj);
      const bool same =
          inside && township_of[cells.village_of[cells.Index(ni, nj)]] == township_of[v];
      if (same) continue;
      // The side's last point is the first point of the next side.
      std::vector<std::int64_t> pts = layout.lattice.Side(i, j, s);
      pts.push_back(layout.lattice.Side(i, j, (s + 1) % 4).front());
      for (std::size_t k = 0; k + 1 < pts.size(); ++k) {
        t_edges[township_of[v]].push_back({pts[k], pts[k + 1]});
        if (!inside) c_edges.push_back({pts[k], pts[k + 1]});
      }
    }
  }
  Outlines out;
  out.county = ChainRings(layout.lattice, c_edges);
  c_edges = {};
  out.townships.reserve(t_edges.size());
  for (auto& edges : t_edges) {
    out.townships.push_back(ChainRings(layout.lattice, edges));
    edges = {};  // a county of millions of villages holds a lot of edges
  }
  return out;
}

}  // namespace cordon::data
