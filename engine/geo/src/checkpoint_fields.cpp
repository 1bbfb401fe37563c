// SPDX-License-Identifier: Apache-2.0
#include "cordon/geo/checkpoint_fields.hpp"

#include <cmath>
#include <cstdlib>
#include <sstream>

#include "cordon/base/error.hpp"

namespace cordon::geo {

sim::Checkpoint ReadCheckpointFields(const CheckpointRecord& record, sim::Checkpoint c) {
  auto number = [&](const char* name, double fallback, double min, double max) {
    const std::optional<std::string_view> field = record.text(name);
    if (!field) return fallback;
    const std::string t(*field);
    char* end = nullptr;
    const double v = std::strtod(t.c_str(), &end);
    if (end == t.c_str() || *end != '\0' || !std::isfinite(v) || v < min || v > max) {
      std::ostringstream what;
      what << record.where(name) << ": '" << t << "' must be a number between " << min << " and "
           << max;
      throw InputError::Named(record.file, what.str());
    }
    return v;
  };
  if (const std::optional<std::string_view> level = record.text("level")) c.level = *level;
  c.block = number("block", c.block, 0, 1);
  c.screen = number("screen", c.screen, 0, 1);
  c.isolate = number("isolate", c.isolate, 0, 1);
  c.staff = number("staff", c.staff, 0, 1e6);
  c.active.start_day = number("start", c.active.start_day, -1e9, 1e9);
  c.active.end_day = number("end", c.active.end_day, -1e9, 1e300);
  if (!(c.active.end_day > c.active.start_day))
    throw InputError::Named(record.file, record.where("end") + ": end must be after start");
  return c;
}

}  // namespace cordon::geo
