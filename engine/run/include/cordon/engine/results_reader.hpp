// SPDX-License-Identifier: Apache-2.0
#pragma once
/// A finished run read back from its output folder, for display without
/// running anything.

#include <string>

#include "cordon/engine/display_run.hpp"

namespace cordon::engine {

/// Reads results.gpkg (villages, checkpoints, its `daily` and `region_daily`
/// tables) and summary.json of `dir`. Roads are not part of the outputs, so
/// the map has none. Throws InputError naming the file (and feature and
/// field) when the folder lacks results.gpkg or its daily table, or a value
/// is not a number.
DisplayRun LoadResultsFolder(const std::string& dir);

}  // namespace cordon::engine
