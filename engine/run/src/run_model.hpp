// SPDX-License-Identifier: Apache-2.0
#pragma once
// RunScenario's path for a model from a file (scenario key model:).
#include "cordon/base/threads.hpp"
#include "cordon/engine/run.hpp"
#include "cordon/scenario/scenario.hpp"

namespace cordon::engine {

/// Builds, runs and writes series.csv, villages.csv, daily.csv and summary.json.
RunReport RunFileModel(const RunConfig& config, const Scenario& scenario,
                       const ThreadCount& threads);

}  // namespace cordon::engine
