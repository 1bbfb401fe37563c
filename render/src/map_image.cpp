// SPDX-License-Identifier: Apache-2.0
#include "cordon/render/map_image.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace cordon::render {
namespace {

void Segment(Image& img, double x0, double y0, double x1, double y1, Rgb c, int width) {
  const int steps = static_cast<int>(std::max(std::abs(x1 - x0), std::abs(y1 - y0))) + 1;
  for (int s = 0; s <= steps; ++s) {
    const double t = double(s) / steps;
    const int x = static_cast<int>(std::lround(x0 + t * (x1 - x0)));
    const int y = static_cast<int>(std::lround(y0 + t * (y1 - y0)));
    for (int dy = 0; dy < width; ++dy)
      for (int dx = 0; dx < width; ++dx) img.Set(x + dx - width / 2, y + dy - width / 2, c);
  }
}

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
      for (const data::Ring* ring : rings)
        for (std::size_t i = 0; i < ring->size(); ++i) {
          const data::Point2 a = (*ring)[i], b = (*ring)[(i + 1) % ring->size()];
          const auto [it, fresh] = index.try_emplace(Key(a, b), edges.size());
          if (fresh) {
            edges.push_back({a, b, BorderKind::kRegion});
            seen.push_back({static_cast<int>(v), 0, false});
          }
          Seen& s = seen[it->second];
          ++s.count;
          if (!fresh && !layers.outline_group.empty() &&
              layers.outline_group[s.village] != layers.outline_group[v])
            s.outline = true;
        }
    }
  for (std::size_t k = 0; k < edges.size(); ++k)
    edges[k].kind = seen[k].outline     ? BorderKind::kOutline
                    : seen[k].count > 1 ? BorderKind::kInner
                                        : BorderKind::kRegion;
  return edges;
}

std::pair<double, double> Viewport::ToPixel(data::Point2 p) const {
  const double ww = std::max(world.max_x - world.min_x, 1e-9),
               wh = std::max(world.max_y - world.min_y, 1e-9);
  const double s = std::min(width / ww, height / wh);
  const double ox = x0 + (width - ww * s) / 2, oy = y0 + (height - wh * s) / 2;
  return {ox + (p.x - world.min_x) * s, oy + (world.max_y - p.y) * s};
}

void FillPolygon(Image& image, const Viewport& view, const data::MultiPolygon& shape, Rgb colour) {
  std::vector<std::vector<std::pair<double, double>>> rings;
  double ymin = 1e300, ymax = -1e300;
  for (const auto& poly : shape) {
    auto add = [&](const data::Ring& r) {
      rings.emplace_back();
      for (const auto& p : r) {
        rings.back().push_back(view.ToPixel(p));
        ymin = std::min(ymin, rings.back().back().second);
        ymax = std::max(ymax, rings.back().back().second);
      }
    };
    add(poly.outer);
    for (const auto& h : poly.holes) add(h);
  }
  const int y0 = std::max(0, static_cast<int>(std::floor(ymin))),
            y1 = std::min(image.height - 1, static_cast<int>(std::ceil(ymax)));
  std::vector<double> xs;
  for (int y = y0; y <= y1; ++y) {
    const double sy = y + 0.5;  // sample at pixel centres
    xs.clear();
    for (const auto& r : rings)
      for (std::size_t i = 0; i < r.size(); ++i) {
        const auto& a = r[i];
        const auto& b = r[(i + 1) % r.size()];
        if ((a.second > sy) != (b.second > sy))
          xs.push_back(a.first + (sy - a.second) * (b.first - a.first) / (b.second - a.second));
      }
    std::sort(xs.begin(), xs.end());
    for (std::size_t i = 0; i + 1 < xs.size(); i += 2) {
      const int xa = std::max(0, static_cast<int>(std::ceil(xs[i] - 0.5)));
      const int xb = std::min(image.width - 1, static_cast<int>(std::floor(xs[i + 1] - 0.5)));
      for (int x = xa; x <= xb; ++x) image.Set(x, y, colour);
    }
  }
}

void DrawMap(Image& image, const Viewport& view, const MapLayers& layers,
             const std::vector<double>& values, const ColourScale& scale) {
  for (std::size_t v = 0; v < layers.villages.size(); ++v)
    FillPolygon(image, view, layers.villages[v], scale.At(v < values.size() ? values[v] : 0.0));
  // Borders: thin and light between villages, dark where the outline group changes or at the edge.
  const auto borders = ClassifyBorders(layers);
  for (const BorderKind kind : {BorderKind::kInner, BorderKind::kOutline, BorderKind::kRegion})
    for (const auto& e : borders) {
      if (e.kind != kind) continue;
      const auto a = view.ToPixel(e.a), b = view.ToPixel(e.b);
      const Rgb c = kind == BorderKind::kInner     ? Rgb{235, 235, 235}
                    : kind == BorderKind::kOutline ? Rgb{30, 30, 30}
                                                   : Rgb{20, 20, 20};
      Segment(image, a.first, a.second, b.first, b.second, c, kind == BorderKind::kInner ? 1 : 2);
    }
  for (std::size_t k = 0; k < layers.roads.size(); ++k) {
    const auto a = view.ToPixel(layers.roads[k].first), b = view.ToPixel(layers.roads[k].second);
    const Rgb c = k < layers.road_colour.size() ? layers.road_colour[k] : Rgb{150, 110, 70};
    Segment(image, a.first, a.second, b.first, b.second, c, 1);
  }
  for (const auto& g : layers.gates) {  // a black square at each gate
    const auto c = view.ToPixel(g);
    for (int dy = -4; dy <= 4; ++dy)
      for (int dx = -4; dx <= 4; ++dx)
        image.Set(int(c.first) + dx, int(c.second) + dy, Rgb{0, 0, 0});
  }
  for (std::size_t k = 0; k < layers.checkpoints.size(); ++k) {
    const auto c = view.ToPixel(layers.checkpoints[k]);
    const int r = k < layers.checkpoint_radius.size() ? layers.checkpoint_radius[k] : 3;
    const Rgb colour =
        k < layers.checkpoint_colour.size() ? layers.checkpoint_colour[k] : Rgb{220, 30, 30};
    for (int dy = -r - 1; dy <= r + 1; ++dy)
      for (int dx = -r - 1; dx <= r + 1; ++dx) {
        const double d = std::hypot(dx, dy);
        if (d <= r)
          image.Set(static_cast<int>(c.first) + dx, static_cast<int>(c.second) + dy, colour);
        else if (d <= r + 1.2)
          image.Set(static_cast<int>(c.first) + dx, static_cast<int>(c.second) + dy,
                    Rgb{255, 255, 255});
      }
  }
}

}  // namespace cordon::render
