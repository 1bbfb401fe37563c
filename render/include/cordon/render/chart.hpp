// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Line charts of daily curves (one line per scenario or compartment) drawn
/// on a Canvas: axes with round ticks, a legend, an optional horizontal
/// reference line (e.g. beds). For frames, reports and `cordon compare`.

#include <string>
#include <vector>

#include "cordon/render/canvas.hpp"
#include "cordon/render/image.hpp"

namespace cordon::render {

struct Curve {
  std::string label;      ///< legend text (UTF-8, any script)
  std::vector<double> y;  ///< one value per day from day 0 (NaN: no value that day)
  Rgb colour;
  bool dashed = false;  ///< drawn dashed (a second run beside the first)
  bool points = false;  ///< drawn as a dot per day (reported data), not a line
  /// A shaded band from low to high per day (an interval), under every line; empty: none.
  std::vector<double> low{}, high{};
  std::string band_label{};  ///< its legend text ("95% interval")
};

struct ChartOptions {
  int width = 960, height = 540;  ///< pixels
  std::string title;
  std::string y_label;      ///< e.g. "infected (persons)"
  double reference = -1.0;  ///< a dashed horizontal line at this value (< 0: none)
  std::string reference_label;
  double text_size = 12.0;  ///< pixel height of tick labels and legend; the title is 1.5x
  /// YYYY-MM-DD of day 0: the x axis shows dates ("Jan 24") instead of day numbers.
  std::string start_date;
};

/// Where a chart put its plot area, to draw on top of it (a day cursor).
struct ChartArea {
  double left = 0, right = 0, top = 0, bottom = 0;  ///< plot rectangle, canvas units
  double last_day = 1;                              ///< day at the right edge
  /// The x of day d.
  double DayX(double d) const { return left + (right - left) * d / last_day; }
};

/// An axis tick's text, the same in every chart (render, viewer): 20, 1.5, 15K, 2M.
std::string AxisLabel(double v);

/// A round axis step (1, 2 or 5 x 10^k) giving about `ticks` intervals from 0 to `max`.
double NiceStep(double max, int ticks);

/// The i-th colour of a palette that stays distinct for 8 curves.
Rgb PaletteColour(int i);

/// Draws the curves in the options' width x height at (x, y) of `canvas`; the y axis runs
/// from 0 to a round value above the largest point.
ChartArea PlotCurves(Canvas& canvas, double x, double y, const std::vector<Curve>& curves,
                     const ChartOptions& options);

/// The chart on an image of its own.
Image PlotCurves(const std::vector<Curve>& curves, const ChartOptions& options);

}  // namespace cordon::render
