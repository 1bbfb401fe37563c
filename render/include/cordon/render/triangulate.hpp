// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Polygons (with holes) cut into triangles once, for the GPU map: GEOS's
/// constrained Delaunay triangulation, after GEOSMakeValid for a polygon
/// GEOS finds invalid (rings that touch or cross themselves). Part of the
/// GL render target (cordon::render_gl), which links GEOS.

#include <array>
#include <vector>

#include "cordon/data/geometry.hpp"

namespace cordon::render {

/// Triangles of a polygon as corner points (3 per triangle), counter-clockwise; their areas
/// add up to the polygon's (of its valid form). Holes smaller than `min_hole_area` (square
/// units) are filled: the data's pinholes, under a pixel, would show as specks. Degenerate
/// input gives none.
std::vector<data::Point2> Triangulate(const data::Polygon& polygon, double min_hole_area = 0.0);

}  // namespace cordon::render
