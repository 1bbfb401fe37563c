// SPDX-License-Identifier: Apache-2.0
#pragma once
/// A small curve plot drawn with Dear ImGui's ImDrawList (no plotting
/// library is packaged): axes with round ticks, curves with optional
/// q05-q95 bands, a beds line with the days over capacity shaded, a day
/// cursor that a click or drag moves, and a hover readout.

#include <string>
#include <vector>

#include "cordon/render/chart.hpp"

namespace cordon::render {

/// A curve with an optional band (same length as y, or empty).
struct BandCurve {
  Curve curve;
  std::vector<double> low, high;
};

struct PlotWidgetOptions {
  double beds = -1.0;  ///< a line at this value; days above it shaded (< 0: none)
  const std::vector<double>* over = nullptr;  ///< the series compared with beds (e.g. H)
  std::string y_label;
};

/// Draws the plot in a `width` x `height` region at the cursor; `day` is the
/// shared day cursor (moved by clicking in the plot). Returns true when the
/// user moved it.
bool PlotWidget(const char* id, const std::vector<BandCurve>& curves, float width, float height,
                int* day, const PlotWidgetOptions& options);

}  // namespace cordon::render
