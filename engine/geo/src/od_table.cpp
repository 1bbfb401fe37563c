// SPDX-License-Identifier: Apache-2.0
#include "cordon/geo/od_table.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <optional>
#include <tuple>

#include "cordon/base/csv_table.hpp"
#include "cordon/base/error.hpp"
#include "cordon/base/threads.hpp"

namespace cordon::geo {

int VillageIn(const CsvTable& t, std::size_t r, int c, const IdIndex& villages) {
  const auto it = villages.find(t.Text(r, c));
  if (it == villages.end())
    throw InputError(t.Ref(r, c), "unknown village id '" + std::string(t.Text(r, c)) + "'");
  return it->second;
}

std::vector<OdRate> ReadOdTable(const std::string& path, const IdIndex& villages, int threads) {
  const CsvTable t = CsvTable::Read(path, threads);
  const int o = t.Require("origin"), d = t.Require("destination");
  const int rate = t.Require("trips_per_person_per_day");
  auto village = [&](std::size_t r, int c) { return VillageIn(t, r, c, villages); };
  struct Row {
    OdRate od;
    std::size_t row;
  };
  std::vector<Row> rows(t.Rows());
  // Rows in blocks on `threads` threads (800,000 lookups and numbers at 1e5 villages); each
  // block stops at its first bad row, and the first block's error is the file's first.
  constexpr std::size_t kBlockRows = 1 << 16;
  const std::size_t blocks = (t.Rows() + kBlockRows - 1) / kBlockRows;
  std::vector<std::exception_ptr> failed(blocks);
  ParallelFor(static_cast<long long>(blocks), std::max(1, threads), [&](long long block) {
    const std::size_t first = std::size_t(block) * kBlockRows;
    const std::size_t last = std::min(t.Rows(), first + kBlockRows);
    // Tables list an origin's destinations together: its lookup is reused while it repeats.
    std::string_view last_origin;
    int last_index = -1;
    try {
      for (std::size_t r = first; r < last; ++r) {
        const std::string_view origin = t.Text(r, o);
        if (last_index < 0 || origin != last_origin) {
          last_index = village(r, o);
          last_origin = origin;
        }
        const int i = last_index, j = village(r, d);
        if (i == j)
          throw InputError(t.Ref(r), "origin and destination are the same village '" +
                                         std::string(t.Text(r, o)) + "'");
        const double v = t.Number(r, rate);
        if (v < 0)
          throw InputError(t.Ref(r, rate), "must be >= 0, got " + std::string(t.Text(r, rate)));
        rows[r] = {{i, j, v}, r};
      }
    } catch (...) {
      failed[std::size_t(block)] = std::current_exception();
    }
  });
  for (const std::exception_ptr& e : failed)
    if (e) std::rethrow_exception(e);
  // Sorted by pair (stable: equal pairs keep the file's order); a duplicate is a pair equal
  // to the one before it, and the first of them in the file is the one reported.
  const auto by_pair = [](const Row& a, const Row& b) {
    return std::tie(a.od.origin, a.od.destination) < std::tie(b.od.origin, b.od.destination);
  };
  if (!std::is_sorted(rows.begin(), rows.end(), by_pair))  // tables are often written sorted
    std::stable_sort(rows.begin(), rows.end(), by_pair);
  std::size_t duplicate = t.Rows();
  for (std::size_t k = 1; k < rows.size(); ++k)
    if (rows[k].od.origin == rows[k - 1].od.origin &&
        rows[k].od.destination == rows[k - 1].od.destination)
      duplicate = std::min(duplicate, rows[k].row);
  if (duplicate < t.Rows())
    throw InputError(t.Ref(duplicate), "duplicate OD pair " + std::string(t.Text(duplicate, o)) +
                                           " -> " + std::string(t.Text(duplicate, d)));
  std::vector<OdRate> od(rows.size());
  for (std::size_t k = 0; k < rows.size(); ++k) od[k] = rows[k].od;
  return od;
}

}  // namespace cordon::geo

namespace cordon::geo {

std::optional<long> DayNumber(std::string_view text) {
  int y = 0, m = 0, d = 0;
  char extra = 0;
  if (text.size() != 10 ||
      std::sscanf(std::string(text).c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3)
    return std::nullopt;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1] + (m == 2 && leap ? 1 : 0)) return std::nullopt;
  // Howard Hinnant's days_from_civil.
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const long yoe = y - era * 400;
  const long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

DatedOd ReadDatedOd(const std::string& path, const IdIndex& villages, int patches,
                    const OdColumns& columns) {
  const CsvTable t = CsvTable::Read(path);
  const int o = t.Require(columns.origin), d = t.Require(columns.destination);
  const int value = t.Require(columns.value);
  if (!columns.date.empty() && !columns.day.empty())
    throw InputError(SourceRef{path}, "give a date or a day column, not both");
  const int date = columns.date.empty() ? -1 : t.Require(columns.date);
  const int day_col = columns.day.empty() ? -1 : t.Require(columns.day);
  auto village = [&](std::size_t r, int c) { return VillageIn(t, r, c, villages); };
  // Day of each row (0 = the table's first day).
  std::vector<long> day(t.Rows(), 0);
  long first = 0;
  std::string first_date;
  for (std::size_t r = 0; r < t.Rows(); ++r) {
    if (date >= 0) {
      const auto n = DayNumber(t.Text(r, date));
      if (!n)
        throw InputError(t.Ref(r, date),
                         "expected a date YYYY-MM-DD, got '" + std::string(t.Text(r, date)) + "'");
      day[r] = *n;
    } else if (day_col >= 0) {
      const double v = t.Number(r, day_col);
      if (v < 0 || v != std::floor(v) || v > 1e5)
        throw InputError(t.Ref(r, day_col),
                         "expected a whole day 0, 1, ..., got " + std::string(t.Text(r, day_col)));
      day[r] = static_cast<long>(v);
    }
    if (r == 0 || day[r] < first) {
      first = day[r];
      if (date >= 0) first_date = t.Text(r, date);
    }
  }
  if (day_col >= 0) first = 0;  // day numbers are absolute: day 0 is the first day
  long last = first;
  for (long v : day) last = std::max(last, v);
  if (last - first > 100000)
    throw InputError(SourceRef{path}, "the table spans more than 100,000 days");

  std::vector<std::vector<Eigen::Triplet<double, int>>> triplets(std::size_t(last - first + 1));
  std::map<std::tuple<long, int, int>, std::size_t> seen;
  for (std::size_t r = 0; r < t.Rows(); ++r) {
    const int i = village(r, o), j = village(r, d);
    const double v = t.Number(r, value);
    if (v < 0)
      throw InputError(t.Ref(r, value), "must be >= 0, got " + std::string(t.Text(r, value)));
    if (!seen.emplace(std::make_tuple(day[r], i, j), r).second)
      throw InputError(t.Ref(r),
                       "duplicate OD pair " + std::string(t.Text(r, o)) + " -> " +
                           std::string(t.Text(r, d)) +
                           (date >= 0 ? " on " + std::string(t.Text(r, date)) : std::string()));
    if (i != j && v > 0) triplets[std::size_t(day[r] - first)].emplace_back(i, j, v);
  }
  DatedOd out;
  out.first_date = first_date;
  for (const auto& list : triplets) {
    sim::TripMatrix m(patches, patches);
    m.setFromTriplets(list.begin(), list.end());
    m.makeCompressed();
    out.days.push_back(std::move(m));
  }
  return out;
}

}  // namespace cordon::geo
