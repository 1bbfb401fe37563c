// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <limits>

namespace cordon::sim {

/// A half-open activity interval [start_day, end_day) in days; the default never ends.
struct TimeWindow {
  double start_day = 0.0;                                    ///< days
  double end_day = std::numeric_limits<double>::infinity();  ///< days; infinity = never ends

  /// True when start_day <= t < end_day (t in days).
  bool Contains(double t) const { return start_day <= t && t < end_day; }
};

}  // namespace cordon::sim
