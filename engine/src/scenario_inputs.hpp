// SPDX-License-Identifier: Apache-2.0
#pragma once
// The parts of a scenario that are the same with and without geometry:
// disease, policies, imports and seeds, with village ids resolved.
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "cordon/engine/scenario.hpp"
#include "cordon/sim/model.hpp"

namespace cordon::engine {

using IdIndex = std::unordered_map<std::string, int>;

/// An OD table (origin,destination,trips_per_person_per_day) by patch pair,
/// zero rates kept. Throws InputError naming the file, line and column of an
/// unknown village, a pair from a village to itself, a negative rate or a
/// duplicate pair.
std::map<std::pair<int, int>, double> ReadOdTable(const std::string& path, const IdIndex& villages);

/// Fills in.disease, policies, imports and seeds from `s`; in.network must
/// be complete. gate_checkpoints[p] (may be empty) lists the checkpoints met
/// by imports on their way into patch p.
void AddScenarioInputs(const Scenario& s, const IdIndex& villages,
                       const std::vector<std::vector<int>>& gate_checkpoints, sim::ModelInputs& in);

}  // namespace cordon::engine
