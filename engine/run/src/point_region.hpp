// SPDX-License-Identifier: Apache-2.0
#pragma once
// A geography for drawing network-table villages that have coordinates: each
// village a disc sized by its population, so maps and the viewer work as with
// polygons (display only; the model never sees it).
#include <optional>
#include <vector>

#include "cordon/geo/geography.hpp"
#include "cordon/scenario/scenario.hpp"

namespace cordon::engine {

/// Discs at the villages' x/y (scenario region.villages.x/y/crs) in a local equal-area
/// CRS, radius proportional to sqrt(population); empty when the table has no coordinates.
/// Throws InputError naming the file, line and column of a coordinate that is not a number.
std::optional<geo::Geography> PointGeography(const scenario::Scenario& scenario,
                                             const sim::Network& network);

/// Each village's position in WGS84 degrees (daily.nc's lon/lat): the geography's anchors,
/// else a network table's x/y in degrees or in region.villages.crs; both left empty when
/// neither is known.
void VillageLonLat(const scenario::Scenario& scenario,
                   const std::optional<geo::Geography>& geography, const sim::Network& network,
                   std::vector<double>* lon, std::vector<double>* lat);

}  // namespace cordon::engine
