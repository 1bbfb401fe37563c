// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Polygons (with holes) cut into triangles by ear clipping, once, for the
/// GPU. Holes are joined to the outer ring by a bridge to a visible vertex.

#include <array>
#include <vector>

#include "cordon/data/geometry.hpp"

namespace cordon::render {

/// Triangles of a polygon as corner points (3 per triangle), counter-clockwise.
/// Degenerate input (fewer than 3 distinct points) gives none.
std::vector<data::Point2> Triangulate(const data::Polygon& polygon);

}  // namespace cordon::render
