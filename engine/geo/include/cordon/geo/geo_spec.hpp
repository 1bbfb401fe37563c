// SPDX-License-Identifier: Apache-2.0
#pragma once
/// What the geography of a model is built from: the village, road and
/// checkpoint layers, the mobility model and the admin cordons. A scenario
/// file holds one (scenario.hpp); geo knows nothing of scenario files.

#include <map>
#include <string>
#include <vector>

#include "cordon/base/source_ref.hpp"
#include "cordon/geo/mobility.hpp"
#include "cordon/geo/od_table.hpp"
#include "cordon/geo/region.hpp"
#include "cordon/geo/routing.hpp"
#include "cordon/sim/network.hpp"

namespace cordon::geo {

/// A GIS layer to read.
struct LayerSpec {
  std::string path;   ///< resolved against the scenario's folder
  std::string layer;  ///< "" = the only (first) layer
  std::string crs;    ///< CRS of the file's coordinates when it has none (or GCJ-02)
  std::string
      encoding;  ///< text encoding of a legacy file without one (e.g. CP936); "" = the file's
  SourceRef where;
};

/// A point or polygon layer of checkpoints. Layer fields id, level, block,
/// screen, isolate, start, end override the entry's values.
struct CheckpointLayerSpec {
  LayerSpec layer;
  sim::Checkpoint defaults;
  double snap_m = 500.0;  ///< points farther from a road are an error
  std::string id_prefix;  ///< put before every id (candidate sites use "site:")
};

/// An admin cordon: one checkpoint on each road crossing of each boundary of
/// that admin level (the coarsest level also gets the gates).
struct CordonSpec {
  std::string level;
  sim::Checkpoint defaults;
  SourceRef where;
  std::string id_prefix;  ///< put before every id (candidate sites use "site:")
};

/// region.labels: names of parent units for the maps (cordon/geo/unit_labels.hpp).
struct LabelSpec {
  bool enabled = false;
  LayerSpec layer;
  std::string id = "id";      ///< field holding a parent code of the village layer
  std::string name = "name";  ///< field holding the unit's name
};

/// Everything the geography of a model is built from.
struct GeoSpec {
  bool enabled = false;  ///< a village layer is given (else network-only tables)
  std::string file;      ///< the file this spec came from, for messages
  LayerSpec villages;
  RegionFields fields;
  bool has_roads = false;
  LayerSpec roads;
  std::string speed_field;                     ///< region.roads.speed
  std::string class_field;                     ///< region.roads.class
  std::map<std::string, double> class_speeds;  ///< region.roads.speeds: km/h per class
  double default_speed_kmh = 30.0;             ///< region.roads.default_speed
  double road_snap_m = 5.0;                    ///< region.roads.snap_m
  std::string crs;                             ///< region.crs: working CRS ("" = local equal-area)
  double tolerance_m = 50.0;          ///< region.tolerance_m: gaps and slivers between villages
  std::string mobility_model = "od";  ///< gravity | radiation | od
  std::string od_csv;                 ///< mobility.od.csv, resolved (model od)
  OdColumns od_columns;               ///< mobility.od.origin/destination/value/date/day
  MobilityOptions mobility;
  RouteOptions routes;
  std::vector<CheckpointLayerSpec> checkpoint_layers;
  std::vector<CordonSpec> cordons;
  LabelSpec labels;  ///< region.labels; drawn only, never read by the model
};

}  // namespace cordon::geo
