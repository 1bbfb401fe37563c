// SPDX-License-Identifier: Apache-2.0
#pragma once
/// results.gpkg (SCENARIO.md): the village polygons with the villages.csv
/// attributes, the checkpoints with their counters, a `daily` table
/// (village id, day, the 11 compartments) and the region series, in the
/// CRS of the input village layer, so QGIS users can map it.

#include <string>

#include "cordon/geo/geography.hpp"
#include "cordon/sim/ensemble.hpp"
#include "cordon/sim/network.hpp"

namespace cordon::engine {

/// Writes results.gpkg atomically. The `daily` table is written only when
/// result.patch_daily holds the per-village days, indexed on (village_id, day) and joined to
/// the village polygons in the spatial view `villages_daily` (QGIS's Temporal Controller
/// animates it). With a `start_date` (YYYY-MM-DD of day 0) `daily` and `region_daily` get a
/// last field `date`. Throws std::runtime_error when the file cannot be written.
void WriteResultsGpkg(const std::string& path, const Geography& geo, const sim::Network& net,
                      const sim::EnsembleResult& result, const std::string& start_date = "");

}  // namespace cordon::engine
