// SPDX-License-Identifier: Apache-2.0
#include "cordon/render/map_image.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "cordon/render/frame_style.hpp"

namespace cordon::render {
namespace {

// Both sides of a shared edge produce the same key (rounded endpoints, ordered).
using EdgeKey = std::pair<std::pair<long long, long long>, std::pair<long long, long long>>;
EdgeKey Key(data::Point2 a, data::Point2 b) {
  auto r = [](data::Point2 p) {
    return std::make_pair(std::llround(p.x * 100), std::llround(p.y * 100));
  };
  auto ka = r(a), kb = r(b);
  if (kb < ka) std::swap(ka, kb);
  return {ka, kb};
}

// Which village contains a point: villages bucketed by their boxes on a uniform grid.
class VillageLocator {
 public:
  explicit VillageLocator(const std::vector<data::MultiPolygon>& villages) : villages_(villages) {
    for (const auto& v : villages) boxes_.push_back(data::Bounds(v)), extent_.Add(boxes_.back());
    side_ = std::max(1, int(std::sqrt(double(villages.size()))));
    cells_.resize(std::size_t(side_) * side_);
    for (std::size_t v = 0; v < boxes_.size(); ++v) {
      if (boxes_[v].Empty()) continue;
      const auto [x0, y0] = Cell({boxes_[v].min_x, boxes_[v].min_y});
      const auto [x1, y1] = Cell({boxes_[v].max_x, boxes_[v].max_y});
      for (int y = y0; y <= y1; ++y)
        for (int x = x0; x <= x1; ++x) cells_[std::size_t(y) * side_ + x].push_back(int(v));
    }
  }
  /// A village other than `not_this` containing p, or -1.
  int Other(data::Point2 p, int not_this) const {
    if (extent_.Empty() || p.x < extent_.min_x || p.x > extent_.max_x || p.y < extent_.min_y ||
        p.y > extent_.max_y)
      return -1;
    const auto [x, y] = Cell(p);
    for (int v : cells_[std::size_t(y) * side_ + x]) {
      const data::Box& b = boxes_[std::size_t(v)];
      if (v != not_this && p.x >= b.min_x && p.x <= b.max_x && p.y >= b.min_y && p.y <= b.max_y &&
          data::Contains(villages_[std::size_t(v)], p))
        return v;
    }
    return -1;
  }

 private:
  std::pair<int, int> Cell(data::Point2 p) const {
    auto at = [&](double v, double lo, double hi) {
      return std::clamp(int((v - lo) / std::max(hi - lo, 1e-300) * side_), 0, side_ - 1);
    };
    return {at(p.x, extent_.min_x, extent_.max_x), at(p.y, extent_.min_y, extent_.max_y)};
  }
  const std::vector<data::MultiPolygon>& villages_;
  std::vector<data::Box> boxes_;
  data::Box extent_;
  int side_ = 1;
  std::vector<std::vector<int>> cells_;
};

// For an edge of village v met once: the village across it when the two boundaries do not
// share vertices (generalized data), probed a little way off the edge on both sides; or -1.
int VillageAcross(const VillageLocator& locate, const std::vector<data::MultiPolygon>& villages,
                  const BorderEdge& e, int v) {
  const double dx = e.b.x - e.a.x, dy = e.b.y - e.a.y, length = std::hypot(dx, dy);
  if (!(length > 0)) return -1;
  const data::Point2 mid{(e.a.x + e.b.x) / 2, (e.a.y + e.b.y) / 2};
  for (double f : {0.02, 0.1, 0.3})
    for (double side : {1.0, -1.0}) {
      const data::Point2 p{mid.x - side * f * dy, mid.y + side * f * dx};
      const int other = locate.Other(p, v);
      if (other >= 0) return other;
    }
  // Across a gap in the data: slivers between neighbours (tens of metres; the edges along
  // them are often only metres long) and rivers up to 1.5 km wide would otherwise be drawn
  // as the region's border, dark specks all over a delta. The region's own edge (the sea,
  // the frontier) has no village that close across it.
  // Only on the side away from v: probes into v would find the village behind it.
  const double nx = -dy / length, ny = dx / length;
  const double outward =
      data::Contains(villages[std::size_t(v)], {mid.x + nx, mid.y + ny}) ? -1.0 : 1.0;
  for (double metres : {30.0, 120.0, 500.0, 1500.0}) {
    const int other =
        locate.Other({mid.x + outward * metres * nx, mid.y + outward * metres * ny}, v);
    if (other >= 0) return other;
  }
  return -1;
}

}  // namespace

std::vector<BorderEdge> ClassifyBorders(const MapLayers& layers) {
  struct Seen {
    int village, count;
    bool outline;
  };
  std::map<EdgeKey, std::size_t> index;
  std::vector<Seen> seen;
  std::vector<BorderEdge> edges;
  for (std::size_t v = 0; v < layers.villages.size(); ++v)
    for (const auto& poly : layers.villages[v]) {
      std::vector<const data::Ring*> rings{&poly.outer};
      for (const auto& h : poly.holes) rings.push_back(&h);
      for (const data::Ring* ring : rings) {
        data::Box box;
        for (const auto& p : *ring) box.Add(p);
        const double ring_size = std::max(box.max_x - box.min_x, box.max_y - box.min_y);
        for (std::size_t i = 0; i < ring->size(); ++i) {
          const data::Point2 a = (*ring)[i], b = (*ring)[(i + 1) % ring->size()];
          const auto [it, fresh] = index.try_emplace(Key(a, b), edges.size());
          if (fresh) {
            edges.push_back({a, b, BorderKind::kRegion, ring_size});
            seen.push_back({static_cast<int>(v), 0, false});
          }
          Seen& s = seen[it->second];
          ++s.count;
          // An edge two rings share is outlined as the larger one is.
          edges[it->second].ring_size = std::max(edges[it->second].ring_size, ring_size);
          if (!fresh && !layers.outline_group.empty() &&
              layers.outline_group[s.village] != layers.outline_group[v])
            s.outline = true;
        }
      }
    }
  std::optional<VillageLocator> locate;
  for (std::size_t k = 0; k < edges.size(); ++k) {
    edges[k].kind = seen[k].outline     ? BorderKind::kOutline
                    : seen[k].count > 1 ? BorderKind::kInner
                                        : BorderKind::kRegion;
    if (edges[k].kind != BorderKind::kRegion) continue;
    // Met once, yet another village may lie across it: neighbours whose boundaries were
    // drawn (or generalized) apart share no edge.
    if (!locate) locate.emplace(layers.villages);
    const int other = VillageAcross(*locate, layers.villages, edges[k], seen[k].village);
    if (other < 0) continue;
    edges[k].kind =
        !layers.outline_group.empty() && layers.outline_group[std::size_t(other)] !=
                                             layers.outline_group[std::size_t(seen[k].village)]
            ? BorderKind::kOutline
            : BorderKind::kInner;
  }
  return edges;
}

double Viewport::Scale() const {
  const double ww = std::max(world.max_x - world.min_x, 1e-9),
               wh = std::max(world.max_y - world.min_y, 1e-9);
  return std::min(width / ww, height / wh);
}

std::pair<double, double> Viewport::ToPixel(data::Point2 p) const {
  const double ww = std::max(world.max_x - world.min_x, 1e-9),
               wh = std::max(world.max_y - world.min_y, 1e-9);
  const double s = std::min(width / ww, height / wh);
  const double ox = x0 + (width - ww * s) / 2, oy = y0 + (height - wh * s) / 2;
  return {ox + (p.x - world.min_x) * s, oy + (world.max_y - p.y) * s};
}

MapStats StatsOf(const MapLayers& layers) {
  MapStats s;
  s.villages = int(layers.villages.size());
  s.groups = int(std::set<int>(layers.outline_group.begin(), layers.outline_group.end()).size());
  for (const auto& v : layers.villages) s.area += data::Area(v);
  for (const auto& [a, b] : layers.roads) s.road_length += data::Distance(a, b);
  for (std::size_t k = 0; k < layers.checkpoints.size(); ++k) {
    const double r = (k < layers.checkpoint_radius.size() ? layers.checkpoint_radius[k] : 3) + 1.5;
    s.marker_area += M_PI * r * r;
  }
  return s;
}

MapDetail DetailFor(const MapStats& stats, double pixels_per_unit) {
  MapDetail d;
  const double region_px = stats.area * pixels_per_unit * pixels_per_unit;
  if (!(region_px > 0) || stats.villages == 0) return d;
  const double village_side = std::sqrt(region_px / stats.villages);  // pixels
  d.inner_borders = village_side >= 6.0;
  d.outlines = stats.groups == 0 || std::sqrt(region_px / stats.groups) >= 12.0;
  d.roads = stats.road_length * pixels_per_unit <= 0.15 * region_px;
  const double coverage = stats.marker_area / region_px;
  if (coverage > 0.1) d.marker_scale = std::sqrt(0.1 / coverage);
  return d;
}

data::Box MapExtent(const Viewport& view, const MapLayers& layers) {
  data::Box box;
  for (const auto& shape : layers.villages) {
    const data::Box b = data::Bounds(shape);
    const auto lo = view.ToPixel({b.min_x, b.min_y}), hi = view.ToPixel({b.max_x, b.max_y});
    box.Add(data::Point2{lo.first, lo.second});
    box.Add(data::Point2{hi.first, hi.second});
  }
  return box;
}

std::vector<int> PlaceLabels(const MapLayers& layers, const Viewport& view,
                             const std::function<double(const std::string&)>& text_width,
                             double text_height) {
  std::vector<int> placed;
  std::vector<data::Box> taken;
  const double scale = view.Scale();
  for (std::size_t k = 0; k < layers.labels.size(); ++k) {
    const MapLabel& label = layers.labels[k];
    const auto at = view.ToPixel(label.at);
    if (at.first < view.x0 || at.second < view.y0 || at.first >= view.x0 + view.width ||
        at.second >= view.y0 + view.height)
      continue;
    const double w = text_width(label.text);
    if (label.span * scale < w) continue;  // the name would spill over its neighbours
    data::Box box;
    box.Add(data::Point2{at.first - w / 2, at.second - text_height / 2});
    box.Add(data::Point2{at.first + w / 2, at.second + text_height / 2});
    if (std::any_of(taken.begin(), taken.end(),
                    [&](const data::Box& b) { return b.Intersects(box, 2.0); }))
      continue;
    taken.push_back(box);
    placed.push_back(int(k));
  }
  return placed;
}

void DrawMap(Canvas& canvas, const Viewport& view, const MapLayers& layers,
             const std::vector<double>& values, const ColourScale& scale) {
  DrawMap(canvas, view, layers, values, scale, DetailFor(StatsOf(layers), view.Scale()));
}

void DrawMap(Canvas& canvas, const Viewport& view, const MapLayers& layers,
             const std::vector<double>& values, const ColourScale& scale, const MapDetail& detail) {
  const MapStyle& style = kMapStyle;
  std::vector<std::vector<PixelPoint>> rings;
  for (std::size_t v = 0; v < layers.villages.size(); ++v) {
    rings.clear();
    for (const auto& poly : layers.villages[v]) {
      std::vector<const data::Ring*> parts{&poly.outer};
      for (const auto& h : poly.holes) parts.push_back(&h);
      for (const data::Ring* r : parts) {
        rings.emplace_back();
        data::Box px;
        for (const auto& p : *r) {
          rings.back().push_back(view.ToPixel(p));
          px.Add(data::Point2{rings.back().back().first, rings.back().back().second});
        }
        // A hole under a pixel at this zoom is filled (and not outlined, below): the data's
        // pinholes would be specks.
        if (r != &poly.outer && px.max_x - px.min_x < 1.5 && px.max_y - px.min_y < 1.5)
          rings.pop_back();
      }
    }
    canvas.FillRings(rings, scale.At(v < values.size() ? values[v] : 0.0));
  }
  // Borders: thin and light between villages, dark where the outline group changes or at the edge.
  std::vector<BorderEdge> classified;
  const std::vector<BorderEdge>& borders =
      layers.borders.empty() ? (classified = ClassifyBorders(layers)) : layers.borders;
  for (const BorderKind kind : {BorderKind::kInner, BorderKind::kOutline, BorderKind::kRegion})
    for (const auto& e : borders) {
      if (e.kind != kind || (kind == BorderKind::kInner && !detail.inner_borders) ||
          (kind == BorderKind::kOutline && !detail.outlines) ||
          e.ring_size * view.Scale() < 1.5)  // a pinhole (filled) or a sliver: a speck
        continue;
      const LineStyle& line = kind == BorderKind::kInner     ? style.inner_border
                              : kind == BorderKind::kOutline ? style.outline
                                                             : style.region_border;
      canvas.Line(view.ToPixel(e.a), view.ToPixel(e.b), line.colour, line.width);
    }
  for (std::size_t k = 0; detail.roads && k < layers.roads.size(); ++k) {
    const Rgb c = k < layers.road_colour.size() ? layers.road_colour[k] : style.road.colour;
    canvas.Line(view.ToPixel(layers.roads[k].first), view.ToPixel(layers.roads[k].second), c,
                style.road.width);
  }
  for (const auto& g : layers.gates) {  // a square at each gate
    const auto c = view.ToPixel(g);
    const double half = style.gate_size / 2;
    canvas.FillRect(c.first - half, c.second - half, style.gate_size, style.gate_size, style.gate);
  }
  for (std::size_t k = 0; k < layers.checkpoints.size(); ++k) {
    const double r = detail.marker_scale *
                     (k < layers.checkpoint_radius.size() ? layers.checkpoint_radius[k] : 3);
    if (r < detail.min_marker_px) continue;
    const Rgb colour =
        k < layers.checkpoint_colour.size() ? layers.checkpoint_colour[k] : style.marker;
    canvas.Disc(view.ToPixel(layers.checkpoints[k]), r, colour, style.marker_ring,
                std::min(1.2, r / 2));
  }
  // Names last, over everything, with a white halo so they read on any colour.
  const double size = style.label_size;
  for (int k : PlaceLabels(
           layers, view, [&](const std::string& t) { return canvas.TextWidth(t, size); }, size)) {
    const MapLabel& label = layers.labels[std::size_t(k)];
    const auto at = view.ToPixel(label.at);
    const double y = at.second - size / 2;
    for (const auto& [dx, dy] : {std::pair{-1, 0}, {1, 0}, {0, -1}, {0, 1}})
      canvas.Text(at.first + dx, y + dy, label.text, size, style.label_halo, TextAlign::kCentre);
    canvas.Text(at.first, y, label.text, size, style.label, TextAlign::kCentre);
  }
}

}  // namespace cordon::render
