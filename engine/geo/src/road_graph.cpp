// SPDX-License-Identifier: Apache-2.0
#include "cordon/geo/road_graph.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "grid_index.hpp"

namespace cordon::geo {

using data::Point2;

void RoadGraph::BuildIncidence() {
  offsets.assign(nodes.size() + 1, 0);
  for (const auto& e : edges) {
    ++offsets[e.from + 1];
    ++offsets[e.to + 1];
  }
  for (std::size_t n = 1; n < offsets.size(); ++n) offsets[n] += offsets[n - 1];
  incident.assign(offsets.back(), 0);
  std::vector<int> fill(offsets.begin(), offsets.end() - 1);
  for (int e = 0; e < Edges(); ++e) {
    incident[fill[edges[e].from]++] = e;
    incident[fill[edges[e].to]++] = e;
  }
}

namespace {

struct Segment {
  Point2 a, b;
  double speed_kmh;
  std::vector<double> cuts;  // parameters in (0, 1) where other segments cross
};

// Parameters (s on p1-p2, t on q1-q2) of a proper crossing, if any.
bool Crossing(Point2 p1, Point2 p2, Point2 q1, Point2 q2, double& s, double& t) {
  const double rx = p2.x - p1.x, ry = p2.y - p1.y, qx = q2.x - q1.x, qy = q2.y - q1.y;
  const double denom = rx * qy - ry * qx;
  if (std::abs(denom) < 1e-12 * (std::abs(rx * qy) + std::abs(ry * qx) + 1e-300)) return false;
  const double wx = q1.x - p1.x, wy = q1.y - p1.y;
  s = (wx * qy - wy * qx) / denom;
  t = (wx * ry - wy * rx) / denom;
  return s >= 0 && s <= 1 && t >= 0 && t <= 1;
}

// Merges points closer than `snap` into nodes. Cells of the snap size live in a flat
// open-addressing table (cell -> its first and last node) and a cell's nodes are chained in
// the order they were made, so the first node within reach is found in the same order as a
// map of per-cell lists would give, without a list per cell: 3M cells at 1e6 villages.
class NodeSnapper {
 public:
  NodeSnapper(double snap, std::vector<Point2>& nodes)
      : snap_(std::max(snap, 1e-6)), nodes_(nodes), next_(nodes.size(), -1) {
    Rehash(1 << 12);
  }

  int Node(Point2 p) {
    const std::int64_t cx = static_cast<std::int64_t>(std::floor(p.x / snap_));
    const std::int64_t cy = static_cast<std::int64_t>(std::floor(p.y / snap_));
    for (std::int64_t dy = -1; dy <= 1; ++dy)
      for (std::int64_t dx = -1; dx <= 1; ++dx)
        for (int n = cells_[Find(Key(cx + dx, cy + dy))].first; n >= 0; n = next_[n])
          if (data::Distance(nodes_[n], p) <= snap_) return n;
    const int n = static_cast<int>(nodes_.size());
    nodes_.push_back(p);
    next_.push_back(-1);
    if (2 * (used_ + 1) > cells_.size()) Rehash(2 * cells_.size());
    Cell& cell = cells_[Find(Key(cx, cy))];
    if (cell.first < 0) {
      cell = {Key(cx, cy), n, n};
      ++used_;
    } else {
      next_[cell.last] = n;
      cell.last = n;
    }
    return n;
  }

 private:
  struct Cell {
    std::int64_t key = 0;
    int first = -1;  ///< first node made in the cell; -1: an empty slot
    int last = -1;
  };
  static std::int64_t Key(std::int64_t x, std::int64_t y) { return x * 0x1000003 + y * 0x9e3779b1; }
  // The slot of `key`: where it is, or the empty slot where it would go (linear probing).
  std::size_t Find(std::int64_t key) const {
    const std::size_t mask = cells_.size() - 1;
    std::size_t h = (static_cast<std::uint64_t>(key) * 0x9E3779B97F4A7C15ull) >> 20 & mask;
    while (cells_[h].first >= 0 && cells_[h].key != key) h = (h + 1) & mask;
    return h;
  }
  void Rehash(std::size_t size) {
    std::vector<Cell> old(size);
    old.swap(cells_);
    for (const Cell& c : old)
      if (c.first >= 0) cells_[Find(c.key)] = c;
  }

  double snap_;
  std::vector<Point2>& nodes_;
  std::vector<int> next_;  ///< per node: the next node of its cell, or -1
  std::vector<Cell> cells_;
  std::size_t used_ = 0;
};

}  // namespace

RoadGraph BuildRoadGraph(const data::VectorLayer& roads, const RoadOptions& options) {
  const int speed_f = options.speed_field.empty() ? -1 : roads.FieldIndex(options.speed_field);
  if (!options.speed_field.empty() && speed_f < 0)
    throw InputError::Named(roads.path, roads.path + " (layer " + roads.layer +
                                            "): region.roads.speed: no field '" +
                                            options.speed_field + "'");
  const int class_f = options.class_field.empty() ? -1 : roads.FieldIndex(options.class_field);
  if (!options.class_field.empty() && class_f < 0)
    throw InputError::Named(roads.path, roads.path + " (layer " + roads.layer +
                                            "): region.roads.class: no field '" +
                                            options.class_field + "'");
  std::vector<Segment> segments;
  for (std::size_t k = 0; k < roads.features.size(); ++k) {
    const data::Feature& f = roads.features[k];
    double speed = options.default_speed_kmh;
    if (class_f >= 0 && !f.null_values[class_f]) {
      const auto it = options.class_speeds.find(f.values[class_f]);
      if (it != options.class_speeds.end()) speed = it->second;
    }
    if (speed_f >= 0 && !f.null_values[speed_f] && !f.values[speed_f].empty()) {
      const std::string& text = f.values[speed_f];
      char* end = nullptr;
      errno = 0;
      speed = std::strtod(text.c_str(), &end);
      if (end == text.c_str() || *end != '\0' || errno != 0 || !(speed > 0) ||
          !std::isfinite(speed))
        throw InputError::Named(roads.path, roads.Where(k) + ": field '" + options.speed_field +
                                                "' (speed, km/h) must be a positive number, got '" +
                                                text + "'");
    }
    for (const auto& line : f.lines)
      for (std::size_t i = 1; i < line.size(); ++i)
        if (data::Distance(line[i - 1], line[i]) > 0)
          segments.push_back({line[i - 1], line[i], speed, {}});
  }

  // Crossings: cut both segments where they cross away from their ends.
  std::vector<data::Box> boxes(segments.size());
  for (std::size_t s = 0; s < segments.size(); ++s) {
    boxes[s].Add(segments[s].a);
    boxes[s].Add(segments[s].b);
  }
  {
    const GridIndex index(boxes);
    std::vector<int> stamp(segments.size(), -1);
    for (std::size_t s = 0; s < segments.size(); ++s) {
      index.Query(boxes[s], options.snap_m, [&](int t) {
        if (t <= static_cast<int>(s) || stamp[t] == static_cast<int>(s)) return;
        stamp[t] = static_cast<int>(s);
        double u, v;
        Segment& a = segments[s];
        Segment& b = segments[t];
        if (!Crossing(a.a, a.b, b.a, b.b, u, v)) return;
        const double la = data::Distance(a.a, a.b), lb = data::Distance(b.a, b.b);
        const bool a_end = u * la <= options.snap_m || (1 - u) * la <= options.snap_m;
        const bool b_end = v * lb <= options.snap_m || (1 - v) * lb <= options.snap_m;
        if (!a_end) a.cuts.push_back(u);
        if (!b_end) b.cuts.push_back(v);
      });
    }
  }

  RoadGraph g;
  NodeSnapper snapper(options.snap_m, g.nodes);
  for (auto& s : segments) {
    std::vector<double> cuts = s.cuts;
    cuts.push_back(0.0);
    cuts.push_back(1.0);
    std::sort(cuts.begin(), cuts.end());
    const double len = data::Distance(s.a, s.b);
    std::vector<double> params;
    for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
      // Cut long pieces so each edge stays short next to the patches.
      const double piece = (cuts[i + 1] - cuts[i]) * len;
      const int parts =
          options.max_segment_m > 0
              ? std::max(1, static_cast<int>(std::ceil(piece / options.max_segment_m)))
              : 1;
      for (int k = 0; k < parts; ++k)
        params.push_back(cuts[i] + (cuts[i + 1] - cuts[i]) * k / parts);
    }
    params.push_back(1.0);
    int prev = snapper.Node(s.a);
    for (std::size_t i = 1; i < params.size(); ++i) {
      const Point2 p{s.a.x + (s.b.x - s.a.x) * params[i], s.a.y + (s.b.y - s.a.y) * params[i]};
      const int node = snapper.Node(p);
      if (node == prev) continue;
      const double km = data::Distance(g.nodes[prev], g.nodes[node]) / 1000.0;
      g.edges.push_back({prev, node, km, km / s.speed_kmh * 60.0});
      prev = node;
    }
  }
  g.BuildIncidence();
  return g;
}

RoadGraph AdjacencyGraph(const Region& region, const std::vector<Adjacency>& adjacency,
                         double speed_kmh) {
  RoadGraph g;
  g.nodes = region.anchors;
  for (const auto& a : adjacency) {
    // Node n is patch n's anchor, so the edge's ends lie in the two patches.
    const Point2 pa = region.anchors[a.a], pb = region.anchors[a.b];
    const double km = data::Distance(pa, pb) / 1000.0;
    g.edges.push_back({a.a, a.b, km, km / speed_kmh * 60.0});
  }
  g.BuildIncidence();
  return g;
}

void AddBorderGates(const Region& region, const std::vector<BorderExit>& exits, double speed_kmh,
                    RoadGraph& graph) {
  for (const BorderExit& x : exits) {
    const Point2 from = region.anchors[x.patch];
    const double km = data::Distance(from, x.point) / 1000.0;
    if (!(km > 0.0)) continue;
    // 1% past the border, so that the node lies outside every patch.
    const Point2 outside{x.point.x + 0.01 * (x.point.x - from.x),
                         x.point.y + 0.01 * (x.point.y - from.y)};
    const int node = graph.Nodes();
    graph.nodes.push_back(outside);
    graph.edges.push_back({x.patch, node, 1.01 * km, 1.01 * km / speed_kmh * 60.0});
  }
  graph.BuildIncidence();
}

AccessPoints FindAccessPoints(const RoadGraph& graph, const std::vector<Point2>& anchors) {
  AccessPoints out;
  out.node.assign(anchors.size(), -1);
  out.connector_km.assign(anchors.size(), 0.0);
  if (graph.nodes.empty()) return out;
  std::vector<data::Box> boxes(graph.nodes.size());
  for (std::size_t n = 0; n < graph.nodes.size(); ++n) boxes[n].Add(graph.nodes[n]);
  const GridIndex index(boxes);
  for (std::size_t k = 0; k < anchors.size(); ++k) {
    out.node[k] = index.Nearest(anchors[k],
                                [&](int n) { return data::Distance(graph.nodes[n], anchors[k]); });
    if (out.node[k] >= 0)
      out.connector_km[k] = data::Distance(graph.nodes[out.node[k]], anchors[k]) / 1000.0;
  }
  return out;
}

std::vector<EdgeHit> NearestEdges(const RoadGraph& graph, const std::vector<Point2>& points) {
  std::vector<EdgeHit> out(points.size());
  if (graph.edges.empty()) return out;
  std::vector<data::Box> boxes(graph.edges.size());
  for (int e = 0; e < graph.Edges(); ++e) {
    boxes[e].Add(graph.nodes[graph.edges[e].from]);
    boxes[e].Add(graph.nodes[graph.edges[e].to]);
  }
  const GridIndex index(boxes);
  auto distance = [&](Point2 p, int e, double* t) {
    return data::SegmentDistance(p, graph.nodes[graph.edges[e].from],
                                 graph.nodes[graph.edges[e].to], t);
  };
  for (std::size_t k = 0; k < points.size(); ++k) {
    const int e =
        index.Nearest(points[k], [&](int item) { return distance(points[k], item, nullptr); });
    if (e < 0) continue;
    double t = 0;
    const double d = distance(points[k], e, &t);
    out[k] = {e, d, t};
  }
  return out;
}

}  // namespace cordon::geo
