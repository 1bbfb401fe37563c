// SPDX-License-Identifier: Apache-2.0
#include "cordon/engine/dates.hpp"

#include <cstdio>

namespace cordon::engine {

const char* Version() { return CORDON_VERSION; }

std::string DateAfter(const std::string& start_date, int day) {
  int y = 0, m = 0, d = 0;
  if (start_date.empty() || std::sscanf(start_date.c_str(), "%d-%d-%d", &y, &m, &d) != 3) return "";
  // Days from 1970-01-01 and back (Howard Hinnant's civil-date algorithms).
  auto to_days = [](int y, int m, int d) {
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
  };
  int z = to_days(y, m, d) + day + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int dd = doy - (153 * mp + 2) / 5 + 1;
  const int mm = mp < 10 ? mp + 3 : mp - 9;
  const int yy = yoe + era * 400 + (mm <= 2);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", yy, mm, dd);
  return buf;
}

}  // namespace cordon::engine
