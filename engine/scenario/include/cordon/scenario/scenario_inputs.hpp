// SPDX-License-Identifier: Apache-2.0
#pragma once
// The parts of a scenario that are the same with and without geometry:
// policies, imports and seeds, with village ids resolved.
#include <string>
#include <vector>

#include "cordon/geo/od_table.hpp"
#include "cordon/scenario/scenario.hpp"
#include "cordon/sim/model.hpp"

namespace cordon::engine {

/// Fills in.policies, imports and seeds from `s`; in.network (and in.travellers, for
/// seeds spread by travel) must be complete. gate_checkpoints[p] (may be empty) lists the
/// checkpoints met by imports on their way into patch p.
void AddScenarioInputs(const Scenario& s, const IdIndex& villages,
                       const std::vector<std::vector<int>>& gate_checkpoints, sim::ModelInputs& in);

}  // namespace cordon::engine
