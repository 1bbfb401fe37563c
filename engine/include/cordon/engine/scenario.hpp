// SPDX-License-Identifier: Apache-2.0
#pragma once
/// A scenario file (SCENARIO.md) parsed and validated, with paths resolved
/// against the file's folder. Still names villages by id: BuildModelInputs()
/// reads the tables and turns ids into patch indices.

#include <string>
#include <vector>

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
};

/// Reads and validates a scenario. `overrides` are "key.path=value" strings
/// (`--set`), applied before validation. Throws InputError naming file, line and key.
Scenario LoadScenario(const std::string& path, const std::vector<std::string>& overrides = {});

/// Parses scenario text; `path` names it in messages and anchors relative paths.
Scenario ParseScenario(const std::string& text, const std::string& path,
                       const std::vector<std::string>& overrides = {});

/// Reads the scenario's tables into model inputs. Throws InputError naming
/// the file, line and column of a bad value.
sim::ModelInputs BuildModelInputs(const Scenario& scenario);

}  // namespace cordon::engine
