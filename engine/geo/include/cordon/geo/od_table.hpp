// SPDX-License-Identifier: Apache-2.0
#pragma once
/// An OD table of trip rates between villages (CSV), read against the
/// villages' ids.

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "cordon/sim/network.hpp"

namespace cordon {
class CsvTable;
}

namespace cordon::geo {

/// Days since 1970-01-01 of a proleptic Gregorian date "YYYY-MM-DD"; nullopt when malformed.
std::optional<long> DayNumber(std::string_view text);

/// Hashes a village id held as a string or seen in a table's text.
struct IdHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view id) const { return std::hash<std::string_view>{}(id); }
};
/// Village id -> patch index; looked up by std::string_view too.
using IdIndex = std::unordered_map<std::string, int, IdHash, std::equal_to<>>;

/// Patch index of the village id in row r, column c of table `t`. Throws InputError naming
/// the file, line and column of an id `villages` does not hold.
int VillageIn(const CsvTable& t, std::size_t r, int c, const IdIndex& villages);

/// One row of an OD table: trips per person per day from patch `origin` to `destination`.
struct OdRate {
  int origin = 0, destination = 0;
  double rate = 0.0;
};

/// An OD table (origin,destination,trips_per_person_per_day), sorted by (origin,
/// destination), zero rates kept. Throws InputError naming the file, line and column of an
/// unknown village, a pair from a village to itself, a negative rate or a duplicate pair
/// (the first row, in the file's order, that repeats an earlier one). The rows are read on
/// `threads` threads; the result and the error are the same for any count.
std::vector<OdRate> ReadOdTable(const std::string& path, const IdIndex& villages, int threads = 1);

/// Which columns of an OD table hold what (scenario keys mobility.od.*).
struct OdColumns {
  std::string origin = "origin";
  std::string destination = "destination";
  std::string value;  ///< "" = the default of the use (trips_per_person_per_day or travellers)
  std::string date;   ///< YYYY-MM-DD: one matrix per consecutive date; "" = none
  std::string day;    ///< whole days 0, 1, ...: one matrix per day; "" = none
};

/// A dated OD table: one matrix per day (row = origin, column = destination).
struct DatedOd {
  std::vector<sim::TripMatrix> days;  ///< days[d], d = 0 .. last day of the table
  std::string first_date;             ///< the table's first date, "" with a day column
};

/// Reads an OD table with `columns` (value column required) into one matrix per day:
/// consecutive dates or days from the first one, a day with no rows is all zero, an
/// undated table is one day. Pairs from a village to itself are skipped (they move
/// nobody). Throws InputError naming file, line and column of an unknown village, a
/// negative value, a bad or missing date, or a duplicate (day, origin, destination).
DatedOd ReadDatedOd(const std::string& path, const IdIndex& villages, int patches,
                    const OdColumns& columns);

}  // namespace cordon::geo
