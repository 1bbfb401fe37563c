// SPDX-License-Identifier: Apache-2.0
#pragma once
/// results.gpkg (docs/scenario.md): the village polygons with the villages.csv
/// attributes, the checkpoints with their counters, a `daily` table
/// (village id, day, the model's states) and the region series, the roads and
/// the units' names the maps show, in the CRS of the input village layer, so
/// QGIS users can map it and the folder draws as its scenario did.

#include <string>
#include <vector>

#include "cordon/data/vector_writer.hpp"
#include "cordon/geo/geography.hpp"
#include "cordon/sim/ensemble.hpp"
#include "cordon/sim/network.hpp"

namespace cordon::engine {

/// Road segments beyond which results.gpkg keeps no `roads` layer (a million-village county's
/// 3 million would double the file; its maps leave them out at that size anyway).
inline constexpr int kMaxRoadSegments = 500000;

/// results.gpkg, written in two parts: the `daily` table (every village's states every day,
/// stored at float precision) a day at a time while the run goes, so that it never sits in
/// memory, then the villages, checkpoints and region series. The file is built under a
/// temporary name and appears only when Finish() succeeds.
class ResultsGpkgWriter {
 public:
  /// Creates the file. `patch_columns` and `state_columns` as sim::PatchColumns (the leading
  /// states go to `daily`); with a `start_date` (YYYY-MM-DD of day 0) `daily` and
  /// `region_daily` get a last field `date`; without `daily` no daily table is written.
  /// Throws std::runtime_error when the file cannot be created.
  ResultsGpkgWriter(const std::string& path, const sim::Network& net,
                    std::vector<std::string> patch_columns, std::size_t state_columns,
                    std::string start_date, bool daily = true);

  /// Appends day `day` to `daily`: values as sim::PatchDayCallback gives them.
  void AddDay(int day, const double* values);

  /// Writes the other layers; indexes `daily` on (village_id, day) and joins it to the
  /// village polygons in the spatial view `villages_daily` (QGIS's Temporal Controller
  /// animates it); renames the file into place.
  void Finish(const geo::Geography& geo, const sim::EnsembleResult& result);

 private:
  data::VectorFileWriter file_;
  const sim::Network& net_;
  std::vector<std::string> patch_columns_;
  std::size_t state_columns_;
  std::string start_date_;
  bool daily_;
};

}  // namespace cordon::engine
