// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Colour scales for choropleth maps: a perceptually ordered ramp (close to
/// viridis) over [min, max], linear or logarithmic, and its legend.

#include <string>

#include "cordon/render/canvas.hpp"
#include "cordon/render/image.hpp"

namespace cordon::render {

struct ColourScale {
  double min = 0.0, max = 1.0;
  bool log = false;        ///< log10 scale; values <= 0 take the lowest colour
  bool diverging = false;  ///< blue - white - red (for differences around 0), else the ramp

  /// Position of v on the scale, clamped to [0, 1].
  double Position(double v) const;
  /// The colour of v.
  Rgb At(double v) const;
};

/// The ramp at t in [0, 1] (dark purple -> blue -> green -> yellow).
Rgb Ramp(double t);
/// The diverging ramp at t in [0, 1]: blue at 0, white at 0.5, red at 1.
Rgb DivergingRamp(double t);

/// Draws a horizontal legend bar with its title and end labels at (x, y), `width` wide, text
/// `text_size` pixels high; returns its height (3.6 x text_size).
double DrawLegend(Canvas& canvas, double x, double y, double width, const ColourScale& scale,
                  const std::string& title, double text_size = 12.0);

}  // namespace cordon::render
