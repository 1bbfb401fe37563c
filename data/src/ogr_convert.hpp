// SPDX-License-Identifier: Apache-2.0
#pragma once
// Plain geometry <-> OGR geometry, for the data module's sources.
#include <ogr_geometry.h>

#include <memory>
#include <vector>

#include "cordon/data/geometry.hpp"

namespace cordon::data {

/// Splits any geometry (collections and curves included) into polygons, lines and points.
void SplitGeometry(const OGRGeometry* g, MultiPolygon& polygons, std::vector<LineString>& lines,
                   std::vector<Point2>& points);

/// The polygons of any geometry (lines and points dropped).
MultiPolygon PolygonsOf(const OGRGeometry* g);

/// An OGR multipolygon of `shape`, rings closed.
std::unique_ptr<OGRMultiPolygon> ToOgr(const MultiPolygon& shape);

}  // namespace cordon::data
