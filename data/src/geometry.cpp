// SPDX-License-Identifier: Apache-2.0
#include "cordon/data/geometry.hpp"

#include <algorithm>
#include <cmath>

namespace cordon::data {

void Box::Add(Point2 p) {
  min_x = std::min(min_x, p.x);
  min_y = std::min(min_y, p.y);
  max_x = std::max(max_x, p.x);
  max_y = std::max(max_y, p.y);
}

void Box::Add(const Box& b) {
  if (b.Empty()) return;
  Add(Point2{b.min_x, b.min_y});
  Add(Point2{b.max_x, b.max_y});
}

bool Box::Intersects(const Box& b, double margin) const {
  return !(b.min_x > max_x + margin || b.max_x < min_x - margin || b.min_y > max_y + margin ||
           b.max_y < min_y - margin);
}

double SignedArea(const Ring& ring) {
  double a = 0.0;
  const std::size_t n = ring.size();
  for (std::size_t i = 0; i < n; ++i) {
    const Point2 p = ring[i], q = ring[(i + 1) % n];
    a += p.x * q.y - q.x * p.y;
  }
  return a / 2.0;
}

double Area(const MultiPolygon& shape) {
  double a = 0.0;
  for (const auto& poly : shape) {
    a += std::abs(SignedArea(poly.outer));
    for (const auto& h : poly.holes) a -= std::abs(SignedArea(h));
  }
  return a;
}

namespace {
// Adds ring's area moments (sign taken from `sign`) to a, cx, cy. Coordinates are
// shifted by `origin` so large projected coordinates keep their precision.
void AddMoments(const Ring& ring, double sign, Point2 origin, double& a, double& cx, double& cy) {
  double ra = 0, rx = 0, ry = 0;
  const std::size_t n = ring.size();
  for (std::size_t i = 0; i < n; ++i) {
    const double px = ring[i].x - origin.x, py = ring[i].y - origin.y;
    const double qx = ring[(i + 1) % n].x - origin.x, qy = ring[(i + 1) % n].y - origin.y;
    const double c = px * qy - qx * py;
    ra += c;
    rx += (px + qx) * c;
    ry += (py + qy) * c;
  }
  const double s = (ra >= 0 ? 1.0 : -1.0) * sign;
  a += s * ra / 2.0;
  cx += s * rx / 6.0;
  cy += s * ry / 6.0;
}
}  // namespace

Point2 Centroid(const MultiPolygon& shape) {
  const Box box = Bounds(shape);
  if (box.Empty()) return {};
  const Point2 origin = box.Center();
  double a = 0, cx = 0, cy = 0;
  for (const auto& poly : shape) {
    AddMoments(poly.outer, 1.0, origin, a, cx, cy);
    for (const auto& h : poly.holes) AddMoments(h, -1.0, origin, a, cx, cy);
  }
  if (!(std::abs(a) > 0)) return origin;
  return {origin.x + cx / a, origin.y + cy / a};
}

Point2 InteriorPoint(const MultiPolygon& shape) {
  const Point2 c = Centroid(shape);
  if (shape.empty() || Contains(shape, c)) return c;
  // Widest span of the largest polygon along the horizontal line through its box centre.
  const Polygon* largest = &shape.front();
  for (const auto& p : shape)
    if (std::abs(SignedArea(p.outer)) > std::abs(SignedArea(largest->outer))) largest = &p;
  MultiPolygon one{*largest};
  const Box box = Bounds(one);
  const double y = box.Center().y;
  std::vector<double> xs;
  auto cut = [&](const Ring& r) {
    for (std::size_t i = 0; i < r.size(); ++i) {
      const Point2 p = r[i], q = r[(i + 1) % r.size()];
      if ((p.y > y) != (q.y > y)) xs.push_back(p.x + (y - p.y) * (q.x - p.x) / (q.y - p.y));
    }
  };
  cut(largest->outer);
  for (const auto& h : largest->holes) cut(h);
  std::sort(xs.begin(), xs.end());
  double best = -1, mid = c.x;
  for (std::size_t i = 0; i + 1 < xs.size(); i += 2)
    if (xs[i + 1] - xs[i] > best) {
      best = xs[i + 1] - xs[i];
      mid = (xs[i] + xs[i + 1]) / 2;
    }
  return {mid, y};
}

Box Bounds(const MultiPolygon& shape) {
  Box b;
  for (const auto& poly : shape)
    for (const auto& p : poly.outer) b.Add(p);
  return b;
}

Box Bounds(const LineString& line) {
  Box b;
  for (const auto& p : line) b.Add(p);
  return b;
}

double Length(const LineString& line) {
  double len = 0.0;
  for (std::size_t i = 1; i < line.size(); ++i) len += Distance(line[i - 1], line[i]);
  return len;
}

namespace {
bool RingCrossings(const Ring& r, Point2 p) {
  bool inside = false;
  const std::size_t n = r.size();
  for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
    if ((r[i].y > p.y) != (r[j].y > p.y) &&
        p.x < (r[j].x - r[i].x) * (p.y - r[i].y) / (r[j].y - r[i].y) + r[i].x)
      inside = !inside;
  }
  return inside;
}
}  // namespace

bool Contains(const MultiPolygon& shape, Point2 p) {
  for (const auto& poly : shape) {
    if (!RingCrossings(poly.outer, p)) continue;
    bool in_hole = false;
    for (const auto& h : poly.holes) in_hole = in_hole || RingCrossings(h, p);
    if (!in_hole) return true;
  }
  return false;
}

double SegmentDistance(Point2 p, Point2 a, Point2 b, double* t_out) {
  const double dx = b.x - a.x, dy = b.y - a.y;
  const double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0.0;
  t = std::clamp(t, 0.0, 1.0);
  if (t_out) *t_out = t;
  return Distance(p, {a.x + t * dx, a.y + t * dy});
}

double BoundaryDistance(const MultiPolygon& shape, Point2 p) {
  double best = 1e300;
  auto ring = [&](const Ring& r) {
    for (std::size_t i = 0; i < r.size(); ++i)
      best = std::min(best, SegmentDistance(p, r[i], r[(i + 1) % r.size()]));
  };
  for (const auto& poly : shape) {
    ring(poly.outer);
    for (const auto& h : poly.holes) ring(h);
  }
  return best;
}

double Distance(Point2 a, Point2 b) { return std::hypot(a.x - b.x, a.y - b.y); }

}  // namespace cordon::data
