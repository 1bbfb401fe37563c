// SPDX-License-Identifier: Apache-2.0
#pragma once
// The scenario keys that depend on the model: `model:`, the `disease:`
// parameters of a model from a file, and its seed_infections.
#include <yaml-cpp/yaml.h>

#include "cordon/scenario/scenario.hpp"
#include "yaml_reader.hpp"

namespace cordon::engine {

/// Reads `model:` (absent or "cordon" = the built-in default) and loads a model file's spec.
void ParseModelKey(const Reader& r, const YAML::Node& root, Scenario& s);

/// `disease:` of a model from a file: every key a parameter of the model, within its range.
void ParseModelDisease(const Reader& r, const YAML::Node& map, Scenario& s);

/// seed_infections of a model from a file: {village, COMPARTMENT: persons, ..., spread_by_travel}.
void ParseModelSeeds(const Reader& r, const YAML::Node& list, Scenario& s);

/// Fails on the keys a model from a file cannot use yet (imports, checkpoints, policies,
/// village layers), naming the key and the model.
void CheckFileModelKeys(const Reader& r, const YAML::Node& root, const Scenario& s);

}  // namespace cordon::engine
