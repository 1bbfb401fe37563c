// SPDX-License-Identifier: Apache-2.0
#pragma once
/// A scenario file (docs/scenario.md) parsed and validated, with paths resolved
/// against the file's folder. Still names villages by id: BuildModelInputs()
/// reads the tables and turns ids into patch indices.

#include <map>
#include <string>
#include <vector>

#include "cordon/base/source_ref.hpp"
#include "cordon/geo/geo_spec.hpp"
#include "cordon/sim/inputs.hpp"
#include "cordon/sim/model.hpp"
#include "cordon/sim/model_spec.hpp"
#include "cordon/sim/simulation.hpp"

namespace cordon::scenario {

/// One import stream before village ids are resolved.
struct ImportSpec {
  std::string to;  ///< "all" or a village id
  double per_day = 0.0;
  double exposed = 0.0;
  double infectious = 0.0;
  sim::TimeWindow days;
  SourceRef where;
};

/// A contact- or travel-reduction policy before village ids are resolved.
struct PatchMultiplierSpec {
  sim::PatchMultiplier policy;        ///< patches filled in by BuildModelInputs
  std::vector<std::string> villages;  ///< empty = all
  SourceRef where;
};

/// seed_infections entry: persons per compartment (keys: compartment names, or the
/// model's seed_keys aliases such as the default model's exposed / infectious).
struct SeedSpec {
  std::string village;
  std::vector<std::pair<int, double>> persons;  ///< compartment, persons
  /// > 0: every other village i also gets round(spread x travellers village -> i on day 0
  /// x persons / population of the village) in each compartment (Li et al.'s seeding rule).
  double spread_by_travel = 0.0;
  SourceRef where;
};

/// simulation.daily: every village's values of every day, and where they go.
enum class DailyOutput {
  kNone,     ///< false: none (runs too large to want them: 1e6 villages x 120 days)
  kDefault,  ///< true: results.gpkg's `daily` table (GIS runs), daily.nc (network runs)
  kNetcdf,   ///< nc: daily.nc, CF netCDF-4 (GIS runs then keep no `daily` table)
  kCsv,      ///< csv: daily.csv (likewise)
};

/// A parsed scenario.
struct Scenario {
  std::string file;  ///< the YAML file
  std::string name;
  std::string hash;          ///< FNV-1a of the file text and the overrides, hex
  std::string villages_csv;  ///< region.villages.csv, resolved
  std::string villages_x = "x", villages_y = "y";  ///< its coordinate columns (optional)
  std::string villages_crs;                  ///< their CRS ("" = EPSG:4326 for degrees, else none)
  std::vector<std::string> checkpoint_csvs;  ///< checkpoints[].csv
  std::vector<std::string> route_csvs;       ///< checkpoints[].routes.csv
  std::vector<std::string> gate_csvs;        ///< checkpoints[].gates.csv
  std::vector<ImportSpec> imports;
  sim::ExternalTrips external_trips;  ///< residents' trips out of the region (per_day 0: none)
  sim::Policies policies;             ///< contact_reductions filled in by BuildModelInputs
  std::vector<PatchMultiplierSpec> contact_reductions, travel_reductions;
  std::vector<SeedSpec> seeds;  ///< seed_infections
  sim::RunSettings simulation;
  std::string start_date;  ///< simulation.start_date (YYYY-MM-DD) of day 0; "" = none
  /// simulation.daily: where every village's values of every day go
  DailyOutput daily_output = DailyOutput::kDefault;
  geo::GeoSpec geo;              ///< layers, mobility, cordons (network-only: the OD table alone)
  std::string model = "cordon";  ///< model: a bundled name or a model file
  sim::ModelSpec model_spec;     ///< its declaration, parameters set from `disease:`
};

/// Reads and validates a scenario. `overrides` are "key.path=value" strings
/// (`--set`), applied before validation. Throws InputError naming file, line and key.
Scenario LoadScenario(const std::string& path, const std::vector<std::string>& overrides = {});

/// Parses scenario text; `path` names it in messages and anchors relative paths.
Scenario ParseScenario(const std::string& text, const std::string& path,
                       const std::vector<std::string>& overrides = {});

/// The text of the scenario at `path` with `overrides` ("key.path=value") applied, for a
/// file in `folder`: relative file paths (every `csv:` and `path:`, a model file) are
/// rewritten to point from there. Comments are not kept. Throws InputError like LoadScenario.
std::string RelocatedScenarioText(const std::string& path,
                                  const std::vector<std::string>& overrides,
                                  const std::string& folder);

/// Reads the scenario's tables (network-only scenarios) into model inputs: villages,
/// the OD table as the model's mobility needs it (trips per person per day for
/// commuting, persons per day by date for relocation), checkpoints and routes.
/// Throws InputError naming the file, line and column of a bad value.
/// Scenarios with geometry go through BuildGeoModel (cordon/geo/geography.hpp). The OD
/// table's rows are read on `threads` threads (the inputs are the same for any count).
sim::ModelInputs BuildModelInputs(const Scenario& scenario, int threads = 1);

/// The part of BuildModelInputs that region, mobility and checkpoints make: the network
/// (villages, trips, checkpoints, routes) and, for relocation, the travellers; no policies,
/// imports or seeds (AddScenarioInputs adds them); `threads` as for BuildModelInputs.
sim::ModelInputs BuildNetworkInputs(const Scenario& scenario, int threads = 1);

}  // namespace cordon::scenario
