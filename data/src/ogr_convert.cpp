// SPDX-License-Identifier: Apache-2.0
#include "ogr_convert.hpp"

#include <memory>

namespace cordon::data {
namespace {

OGRLinearRing MakeRing(const Ring& r) {
  OGRLinearRing ring;
  ring.setNumPoints(static_cast<int>(r.size() + 1));
  for (std::size_t i = 0; i <= r.size(); ++i) {
    const Point2 p = r[i % r.size()];
    ring.setPoint(static_cast<int>(i), p.x, p.y);
  }
  return ring;
}

Ring ReadRing(const OGRLinearRing* ring) {
  Ring r;
  if (!ring) return r;
  const int n = ring->getNumPoints();
  r.reserve(n);
  for (int i = 0; i < n; ++i) r.push_back({ring->getX(i), ring->getY(i)});
  if (r.size() > 1 && r.front().x == r.back().x && r.front().y == r.back().y) r.pop_back();
  return r;
}

void AddPolygon(const OGRPolygon* poly, MultiPolygon& out) {
  Polygon p;
  p.outer = ReadRing(poly->getExteriorRing());
  if (p.outer.size() < 3) return;
  for (int i = 0; i < poly->getNumInteriorRings(); ++i) {
    Ring h = ReadRing(poly->getInteriorRing(i));
    if (h.size() >= 3) p.holes.push_back(std::move(h));
  }
  out.push_back(std::move(p));
}

}  // namespace

void SplitGeometry(const OGRGeometry* g, MultiPolygon& polygons, std::vector<LineString>& lines,
                   std::vector<Point2>& points) {
  if (!g || g->IsEmpty()) return;
  switch (wkbFlatten(g->getGeometryType())) {
    case wkbPolygon:
      AddPolygon(g->toPolygon(), polygons);
      break;
    case wkbLineString: {
      const OGRLineString* l = g->toLineString();
      LineString line;
      for (int i = 0; i < l->getNumPoints(); ++i) line.push_back({l->getX(i), l->getY(i)});
      if (line.size() >= 2) lines.push_back(std::move(line));
      break;
    }
    case wkbPoint:
      points.push_back({g->toPoint()->getX(), g->toPoint()->getY()});
      break;
    case wkbMultiPolygon:
    case wkbMultiLineString:
    case wkbMultiPoint:
    case wkbGeometryCollection:
      for (const OGRGeometry* part : *g->toGeometryCollection())
        SplitGeometry(part, polygons, lines, points);
      break;
    default: {
      // Curves and surfaces: linearise, then read as usual.
      std::unique_ptr<OGRGeometry> linear(g->getLinearGeometry());
      if (linear && wkbFlatten(linear->getGeometryType()) != wkbFlatten(g->getGeometryType()))
        SplitGeometry(linear.get(), polygons, lines, points);
    }
  }
}

std::unique_ptr<OGRMultiPolygon> ToOgr(const MultiPolygon& shape) {
  auto multi = std::make_unique<OGRMultiPolygon>();
  for (const auto& p : shape) {
    auto poly = std::make_unique<OGRPolygon>();
    poly->addRingDirectly(new OGRLinearRing(MakeRing(p.outer)));
    for (const auto& h : p.holes) poly->addRingDirectly(new OGRLinearRing(MakeRing(h)));
    multi->addGeometryDirectly(poly.release());
  }
  return multi;
}

MultiPolygon PolygonsOf(const OGRGeometry* g) {
  MultiPolygon polygons;
  std::vector<LineString> lines;
  std::vector<Point2> points;
  SplitGeometry(g, polygons, lines, points);
  return polygons;
}

}  // namespace cordon::data
