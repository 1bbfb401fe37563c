// SPDX-License-Identifier: Apache-2.0
#pragma once
/// A run kept in memory for drawing (viewer, `cordon render`): the scenario,
/// its geography, network and ensemble result with every village's
/// compartments every day (EnsembleResult::patch_daily).

#include <optional>

#include "cordon/base/progress.hpp"
#include "cordon/engine/run.hpp"
#include "cordon/geo/geography.hpp"
#include "cordon/scenario/scenario.hpp"
#include "cordon/sim/ensemble.hpp"

namespace cordon::engine {

struct DisplayRun {
  scenario::Scenario scenario;
  std::optional<geo::Geography> geography;  ///< empty for network-only scenarios
  sim::Network network;
  double beds = 0.0;  ///< persons; infinity when unlimited
  sim::EnsembleResult result;
};

/// Loads and runs a scenario for display. Throws like RunScenario.
DisplayRun RunForDisplay(const RunConfig& config, const Progress& progress = {});
/// The same for a scenario already loaded (and perhaps edited, as the viewer does).
DisplayRun RunForDisplay(scenario::Scenario scenario, int threads, const Progress& progress = {});

}  // namespace cordon::engine
