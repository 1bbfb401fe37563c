// SPDX-License-Identifier: Apache-2.0
#pragma once
// The parts of a scenario that are the same with and without geometry:
// policies, imports and seeds, with village ids resolved.
#include <string>
#include <vector>

#include "cordon/geo/od_table.hpp"
#include "cordon/scenario/scenario.hpp"
#include "cordon/sim/model.hpp"

namespace cordon::scenario {

/// Fills in.policies, imports, external trips and seeds from `s`; in.network (with its
/// gates, and in.travellers for seeds spread by travel) must be complete.
void AddScenarioInputs(const Scenario& s, const geo::IdIndex& villages, sim::ModelInputs& in);

}  // namespace cordon::scenario
