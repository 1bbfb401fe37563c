// SPDX-License-Identifier: Apache-2.0
#include "cordon/geo/od_table.hpp"

#include "cordon/base/csv_table.hpp"
#include "cordon/base/error.hpp"

namespace cordon::engine {

std::map<std::pair<int, int>, double> ReadOdTable(const std::string& path,
                                                  const IdIndex& villages) {
  const CsvTable t = CsvTable::Read(path);
  const int o = t.Require("origin"), d = t.Require("destination");
  const int rate = t.Require("trips_per_person_per_day");
  auto village = [&](std::size_t r, int c) {
    const auto it = villages.find(t.Text(r, c));
    if (it == villages.end())
      throw InputError(t.Where(r, c) + ": unknown village id '" + t.Text(r, c) + "'");
    return it->second;
  };
  std::map<std::pair<int, int>, double> od;
  for (std::size_t r = 0; r < t.Rows(); ++r) {
    const int i = village(r, o), j = village(r, d);
    if (i == j)
      throw InputError(t.Where(r) + ": origin and destination are the same village '" +
                       t.Text(r, o) + "'");
    const double v = t.Number(r, rate);
    if (v < 0) throw InputError(t.Where(r, rate) + ": must be >= 0, got " + t.Text(r, rate));
    if (!od.emplace(std::make_pair(i, j), v).second)
      throw InputError(t.Where(r) + ": duplicate OD pair " + t.Text(r, o) + " -> " + t.Text(r, d));
  }
  return od;
}

}  // namespace cordon::engine
