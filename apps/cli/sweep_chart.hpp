// SPDX-License-Identifier: Apache-2.0
#pragma once
// The chart of a finished two-key grid sweep: its first metric's mean over the grid.

#include <string>

namespace cordon::cli {

/// Writes DIR/sweep_METRIC.png (METRIC: attack_rate where the model reports it, else the
/// first metric of sweep_points.csv) when the sweep in DIR varied exactly two keys over a
/// full grid, one point per pair of values; returns the file's name, or "" when it is not
/// such a sweep. Throws std::runtime_error when the image cannot be written.
std::string WriteSweepGridChart(const std::string& dir);

}  // namespace cordon::cli
