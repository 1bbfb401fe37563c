// SPDX-License-Identifier: Apache-2.0
#include "cordon/render/colour_scale.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "cordon/render/chart.hpp"
#include "cordon/render/frame_style.hpp"

namespace cordon::render {

double ColourScale::Position(double v) const {
  if (!std::isfinite(v)) return 0.0;
  double t;
  if (log) {
    const double lo = std::log10(std::max(min, 1e-12)), hi = std::log10(std::max(max, 1e-12));
    t = v <= 0 ? 0.0 : (std::log10(v) - lo) / std::max(hi - lo, 1e-12);
  } else {
    t = (v - min) / std::max(max - min, 1e-300);
  }
  return std::clamp(t, 0.0, 1.0);
}

Rgb ColourScale::At(double v) const {
  if (std::isnan(v)) return kMapStyle.no_data;  // no value: never a colour of the scale
  return diverging ? DivergingRamp(Position(v)) : Ramp(Position(v));
}

Rgb DivergingRamp(double t) {
  t = std::clamp(t, 0.0, 1.0);
  const double blue[3] = {33, 102, 172}, red[3] = {178, 24, 43};
  const double* end = t < 0.5 ? blue : red;
  const double f = t < 0.5 ? (0.5 - t) * 2 : (t - 0.5) * 2;  // 0 at white
  auto mix = [&](int c) {
    return static_cast<std::uint8_t>(std::lround(255 + f * (end[c] - 255)));
  };
  return {mix(0), mix(1), mix(2)};
}

Rgb Ramp(double t) {
  // Control points of viridis at t = 0, 0.25, 0.5, 0.75, 1.
  static const double kStops[5][3] = {
      {68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};
  t = std::clamp(t, 0.0, 1.0) * 4.0;
  const int i = std::min(3, static_cast<int>(t));
  const double f = t - i;
  auto mix = [&](int c) {
    return static_cast<std::uint8_t>(
        std::lround(kStops[i][c] + f * (kStops[i + 1][c] - kStops[i][c])));
  };
  return {mix(0), mix(1), mix(2)};
}

double DrawLegend(Canvas& canvas, double x, double y, double width, const ColourScale& scale,
                  const std::string& title, double ts) {
  const Rgb ink = kMapStyle.ink;
  canvas.Text(x, y, title, ts, ink);
  const double bar_y = y + 1.3 * ts, bar_h = 0.9 * ts;
  // The ramp as thin abutting strips (no gaps at any scale).
  const int strips = std::max(2, static_cast<int>(width));
  for (int i = 0; i < strips; ++i) {
    const double t = double(i) / (strips - 1);
    canvas.FillRect(x + width * i / strips, bar_y, width / strips + 0.5, bar_h,
                    scale.diverging ? DivergingRamp(t) : Ramp(t));
  }
  const LegendText text = LegendTextOf(scale);
  const double label_y = bar_y + bar_h + 0.2 * ts;
  canvas.Text(x, label_y, text.low, ts, ink);
  canvas.Text(x + width, label_y, text.high, ts, ink, TextAlign::kRight);
  if (!text.note.empty())
    canvas.Text(x + width / 2, label_y, text.note, ts, ink, TextAlign::kCentre);
  // The no-data class, right of the ramp: its own swatch, never part of the scale.
  const double swatch_x = x + width + 1.0 * ts;
  canvas.FillRect(swatch_x, bar_y, 1.4 * ts, bar_h, kMapStyle.no_data);
  canvas.Text(swatch_x + 1.8 * ts, bar_y - 0.05 * ts, "no data", ts, ink);
  return label_y + 1.2 * ts - y;
}

}  // namespace cordon::render
