// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Editing a scenario the way a planner does on the map: checkpoints added
/// by hand and whole cordon levels switched off. Two entry points:
///   - EditScenario: the edited scenario in memory, ready to run;
///   - SaveEditedScenario: the same edits written beside the scenario as
///     <scenario>.edited.yaml, loadable by `cordon run`.
/// Both write the hand-placed checkpoints to <scenario>.edits.gpkg (layer
/// `checkpoints`), which the edited scenario reads as a checkpoint layer.
/// Inputs are plain values: callers on another thread pass a copy.

#include <set>
#include <string>
#include <vector>

#include "cordon/data/geometry.hpp"
#include "cordon/scenario/scenario.hpp"

namespace cordon::scenario {

/// One checkpoint placed by hand.
struct CheckpointEdit {
  data::Point2 at;      ///< working CRS (the one passed as `crs`), metres
  double block = 0.5;   ///< share of trips turned back, 0..1
  double screen = 0.5;  ///< share of infected travellers detected, 0..1
  int start_day = 0;    ///< first active day
  int end_day = -1;     ///< last active day; < 0 = never ends
  std::string id;       ///< e.g. "user-1"
};

/// What a planner changed: hand-placed checkpoints and cordon levels switched off.
struct ScenarioEdits {
  std::vector<CheckpointEdit> checkpoints;
  std::set<std::string> levels_off;  ///< cordon levels (`{cordon: LEVEL}` entries) to drop
};

/// The scenario at `scenario_path` with `edits` applied: cordons of a level
/// in `levels_off` dropped; the checkpoints, if any, written to
/// <scenario>.edits.gpkg in `crs` (WKT or "EPSG:n") and added as a layer.
/// Throws like LoadScenario, and InputError
/// when the layer cannot be written.
Scenario EditScenario(const std::string& scenario_path, const ScenarioEdits& edits,
                      const std::string& crs);

/// Writes <scenario>.edited.yaml beside the scenario: the same YAML with the
/// checkpoint list edited (switched-off cordons removed, the edits layer of
/// EditScenario added). Returns the path written. Throws like EditScenario,
/// and cordon::Error when the file cannot be written.
std::string SaveEditedScenario(const std::string& scenario_path, const ScenarioEdits& edits,
                               const std::string& crs);

}  // namespace cordon::scenario
