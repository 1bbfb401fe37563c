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
sim::ModelInputs BuildScenarioInputs(const Scenario& scenario, int threads,
                                     std::optional<Geography>* geography = nullptr,
                                     const StageCallback& on_stage = {});

/// The model of a loaded scenario, from its tables or its layers; with
/// layers, `geography` (when given) receives what outputs need of them.
/// `threads` routes in parallel (0 = the default count). Throws InputError
/// naming the file and key.
sim::Model BuildScenarioModel(const Scenario& scenario, int threads,
                              std::optional<Geography>* geography = nullptr,
                              const StageCallback& on_stage = {});

}  // namespace cordon::engine
