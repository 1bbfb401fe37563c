// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Plain planar geometry: the records GIS layers are read into and the few
/// measures the engine needs (area, centroid, length, point in polygon,
/// distance to a segment). Coordinates are in the layer's CRS; lengths and
/// areas are in its units (metres once reprojected to a working CRS).

#include <vector>

namespace cordon::data {

struct Point2 {
  double x = 0.0;
  double y = 0.0;
};

/// A closed ring; the first point is not repeated at the end.
using Ring = std::vector<Point2>;

/// An outer ring with holes.
struct Polygon {
  Ring outer;
  std::vector<Ring> holes;
};

/// The polygons of one feature (a Polygon is a MultiPolygon of one).
using MultiPolygon = std::vector<Polygon>;

/// An open polyline.
using LineString = std::vector<Point2>;

/// Axis-aligned box; empty when min > max.
struct Box {
  double min_x = 1e300, min_y = 1e300, max_x = -1e300, max_y = -1e300;
  void Add(Point2 p);
  void Add(const Box& b);
  bool Empty() const { return min_x > max_x; }
  bool Intersects(const Box& b, double margin = 0.0) const;
  Point2 Center() const { return {(min_x + max_x) / 2, (min_y + max_y) / 2}; }
};

/// Signed area of a ring (positive counter-clockwise), units squared.
double SignedArea(const Ring& ring);
/// Area of a multipolygon (outer rings minus holes), units squared.
double Area(const MultiPolygon& shape);
/// Area-weighted centroid; the box centre of a degenerate shape.
Point2 Centroid(const MultiPolygon& shape);
/// A point guaranteed inside the shape (the centroid when it is inside,
/// else the middle of the widest horizontal span through the largest polygon).
Point2 InteriorPoint(const MultiPolygon& shape);
/// Bounding box of a shape, ring or line.
Box Bounds(const MultiPolygon& shape);
Box Bounds(const LineString& line);
/// Length of a polyline, units.
double Length(const LineString& line);
/// Even-odd point-in-polygon test over all rings of the shape.
bool Contains(const MultiPolygon& shape, Point2 p);
/// Distance from p to segment ab, and the parameter t in [0, 1] of the nearest point.
double SegmentDistance(Point2 p, Point2 a, Point2 b, double* t = nullptr);
/// Distance from p to the nearest ring edge of the shape.
double BoundaryDistance(const MultiPolygon& shape, Point2 p);
/// Euclidean distance.
double Distance(Point2 a, Point2 b);

}  // namespace cordon::data
