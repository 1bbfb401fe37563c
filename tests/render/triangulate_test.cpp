// SPDX-License-Identifier: Apache-2.0
// The GPU map's triangles (GEOS's constrained Delaunay triangulation) cover every polygon
// exactly: concave and holed shapes, rings that touch or cross themselves (made valid first),
// the generated county and Vietnam's 11,163 communes as the reader repairs them.
#include "cordon/render/triangulate.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "cordon/data/county_generator.hpp"
#include "cordon/data/vector_io.hpp"

namespace cordon::render {
namespace {

double TriangleArea(const std::vector<data::Point2>& t) {
  double a = 0;
  for (std::size_t k = 0; k + 2 < t.size(); k += 3) {
    const double cross = (t[k + 1].x - t[k].x) * (t[k + 2].y - t[k].y) -
                         (t[k + 2].x - t[k].x) * (t[k + 1].y - t[k].y);
    EXPECT_GT(cross, 0.0) << "counter-clockwise";
    a += cross / 2;
  }
  return a;
}

// Shoelace about the ring's first point: lon/lat rings far from the origin lose about 1e-8 of a
// small area to cancellation otherwise.
double RingArea(const data::Ring& r) {
  double a = 0;
  for (std::size_t i = 1; i + 1 < r.size(); ++i)
    a += (r[i].x - r[0].x) * (r[i + 1].y - r[0].y) - (r[i + 1].x - r[0].x) * (r[i].y - r[0].y);
  return std::abs(a) / 2;
}
double PolygonArea(const data::Polygon& p) {
  double a = RingArea(p.outer);
  for (const auto& h : p.holes) a -= RingArea(h);
  return a;
}

TEST(Triangulate, TrianglesCoverThePolygonExactly) {
  // A concave L shape, clockwise, and a square with a square hole.
  const data::Polygon l{{{0, 0}, {0, 2}, {1, 2}, {1, 1}, {2, 1}, {2, 0}}, {}};
  const auto tl = Triangulate(l);
  EXPECT_EQ(tl.size(), 3u * 4u);
  EXPECT_NEAR(TriangleArea(tl), 3.0, 1e-12);
  const data::Polygon holed{{{0, 0}, {4, 0}, {4, 4}, {0, 4}}, {{{1, 1}, {3, 1}, {3, 3}, {1, 3}}}};
  EXPECT_NEAR(TriangleArea(Triangulate(holed)), 12.0, 1e-12);
  // Every generated village, including the jagged county-edge ones.
  data::CountyOptions o;
  o.villages = 200;
  for (const auto& v : data::GenerateCounty(o).villages)
    EXPECT_NEAR(TriangleArea(Triangulate(v.shape[0])), data::Area(v.shape),
                1e-9 * data::Area(v.shape))
        << v.code;
}

// Holes smaller than the asked area (the data's pinholes) are filled; larger ones kept.
TEST(Triangulate, PinholesBelowTheAskedAreaAreFilled) {
  const data::Polygon holed{
      {{0, 0}, {4, 0}, {4, 4}, {0, 4}},
      {{{1, 1}, {3, 1}, {3, 3}, {1, 3}}, {{3.5, 3.5}, {3.6, 3.5}, {3.6, 3.6}}}};
  EXPECT_NEAR(TriangleArea(Triangulate(holed)), 16.0 - 4.0 - 0.005, 1e-12);
  EXPECT_NEAR(TriangleArea(Triangulate(holed, 0.01)), 16.0 - 4.0, 1e-12);
  EXPECT_NEAR(TriangleArea(Triangulate(holed, 5.0)), 16.0, 1e-12);
}

TEST(Triangulate, RingsThatTouchOrCrossThemselvesAreFilled) {
  // A ring that touches itself at (2, 4), enclosing an inverted hole of area 2: area 14.
  const data::Polygon touching{{{0, 0}, {4, 0}, {4, 4}, {2, 4}, {3, 2}, {1, 2}, {2, 4}, {0, 4}},
                               {}};
  EXPECT_NEAR(TriangleArea(Triangulate(touching)), 14.0, 1e-12);
  // A hole touching the shell at one point (valid, and hard for ear clipping's bridges).
  const data::Polygon notch{{{0, 0}, {4, 0}, {4, 4}, {0, 4}}, {{{2, 0}, {3, 1}, {1, 1}}}};
  EXPECT_NEAR(TriangleArea(Triangulate(notch)), 15.0, 1e-12);
  // A bow tie (the ring crosses itself): its valid form is two triangles of area 1.
  const data::Polygon bow{{{0, 0}, {2, 2}, {2, 0}, {0, 2}}, {}};
  EXPECT_NEAR(TriangleArea(Triangulate(bow)), 2.0, 1e-12);
  // Degenerate: nothing, no crash.
  EXPECT_TRUE(Triangulate(data::Polygon{{{0, 0}, {1, 1}}, {}}).empty());
  EXPECT_TRUE(Triangulate(data::Polygon{{{0, 0}, {1, 1}, {2, 2}}, {}}).empty());
}

TEST(Triangulate, VietnamsCommunesAsReadAreCoveredExactly) {
  const std::filesystem::path file =
      std::filesystem::path(CORDON_SHARED_DIR) / "data/real/vietnam/vn_communes_census2009.geojson";
  if (!std::filesystem::exists(file)) GTEST_SKIP() << file << " is absent";
  const data::VectorLayer layer = data::ReadVectorLayer(file.string(), "");
  ASSERT_GT(layer.features.size(), 11000u);
  int polygons = 0, off = 0;
  for (const auto& f : layer.features)
    for (const auto& p : f.polygons) {
      const double area = PolygonArea(p);
      const double got = TriangleArea(Triangulate(p));
      ++polygons;
      if (!(std::abs(got - area) <= 1e-9 * area)) {
        if (++off <= 5) ADD_FAILURE() << "feature " << f.fid << ": " << got << " vs " << area;
      }
    }
  EXPECT_EQ(off, 0) << "of " << polygons << " polygons";
}

}  // namespace
}  // namespace cordon::render
