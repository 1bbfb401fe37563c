// SPDX-License-Identifier: Apache-2.0
#pragma once
// The roads of the synthetic county. Links join the centres of 4-neighbouring
// village cells, so each link crosses exactly the one boundary between them.
#include <vector>

#include "cordon/data/county_generator.hpp"
#include "county_tessellation.hpp"

namespace cordon::data {

/// The road features and the gates where roads leave the county.
struct RoadNetwork {
  std::vector<RoadFeature> roads;  ///< metres, moved by `shift`
  std::vector<Point2> gates;       ///< outer ends of the roads leaving the county
};

/// The roads of the county laid out in `layout`: village roads along
/// breadth-first trees inside each township, a few loops, township roads to
/// the county seat, a highway east-west and a township road north-south
/// through the seat that leave the county at both ends, and lanes from each
/// group's centre (`group_centre`, metres, moved) to its village's centre.
/// Coordinates are moved by `shift` (metres).
RoadNetwork BuildRoads(const CountyLayout& layout, const std::vector<AdminUnit>& groups,
                       const std::vector<Point2>& group_centre, std::uint64_t seed, Point2 shift);

}  // namespace cordon::data
