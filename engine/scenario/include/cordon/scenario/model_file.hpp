// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Model files (docs/models.md): YAML declaring compartments, parameters,
/// forces of infection, transitions, mobility and named flows, read into a
/// sim::ModelSpec. The bundled models (data/models/*.yaml) are built into the
/// binary; a scenario names one (`model: li2020`) or a file (`model: my.yaml`).

#include <string>
#include <vector>

#include "cordon/sim/model_spec.hpp"

namespace cordon::scenario {

/// Parses model-file text; `path` names it in messages. Throws InputError at
/// FILE:LINE:COL for a syntax error, an unknown key, compartment or parameter,
/// a bad expression or a default outside its range.
sim::ModelSpec ParseModelFile(const std::string& text, const std::string& path);

/// A bundled model by name, or a model file (path relative to `relative_to`'s folder).
/// Throws InputError naming the bundled models when `name_or_path` is neither.
sim::ModelSpec LoadModel(const std::string& name_or_path, const std::string& relative_to);

/// Names of the models built into the binary, sorted.
std::vector<std::string> BundledModelNames();

/// The text of bundled model `name`, or nullptr.
const char* BundledModelText(const std::string& name);

}  // namespace cordon::scenario
