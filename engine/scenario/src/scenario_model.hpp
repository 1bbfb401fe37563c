// SPDX-License-Identifier: Apache-2.0
#pragma once
// The scenario keys that depend on the model: `model:`, the `disease:`
// parameters of a model from a file, and its seed_infections.
#include <yaml-cpp/yaml.h>

#include "cordon/scenario/scenario.hpp"
#include "yaml_reader.hpp"

namespace cordon::scenario {

/// Reads `model:` (absent = cordon, the default) and loads the model's spec.
void ParseModelKey(const Reader& r, const YAML::Node& root, Scenario& s);

/// `disease:`: every key a parameter of the model, within its range.
void ParseModelDisease(const Reader& r, const YAML::Node& map, Scenario& s);

/// Sets parameter `name` from map[key] (e.g. mobility.visit_days); fails when the model
/// has no such parameter.
void SetModelParameter(const Reader& r, const YAML::Node& map, const char* key,
                       const std::string& path, const std::string& name, Scenario& s);

/// seed_infections: {village, COMPARTMENT or seed key: persons, ..., spread_by_travel}.
void ParseModelSeeds(const Reader& r, const YAML::Node& list, Scenario& s);

/// Fails on the first rule of sim::Incompatibilities the scenario breaks (imports without
/// arrivals:, checkpoints without mobility, village layers under relocation...), naming the
/// key's line and the model.
void CheckModelKeys(const Reader& r, const YAML::Node& root, const Scenario& s);

}  // namespace cordon::scenario
