// SPDX-License-Identifier: Apache-2.0
#pragma once
/// How a frame looks, for both of its backends: `cordon render`'s Cairo frames (and the
/// viewer's Export) and the viewer's OpenGL map with its ImGui overlays. A style is changed
/// here, once: line and marker colours, label sizes, the title's and the legend's text.
/// (The frame's content, what it shows, is RunView; where it goes, LayoutFrame and the
/// viewer's Layout.)

#include <string>

#include "cordon/render/colour_scale.hpp"
#include "cordon/render/image.hpp"

namespace cordon::render {

/// A line's colour and width in pixels (OpenGL core profile draws every line 1 px wide).
struct LineStyle {
  Rgb colour;
  double width = 1.0;
};

/// The map's look.
struct MapStyle {
  LineStyle inner_border{{235, 235, 235}, 0.6};  ///< between villages
  LineStyle outline{{30, 30, 30}, 1.6};          ///< between outline groups (e.g. townships)
  LineStyle region_border{{20, 20, 20}, 1.6};    ///< around the region
  LineStyle road{{150, 110, 70}, 1.0};           ///< roads without a class colour
  Rgb marker{220, 30, 30};                       ///< a checkpoint without a level colour
  Rgb marker_ring{255, 255, 255};                ///< around every marker
  Rgb gate{0, 0, 0};                             ///< where roads leave the region
  double gate_size = 8.0;                        ///< pixels across
  double label_size = 13.0;                      ///< unit names' pixel height at font scale 1
  Rgb label{25, 25, 25};                         ///< unit names, over a halo of
  Rgb label_halo{255, 255, 255};
  Rgb ink{40, 40, 40};  ///< legend and panel text
  /// Villages without a value (population 0, a metric the model lacks): a grey that no
  /// colour scale (viridis, the blue-white-red of differences) takes, with its legend swatch.
  Rgb no_data{190, 190, 190};
};

/// The one style both backends draw with.
inline constexpr MapStyle kMapStyle{};

/// Every frame's title: "NAME   day N", then "   YYYY-MM-DD" when `start_date` is set.
std::string FrameTitle(const std::string& name, int day, const std::string& start_date);

/// A legend's words: the scale's ends ("%.3g") and a note between them ("log" or "").
struct LegendText {
  std::string low, high, note;
};
LegendText LegendTextOf(const ColourScale& scale);

}  // namespace cordon::render
