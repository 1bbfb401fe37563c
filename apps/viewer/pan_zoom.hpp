// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Pan and zoom of the map: which part of the world (working CRS, metres)
/// the map viewport shows, moved by pointer drags and the wheel.

#include "cordon/data/geometry.hpp"
#include "cordon/render/map_image.hpp"

namespace cordon::viewer {

/// A left-button drag of the map in progress: the pixel it was last at.
struct MapDrag {
  bool active = false;
  double x = 0, y = 0;  ///< pixels
};

/// The world point under pixel (px, py) of `vp` (the inverse of Viewport::ToPixel).
data::Point2 ToWorld(const render::Viewport& vp, double px, double py);

/// The region's bounds with a 3% margin on every side: the map's starting view.
data::Box FitWithMargin(const data::Box& region);

/// The view of `vp` moved so that the world point under pixel `from` comes under pixel `to`.
data::Box Pan(const render::Viewport& vp, data::Point2 from_px, data::Point2 to_px);

/// The view of `vp` zoomed about the world point under pixel `at`: 0.85^steps of
/// the width (wheel steps; positive zooms in).
data::Box ZoomAt(const render::Viewport& vp, data::Point2 at_px, double steps);

}  // namespace cordon::viewer
