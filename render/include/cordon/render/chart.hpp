// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Line charts of daily curves (one line per scenario or compartment) drawn
/// on the CPU into an Image: axes with round ticks, a legend, an optional
/// horizontal reference line (e.g. beds). For reports and `cordon compare`.

#include <string>
#include <vector>

#include "cordon/render/image.hpp"

namespace cordon::render {

struct Curve {
  std::string label;      ///< legend text (ASCII; other characters are drawn as '?')
  std::vector<double> y;  ///< one value per day from day 0
  Rgb colour;
};

struct ChartOptions {
  int width = 960, height = 540;  ///< pixels
  std::string title;
  std::string y_label;      ///< e.g. "infected (persons)"
  double reference = -1.0;  ///< a dashed horizontal line at this value (< 0: none)
  std::string reference_label;
};

/// A round axis step (1, 2 or 5 x 10^k) giving about `ticks` intervals from 0 to `max`.
double NiceStep(double max, int ticks);

/// The i-th colour of a palette that stays distinct for 8 curves.
Rgb PaletteColour(int i);

/// Draws the curves; the y axis runs from 0 to a round value above the largest point.
Image PlotCurves(const std::vector<Curve>& curves, const ChartOptions& options);

/// Draws `text` with its top-left corner at (x, y), `scale` pixels per font pixel.
void DrawText(Image& image, int x, int y, const std::string& text, Rgb colour, int scale = 1);

}  // namespace cordon::render
