// SPDX-License-Identifier: Apache-2.0
#include "cordon/render/frame_style.hpp"

#include <cstdio>

#include "cordon/engine/dates.hpp"

namespace cordon::render {

std::string FrameTitle(const std::string& name, int day, const std::string& start_date) {
  std::string title = name;
  title.append("   day ").append(std::to_string(day));
  const std::string date = engine::DateAfter(start_date, day);
  if (!date.empty()) title.append("   ").append(date);
  return title;
}

LegendText LegendTextOf(const ColourScale& scale) {
  char lo[32], hi[32];
  std::snprintf(lo, sizeof lo, "%.3g", scale.min);
  std::snprintf(hi, sizeof hi, "%.3g", scale.max);
  return {lo, hi, scale.log ? "log" : ""};
}

}  // namespace cordon::render
