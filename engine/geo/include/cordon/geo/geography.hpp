// SPDX-License-Identifier: Apache-2.0
#pragma once
/// A GeoSpec -> the network a model runs on: read the village, road and
/// checkpoint layers, reproject them to the working CRS, build the region,
/// the road graph (or adjacency graph), place checkpoints, route every OD
/// pair, apply the mobility model and find the gates that imports enter by.

#include <functional>
#include <string>
#include <vector>

#include "cordon/geo/geo_spec.hpp"
#include "cordon/geo/region.hpp"
#include "cordon/geo/road_graph.hpp"
#include "cordon/geo/unit_labels.hpp"
#include "cordon/sim/network.hpp"

namespace cordon::geo {

/// The geography behind a model, kept for outputs (results.gpkg) and reports.
struct Geography {
  Region region;
  RoadGraph graph;
  bool has_roads = false;
  std::vector<data::Point2> checkpoint_points;  ///< one per checkpoint, working CRS
  std::vector<std::string> checkpoint_kinds;    ///< point | polygon | cordon
  std::vector<bool> checkpoint_on_border;       ///< sits on a road crossing of the region border
  int gates = 0;                                ///< road crossings of the region boundary
  std::vector<data::Point2> gate_points;        ///< their outer ends, working CRS
  std::int64_t routes = 0;                      ///< OD pairs with trips
  std::vector<float> route_km;        ///< per trip non-zero (storage order): route length, km
  std::vector<std::string> warnings;  ///< repairs made, odd data (one line each)
  std::vector<UnitLabel> labels;      ///< region.labels: parent units' names for maps
  double load_s = 0.0, route_s = 0.0, mobility_s = 0.0;  ///< wall-clock seconds per stage
};

/// The network built from a GeoSpec (its gates: the checkpoints met on the way into each
/// patch from the nearest gate; none when the region has no gates) and the geography behind it.
struct GeoModel {
  sim::Network network;
  Geography geography;
};

/// Told what the build is doing ("routing 100000 villages"), between stages.
using StageCallback = std::function<void(const std::string& stage)>;

/// Builds the network of a spec with a village layer (spec.enabled).
/// `threads` routes origins in parallel (0 = the default count, threads.hpp).
/// Throws InputError naming the file, feature and key.
GeoModel BuildGeoModel(const GeoSpec& spec, int threads = 0, const StageCallback& stage = {});

}  // namespace cordon::geo
