// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Daily values of many places in one netCDF-4 file that follows the CF
/// conventions (1.8, featureType timeSeries), the format the field reads:
/// xarray (with dates), GDAL and Panoply open it as it is.
///
///   dimensions: time = days + 1, place = number of places
///   time(time)     int  "days since START" (CF dates) or, without a start date, day numbers
///   day(time)      int  the day number 0..days whatever the dates
///   id(place)      string, cf_role timeseries_id; name(place) string; lon, lat(place) degrees
///   V(time, place) double (or float), one per variable: contiguous, so that a day is one
///                  run of bytes (deflated if asked: then one day per chunk)
///
/// Written a day at a time (a run never holds its days), under a temporary
/// name renamed into place by Commit(). The netCDF library is not thread-safe:
/// every call into it, from any writer or reader, holds one lock of this module.

#include <memory>
#include <string>
#include <vector>

namespace cordon::data {

/// One variable of the file.
struct SeriesVariable {
  std::string name;        ///< the variable's name (letters, digits, `_`)
  std::string long_name;   ///< words for plots
  std::string units;       ///< CF units, e.g. "persons"
  bool daily_sum = false;  ///< a total over the day ending at t (CF cell_methods "time: sum")
};

/// What a file holds besides its values.
struct SeriesLayout {
  std::vector<std::string> ids;    ///< place ids
  std::vector<std::string> names;  ///< place names; empty = none written
  std::vector<double> lon, lat;    ///< WGS84 degrees per place; empty = none written
  std::vector<SeriesVariable> variables;
  int days = 0;            ///< days 0..days are written
  std::string start_date;  ///< YYYY-MM-DD of day 0; "" = day numbers only
  std::string title;       ///< global attribute `title`
  std::string source;      ///< global attribute `source` (program and version)
  /// Values stored as 32-bit floats (7 significant digits: persons to 1e-7 of a village)
  /// instead of doubles: half the bytes to write, which is most of a large run's output time.
  bool single_precision = false;
  int deflate_level = 0;  ///< 0 (none) to 9; doubles of epidemic states deflate by ~16% only
};

/// A file written day by day: AddDay for each of days 0..layout.days, then Commit.
class SeriesNetcdfWriter {
 public:
  /// Creates the temporary file and defines everything. Throws cordon::Error naming
  /// `path` when it cannot be created.
  SeriesNetcdfWriter(const std::string& path, const SeriesLayout& layout);
  /// Removes the temporary file unless Commit() succeeded.
  ~SeriesNetcdfWriter();
  SeriesNetcdfWriter(const SeriesNetcdfWriter&) = delete;
  SeriesNetcdfWriter& operator=(const SeriesNetcdfWriter&) = delete;

  /// Writes day `day`: `values` holds variable after variable, each the places in order
  /// (variables x places doubles). Throws cordon::Error naming the file on a write failure.
  void AddDay(int day, const double* values);
  /// Closes and renames the file into place. Throws cordon::Error when a day is missing.
  void Commit();

 private:
  struct Open;
  std::unique_ptr<Open> open_;
};

/// A whole file read back: `values` is days + 1 blocks of variables x places, as AddDay
/// took them.
struct SeriesFile {
  SeriesLayout layout;
  std::unique_ptr<double[]> values;
};

/// Reads a file SeriesNetcdfWriter wrote (or any with its layout). Throws InputError
/// naming the file and what is missing.
SeriesFile ReadSeriesNetcdf(const std::string& path);

}  // namespace cordon::data
