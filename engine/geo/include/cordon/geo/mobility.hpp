// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Trip rates r_ij (trips per person per day) over the routes of a
/// RouteTable: the gravity model and the radiation model (Simini et al.,
/// Nature 2012), each scaled so that every origin makes `trips_per_person`.

#include <vector>

#include "cordon/data/geometry.hpp"
#include "cordon/geo/routing.hpp"

namespace cordon::geo {

enum class MobilityModel { kGravity, kRadiation };

struct MobilityOptions {
  MobilityModel model = MobilityModel::kGravity;
  double trips_per_person = 0.3;  ///< trips per person per day
  bool straight = false;          ///< straight-line instead of road distance
  double exponent = 2.0;          ///< gravity distance decay: w = pop_j / d^exponent
  double min_km = 1.0;            ///< distances below this count as this (gravity)
};

/// One rate per route of `routes` (same order), trips per person per day.
/// Origins with no destination of positive population make no trips.
/// Radiation: s_ij counts the reachable population strictly closer than j;
/// destinations within 1 m of the same distance do not count each other.
std::vector<double> TripRates(const RouteTable& routes, const std::vector<double>& population,
                              const std::vector<data::Point2>& anchors,
                              const MobilityOptions& options);

}  // namespace cordon::geo
