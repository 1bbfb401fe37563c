// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Every village's values of every day: the layout they share in memory and
/// in daily.nc (CF netCDF-4, the default of network runs) or daily.csv
/// (simulation.daily: csv). Days follow docs/model.md's "Days and dates":
/// day d holds the states at its end and the flows of (d - 1, d].

#include <memory>
#include <string>
#include <vector>

#include "cordon/data/netcdf_series.hpp"
#include "cordon/sim/model.hpp"

namespace cordon::engine {

/// Daily values held in memory (RunConfig::daily, the Python package): day d's column c
/// of village i at values[(d * columns + c) * villages + i], days 0 .. layout.days (day 0:
/// the initial state), the layout sim::PatchDayCallback hands over.
struct DailyValues {
  /// Villages (ids, names, WGS84 lon/lat where known), columns (`variables`: sim::PatchColumns,
  /// states in persons then flows per day), days and start date: what daily.nc holds.
  data::SeriesLayout layout;
  /// (days + 1) x columns x villages doubles; left uninitialised until each day is copied
  /// in (a vector would write the whole buffer twice: 1.2 GB for 1e5 villages).
  std::unique_ptr<double[]> values;

  std::size_t DaySize() const { return layout.ids.size() * layout.variables.size(); }
};

/// daily.nc's layout for `model`'s network: its columns with CF units and long names,
/// `lon`/`lat` (WGS84 degrees per village, or empty), the run's title and start date.
data::SeriesLayout DailyLayout(const sim::Model& model, const std::string& title,
                               const std::string& start_date, std::vector<double> lon,
                               std::vector<double> lat);

/// Writes held values to `path` as `cordon run` would: netCDF for a name ending in .nc,
/// else daily.csv's table. Throws cordon::Error when the file cannot be written.
void WriteDailyFile(const std::string& path, const DailyValues& daily);

/// Reads a daily.nc back into memory. Throws InputError naming the file.
DailyValues ReadDailyNetcdf(const std::string& path);

}  // namespace cordon::engine
