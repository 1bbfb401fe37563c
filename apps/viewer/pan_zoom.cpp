// SPDX-License-Identifier: Apache-2.0
#include "viewer/pan_zoom.hpp"

#include <algorithm>
#include <cmath>

namespace cordon::viewer {

data::Point2 ToWorld(const render::Viewport& vp, double px, double py) {
  // The world is fitted into the viewport at one scale and centred (as ToPixel does).
  const double ww = vp.world.max_x - vp.world.min_x, wh = vp.world.max_y - vp.world.min_y;
  const double s = std::min(vp.width / ww, vp.height / wh);
  const double ox = vp.x0 + (vp.width - ww * s) / 2, oy = vp.y0 + (vp.height - wh * s) / 2;
  return {vp.world.min_x + (px - ox) / s, vp.world.max_y - (py - oy) / s};
}

data::Box FitWithMargin(const data::Box& region) {
  data::Box b = region;
  const double padx = 0.03 * (b.max_x - b.min_x), pady = 0.03 * (b.max_y - b.min_y);
  b.min_x -= padx, b.max_x += padx, b.min_y -= pady, b.max_y += pady;
  return b;
}

data::Box Pan(const render::Viewport& vp, data::Point2 from_px, data::Point2 to_px) {
  const auto a = ToWorld(vp, from_px.x, from_px.y), b = ToWorld(vp, to_px.x, to_px.y);
  data::Box w = vp.world;
  w.min_x -= b.x - a.x, w.max_x -= b.x - a.x, w.min_y -= b.y - a.y, w.max_y -= b.y - a.y;
  return w;
}

data::Box ZoomAt(const render::Viewport& vp, data::Point2 at_px, double steps) {
  const auto c = ToWorld(vp, at_px.x, at_px.y);
  const double f = std::pow(0.85, steps);
  const data::Box& w = vp.world;
  return {c.x + (w.min_x - c.x) * f, c.y + (w.min_y - c.y) * f, c.x + (w.max_x - c.x) * f,
          c.y + (w.max_y - c.y) * f};
}

}  // namespace cordon::viewer
