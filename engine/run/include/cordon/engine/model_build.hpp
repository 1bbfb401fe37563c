// SPDX-License-Identifier: Apache-2.0
#pragma once
/// A loaded scenario -> the compiled sim::Model it describes: its geography
/// (layers) or its network tables, then disease, policies, imports and seeds.

#include <optional>

#include "cordon/geo/geography.hpp"
#include "cordon/scenario/scenario.hpp"
#include "cordon/sim/model.hpp"

namespace cordon::engine {

/// The inputs of a loaded scenario's model, from its tables or its layers;
/// with layers, `geography` (when given) receives what outputs need of them.
/// Throws InputError naming the file and key.
sim::ModelInputs BuildScenarioInputs(const scenario::Scenario& scenario, int threads,
                                     std::optional<geo::Geography>* geography = nullptr,
                                     const geo::StageCallback& on_stage = {});

/// What a scenario's region, mobility and checkpoints make (its tables read, or its layers
/// loaded and routed): shared by scenarios that differ only in other keys (a sweep over
/// disease or policies builds it once).
struct ScenarioNetwork {
  sim::ModelInputs inputs;  ///< network (and travellers); no policies, imports or seeds
};

/// Builds the network part of `scenario` (`threads` route in parallel). Throws InputError
/// naming the file and key.
ScenarioNetwork BuildScenarioNetwork(const scenario::Scenario& scenario, int threads);

/// The model of `scenario` on `network`, made by BuildScenarioNetwork from a scenario with
/// the same region, mobility and checkpoints. Throws InputError naming the file and key.
sim::Model BuildScenarioModel(const scenario::Scenario& scenario, const ScenarioNetwork& network);

/// The `--set` overrides among `overrides` ("key.path=value") that change what
/// BuildScenarioNetwork makes, joined: equal keys, one network.
std::string NetworkKey(const std::vector<std::string>& overrides);

/// The model of a loaded scenario, from its tables or its layers; with
/// layers, `geography` (when given) receives what outputs need of them.
/// `threads` routes in parallel (0 = the default count). Throws InputError
/// naming the file and key.
sim::Model BuildScenarioModel(const scenario::Scenario& scenario, int threads,
                              std::optional<geo::Geography>* geography = nullptr,
                              const geo::StageCallback& on_stage = {});

}  // namespace cordon::engine
