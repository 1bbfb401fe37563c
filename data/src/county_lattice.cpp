// SPDX-License-Identifier: Apache-2.0
#include "county_lattice.hpp"

#include <unordered_map>

namespace cordon::data {
namespace {

Point2 Lerp(Point2 a, Point2 b, double t) { return {a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t}; }

}  // namespace

Point2 Lattice::Vertex(int i, int j) const {
  const double jit = 0.25 * side_;
  return {i * side_ + (2 * CountyUniform(seed_, kVertexX, i, j) - 1) * jit,
          j * side_ + (2 * CountyUniform(seed_, kVertexY, i, j) - 1) * jit};
}

Point2 Lattice::Fine(std::int64_t I, std::int64_t J) const {
  const int i = static_cast<int>(I / g_), j = static_cast<int>(J / g_);
  const int k = static_cast<int>(I % g_), l = static_cast<int>(J % g_);
  const double u = double(k) / g_, v = double(l) / g_;
  if (k == 0 && l == 0) return Vertex(i, j);
  if (l == 0) return Lerp(Vertex(i, j), Vertex(i + 1, j), u);
  if (k == 0) return Lerp(Vertex(i, j), Vertex(i, j + 1), v);
  const Point2 bottom = Lerp(Vertex(i, j), Vertex(i + 1, j), u);
  const Point2 top = Lerp(Vertex(i, j + 1), Vertex(i + 1, j + 1), u);
  const Point2 p = Lerp(bottom, top, v);
  const double jit = 0.15 * side_ / g_;
  return {p.x + (2 * CountyUniform(seed_, kInnerX, I, J) - 1) * jit,
          p.y + (2 * CountyUniform(seed_, kInnerY, I, J) - 1) * jit};
}

Point2 Lattice::FromKey(std::int64_t key) const {
  const std::int64_t stride = static_cast<std::int64_t>(h_) * g_ + 1;
  return Fine(key / stride, key % stride);
}

Ring Lattice::RingOf(const std::vector<std::int64_t>& keys) const {
  Ring r;
  r.reserve(keys.size());
  for (auto k : keys) r.push_back(FromKey(k));
  return r;
}

std::vector<std::int64_t> Lattice::RectRing(std::int64_t I0, std::int64_t J0, std::int64_t I1,
                                            std::int64_t J1) const {
  std::vector<std::int64_t> r;
  for (std::int64_t I = I0; I < I1; ++I) r.push_back(Key(I, J0));
  for (std::int64_t J = J0; J < J1; ++J) r.push_back(Key(I1, J));
  for (std::int64_t I = I1; I > I0; --I) r.push_back(Key(I, J1));
  for (std::int64_t J = J1; J > J0; --J) r.push_back(Key(I0, J));
  return r;
}

Ring Lattice::CellRing(int i, int j) const {
  return RingOf(RectRing(std::int64_t(i) * g_, std::int64_t(j) * g_, std::int64_t(i + 1) * g_,
                         std::int64_t(j + 1) * g_));
}

std::vector<std::int64_t> Lattice::Side(int i, int j, int s) const {
  const std::int64_t I0 = std::int64_t(i) * g_, J0 = std::int64_t(j) * g_;
  std::vector<std::int64_t> r;
  for (int k = 0; k < g_; ++k) {
    switch (s) {
      case 0:
        r.push_back(Key(I0 + k, J0));
        break;
      case 1:
        r.push_back(Key(I0 + g_, J0 + k));
        break;
      case 2:
        r.push_back(Key(I0 + g_ - k, J0 + g_));
        break;
      default:
        r.push_back(Key(I0, J0 + g_ - k));
        break;
    }
  }
  return r;
}

MultiPolygon ChainRings(const Lattice& lattice, const std::vector<KeyEdge>& edges) {
  std::unordered_map<std::int64_t, std::vector<std::size_t>> from;
  from.reserve(edges.size() * 2);
  for (std::size_t e = 0; e < edges.size(); ++e) from[edges[e].first].push_back(e);
  std::vector<bool> used(edges.size(), false);
  std::vector<Ring> outers, holes;
  for (std::size_t e0 = 0; e0 < edges.size(); ++e0) {
    if (used[e0]) continue;
    std::vector<std::int64_t> keys;
    std::size_t e = e0;
    while (!used[e]) {
      used[e] = true;
      keys.push_back(edges[e].first);
      const auto it = from.find(edges[e].second);
      if (it == from.end()) break;
      std::size_t next = e;
      for (std::size_t cand : it->second)
        if (!used[cand]) {
          next = cand;
          break;
        }
      if (next == e) break;
      e = next;
    }
    if (keys.size() < 3) continue;
    Ring ring = lattice.RingOf(keys);
    (SignedArea(ring) > 0 ? outers : holes).push_back(std::move(ring));
  }
  MultiPolygon shape;
  for (auto& o : outers) shape.push_back({std::move(o), {}});
  for (auto& h : holes) {
    for (auto& poly : shape)
      if (Contains(MultiPolygon{Polygon{poly.outer, {}}}, h.front()) || shape.size() == 1) {
        poly.holes.push_back(std::move(h));
        break;
      }
  }
  return shape;
}

MultiPolygon Translated(MultiPolygon shape, Point2 by) {
  for (auto& p : shape) {
    for (auto& q : p.outer) q = Translated(q, by);
    for (auto& h : p.holes)
      for (auto& q : h) q = Translated(q, by);
  }
  return shape;
}

}  // namespace cordon::data
