// SPDX-License-Identifier: Apache-2.0
// Polygons to triangles with GEOS's constrained Delaunay triangulation (libgeos 3.11), which
// takes holes and rings that touch themselves; a polygon GEOS finds invalid is made valid
// (GEOSMakeValid) first, so no village is ever left as a hole in the map.
#include "cordon/render/triangulate.hpp"

#include <geos_c.h>

#include <cmath>
#include <memory>

namespace cordon::render {
namespace {

using data::Point2;

// A GEOS context per call: reentrant, and GEOS's messages go nowhere (a bad polygon falls
// back to MakeValid, then to nothing, never to a crash).
struct Context {
  GEOSContextHandle_t h = GEOS_init_r();
  Context() {
    GEOSContext_setNoticeHandler_r(h, nullptr);
    GEOSContext_setErrorHandler_r(h, nullptr);
  }
  ~Context() { GEOS_finish_r(h); }
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;
};

struct GeomDeleter {
  GEOSContextHandle_t h;
  void operator()(GEOSGeometry* g) const {
    if (g) GEOSGeom_destroy_r(h, g);
  }
};
using Geom = std::unique_ptr<GEOSGeometry, GeomDeleter>;

// A closed GEOS ring of `ring` (the first point repeated at the end), or null.
GEOSGeometry* Ring(GEOSContextHandle_t h, const data::Ring& ring) {
  if (ring.size() < 3) return nullptr;
  GEOSCoordSequence* seq = GEOSCoordSeq_create_r(h, unsigned(ring.size() + 1), 2);
  if (!seq) return nullptr;
  for (std::size_t i = 0; i <= ring.size(); ++i) {
    const Point2 p = ring[i % ring.size()];
    GEOSCoordSeq_setXY_r(h, seq, unsigned(i), p.x, p.y);
  }
  return GEOSGeom_createLinearRing_r(h, seq);  // takes the sequence, even on failure
}

Geom ToGeos(GEOSContextHandle_t h, const data::Polygon& polygon, double min_hole_area) {
  GEOSGeometry* shell = Ring(h, polygon.outer);
  if (!shell) return Geom(nullptr, {h});
  std::vector<GEOSGeometry*> holes;
  for (const auto& hole : polygon.holes) {
    if (min_hole_area > 0 && std::abs(data::SignedArea(hole)) < min_hole_area) continue;
    if (GEOSGeometry* r = Ring(h, hole)) holes.push_back(r);
  }
  return Geom(GEOSGeom_createPolygon_r(h, shell, holes.data(), unsigned(holes.size())), {h});
}

// Appends the triangles of GEOS's triangulation `tris` (a collection of triangles), each
// counter-clockwise.
void AppendTriangles(GEOSContextHandle_t h, const GEOSGeometry* tris, std::vector<Point2>& out) {
  const int n = GEOSGetNumGeometries_r(h, tris);
  for (int k = 0; k < n; ++k) {
    const GEOSGeometry* t = GEOSGetGeometryN_r(h, tris, k);
    const GEOSGeometry* ring = t ? GEOSGetExteriorRing_r(h, t) : nullptr;
    const GEOSCoordSequence* seq = ring ? GEOSGeom_getCoordSeq_r(h, ring) : nullptr;
    unsigned size = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(h, seq, &size) || size < 3) continue;
    Point2 c[3];
    for (unsigned i = 0; i < 3; ++i) GEOSCoordSeq_getXY_r(h, seq, i, &c[i].x, &c[i].y);
    const double cross =
        (c[1].x - c[0].x) * (c[2].y - c[0].y) - (c[2].x - c[0].x) * (c[1].y - c[0].y);
    if (cross == 0.0) continue;
    if (cross < 0) std::swap(c[1], c[2]);
    out.insert(out.end(), {c[0], c[1], c[2]});
  }
}

}  // namespace

std::vector<Point2> Triangulate(const data::Polygon& polygon, double min_hole_area) {
  std::vector<Point2> out;
  Context ctx;
  const GEOSContextHandle_t h = ctx.h;
  Geom geom = ToGeos(h, polygon, min_hole_area);
  if (!geom) return out;
  if (GEOSisValid_r(h, geom.get()) != 1) {
    // Self-touching or crossing rings: their valid form (a polygon or several) instead.
    Geom valid(GEOSMakeValid_r(h, geom.get()), {h});
    if (!valid) return out;
    geom = std::move(valid);
  }
  double area = 0.0;
  GEOSArea_r(h, geom.get(), &area);
  auto covers = [&](const Geom& tris) {
    double got = -1.0;
    return tris && GEOSArea_r(h, tris.get(), &got) && std::abs(got - area) <= 1e-9 * area;
  };
  Geom tris(GEOSConstrainedDelaunayTriangulation_r(h, geom.get()), {h});
  if (!covers(tris)) {
    // A hole touching the shell between two of its vertices defeats the triangulator;
    // buffer(0) nodes the shell there (adds the touching point as a vertex).
    Geom noded(GEOSBuffer_r(h, geom.get(), 0.0, 8), {h});
    Geom again(noded ? GEOSConstrainedDelaunayTriangulation_r(h, noded.get()) : nullptr, {h});
    if (covers(again) || !tris) tris = std::move(again);
  }
  if (tris) AppendTriangles(h, tris.get(), out);
  return out;
}

}  // namespace cordon::render
