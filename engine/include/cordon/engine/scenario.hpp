// SPDX-License-Identifier: Apache-2.0
#pragma once
/// A scenario file (SCENARIO.md) parsed and validated, with paths resolved
/// against the file's folder. Still names villages by id: BuildModelInputs()
/// reads the tables and turns ids into patch indices.

#include <map>
#include <string>
#include <vector>

#include "cordon/engine/mobility.hpp"
#include "cordon/engine/region.hpp"
#include "cordon/engine/routing.hpp"
#include "cordon/sim/inputs.hpp"
#include "cordon/sim/model.hpp"
#include "cordon/sim/simulation.hpp"

namespace cordon::engine {

/// Where a scenario value came from, for messages ("file:line:col: key").
struct SourceRef {
  std::string file;
  int line = 0;     ///< 1-based; 0 = set on the command line
  int column = 0;   ///< 1-based
  std::string key;  ///< dotted key path, e.g. "imports[0].to"

  /// "file:line:col: key" (or "--set key" for command-line values).
  std::string Describe() const;
};

/// One import stream before village ids are resolved.
struct ImportSpec {
  std::string to;  ///< "all" or a village id
  double per_day = 0.0;
  double exposed = 0.0;
  double infectious = 0.0;
  sim::TimeWindow days;
  SourceRef where;
};

/// A contact-reduction policy before village ids are resolved.
struct ContactReductionSpec {
  sim::ContactReduction policy;       ///< patches filled in by BuildModelInputs
  std::vector<std::string> villages;  ///< empty = all
  SourceRef where;
};

/// seed_infections entry.
struct SeedSpec {
  std::string village;
  double exposed = 0.0;
  double infectious = 0.0;
  SourceRef where;
};

/// A GIS layer named in the scenario.
struct LayerSpec {
  std::string path;   ///< resolved against the scenario's folder
  std::string layer;  ///< "" = the only (first) layer
  std::string crs;    ///< CRS of the file's coordinates when it has none (or GCJ-02)
  SourceRef where;
};

/// checkpoints[]: a point or polygon layer. Layer fields id, level, block,
/// screen, isolate, start, end override the entry's values.
struct CheckpointLayerSpec {
  LayerSpec layer;
  sim::Checkpoint defaults;
  double snap_m = 500.0;  ///< points farther from a road are an error
  std::string id_prefix;  ///< put before every id (candidate sites use "site:")
};

/// checkpoints[]: {cordon: LEVEL}: one checkpoint on each road crossing of
/// each boundary of that admin level (the coarsest level also gets the gates).
struct CordonSpec {
  std::string level;
  sim::Checkpoint defaults;
  SourceRef where;
  std::string id_prefix;  ///< put before every id (candidate sites use "site:")
};

/// Everything a scenario with geometry needs besides the model inputs.
struct GeoSpec {
  bool enabled = false;  ///< region.villages has a path (else network-only CSVs)
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
  MobilityOptions mobility;
  RouteOptions routes;
  std::vector<CheckpointLayerSpec> checkpoint_layers;
  std::vector<CordonSpec> cordons;
};

/// A parsed scenario.
struct Scenario {
  std::string file;  ///< the YAML file
  std::string name;
  std::string hash;                          ///< FNV-1a of the file text and the overrides, hex
  std::string villages_csv;                  ///< region.villages.csv, resolved
  std::string od_csv;                        ///< mobility.od.csv, resolved
  std::vector<std::string> checkpoint_csvs;  ///< checkpoints[].csv
  std::vector<std::string> route_csvs;       ///< checkpoints[].routes.csv
  std::vector<ImportSpec> imports;
  sim::Disease disease;
  sim::Policies policies;  ///< contact_reductions filled in by BuildModelInputs
  std::vector<ContactReductionSpec> contact_reductions;
  std::vector<SeedSpec> seeds;
  sim::RunSettings simulation;
  std::string start_date;  ///< simulation.start_date (YYYY-MM-DD) of day 0; "" = none
  GeoSpec geo;
};

/// Reads and validates a scenario. `overrides` are "key.path=value" strings
/// (`--set`), applied before validation. Throws InputError naming file, line and key.
Scenario LoadScenario(const std::string& path, const std::vector<std::string>& overrides = {});

/// Parses scenario text; `path` names it in messages and anchors relative paths.
Scenario ParseScenario(const std::string& text, const std::string& path,
                       const std::vector<std::string>& overrides = {});

/// Reads the scenario's tables (network-only scenarios) into model inputs.
/// Throws InputError naming the file, line and column of a bad value.
/// Scenarios with geometry go through BuildGeoModel (geography.hpp).
sim::ModelInputs BuildModelInputs(const Scenario& scenario);

}  // namespace cordon::engine
