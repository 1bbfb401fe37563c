// SPDX-License-Identifier: Apache-2.0
#include "cordon/render/triangulate.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace cordon::render {
namespace {

using data::Point2;

double Cross(Point2 o, Point2 a, Point2 b) {
  return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

bool InTriangle(Point2 p, Point2 a, Point2 b, Point2 c) {
  const double d1 = Cross(a, b, p), d2 = Cross(b, c, p), d3 = Cross(c, a, p);
  return d1 >= 0 && d2 >= 0 && d3 >= 0;
}

bool SegmentsCross(Point2 a, Point2 b, Point2 c, Point2 d) {
  const double d1 = Cross(c, d, a), d2 = Cross(c, d, b), d3 = Cross(a, b, c), d4 = Cross(a, b, d);
  return ((d1 > 0) != (d2 > 0)) && ((d3 > 0) != (d4 > 0)) && d1 != 0 && d2 != 0 && d3 != 0 &&
         d4 != 0;
}

data::Ring Oriented(data::Ring r, bool ccw) {
  if ((data::SignedArea(r) > 0) != ccw) std::reverse(r.begin(), r.end());
  return r;
}

// Joins a hole into the outer ring through a bridge from the hole's rightmost vertex
// to the nearest outer vertex the bridge can reach without crossing an edge.
data::Ring Bridge(const data::Ring& outer, const data::Ring& hole,
                  const std::vector<data::Ring>& all) {
  const std::size_t h =
      std::max_element(hole.begin(), hole.end(), [](Point2 a, Point2 b) { return a.x < b.x; }) -
      hole.begin();
  std::vector<std::size_t> order(outer.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return data::Distance(outer[a], hole[h]) < data::Distance(outer[b], hole[h]);
  });
  std::size_t o = order.front();
  for (std::size_t cand : order) {
    bool clear = true;
    for (const auto& ring : all)
      for (std::size_t i = 0; i < ring.size() && clear; ++i)
        clear = !SegmentsCross(outer[cand], hole[h], ring[i], ring[(i + 1) % ring.size()]);
    if (clear) {
      o = cand;
      break;
    }
  }
  data::Ring joined(outer.begin(), outer.begin() + o + 1);
  for (std::size_t k = 0; k <= hole.size(); ++k) joined.push_back(hole[(h + k) % hole.size()]);
  joined.push_back(outer[o]);
  joined.insert(joined.end(), outer.begin() + o + 1, outer.end());
  return joined;
}

}  // namespace

std::vector<Point2> Triangulate(const data::Polygon& polygon) {
  std::vector<Point2> out;
  if (polygon.outer.size() < 3) return out;
  data::Ring ring = Oriented(polygon.outer, true);
  std::vector<data::Ring> all{ring};
  for (const auto& h : polygon.holes)
    if (h.size() >= 3) all.push_back(Oriented(h, false));
  for (std::size_t k = 1; k < all.size(); ++k) ring = Bridge(ring, all[k], all);

  std::vector<std::size_t> idx(ring.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::size_t guard = 0;
  while (idx.size() > 3 && guard < 4 * ring.size() * ring.size() + 16) {
    bool clipped = false;
    for (std::size_t i = 0; i < idx.size(); ++i, ++guard) {
      const std::size_t a = idx[(i + idx.size() - 1) % idx.size()], b = idx[i],
                        c = idx[(i + 1) % idx.size()];
      if (Cross(ring[a], ring[b], ring[c]) <= 0) continue;  // reflex or flat corner
      bool ear = true;
      for (std::size_t j : idx) {
        if (j == a || j == b || j == c) continue;
        // Bridge vertices appear twice: only a different position blocks the ear.
        const Point2 p = ring[j];
        if ((p.x == ring[a].x && p.y == ring[a].y) || (p.x == ring[b].x && p.y == ring[b].y) ||
            (p.x == ring[c].x && p.y == ring[c].y))
          continue;
        if (InTriangle(p, ring[a], ring[b], ring[c])) {
          ear = false;
          break;
        }
      }
      if (!ear) continue;
      out.insert(out.end(), {ring[a], ring[b], ring[c]});
      idx.erase(idx.begin() + i);
      clipped = true;
      break;
    }
    if (!clipped) {
      // Only flat or self-touching corners left: drop one flat corner, else give up the rest.
      bool dropped = false;
      for (std::size_t i = 0; i < idx.size() && !dropped; ++i) {
        const std::size_t a = idx[(i + idx.size() - 1) % idx.size()], b = idx[i],
                          c = idx[(i + 1) % idx.size()];
        if (std::abs(Cross(ring[a], ring[b], ring[c])) < 1e-12) {
          idx.erase(idx.begin() + i);
          dropped = true;
        }
      }
      if (!dropped) break;
    }
  }
  if (idx.size() == 3 && Cross(ring[idx[0]], ring[idx[1]], ring[idx[2]]) > 0)
    out.insert(out.end(), {ring[idx[0]], ring[idx[1]], ring[idx[2]]});
  return out;
}

}  // namespace cordon::render
