// SPDX-License-Identifier: Apache-2.0
#include "cordon/render/grid_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "cordon/render/canvas.hpp"
#include "cordon/render/colour_scale.hpp"

namespace cordon::render {
namespace {

const Rgb kGridInk{40, 40, 40}, kGridPaper{255, 255, 255}, kGridEmpty{235, 235, 235};

std::string ThreeDigits(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", v);
  return text;
}

}  // namespace

Image PlotGrid(const GridChart& g) {
  const std::size_t rows = g.rows.size(), columns = g.columns.size();
  if (rows == 0 || columns == 0 || g.values.size() != rows * columns)
    throw std::invalid_argument("PlotGrid: expected rows x columns values");
  Canvas canvas(g.width, g.height, kGridPaper);
  const double ts = g.text_size;
  double low = INFINITY, high = -INFINITY;
  for (double v : g.values)
    if (std::isfinite(v)) low = std::min(low, v), high = std::max(high, v);
  if (!(low <= high)) low = 0.0, high = 1.0;
  const ColourScale scale{low, high > low ? high : low + 1.0, false, false};

  canvas.Text(g.width / 2.0, 0.8 * ts, g.title, 1.4 * ts, kGridInk, TextAlign::kCentre, true);
  // The row labels' column is as wide as the widest label.
  double label_width = canvas.TextWidth(g.row_key, ts, true);
  for (const auto& r : g.rows) label_width = std::max(label_width, canvas.TextWidth(r, ts));
  const double left = 1.5 * ts + label_width, right = g.width - 1.5 * ts;
  const double top = 6.2 * ts, bottom = g.height - 5.5 * ts;
  const double cell_w = (right - left) / double(columns), cell_h = (bottom - top) / double(rows);

  canvas.Text((left + right) / 2.0, 2.7 * ts, g.column_key, ts, kGridInk, TextAlign::kCentre, true);
  canvas.Text(left - 0.5 * ts, top - 1.6 * ts, g.row_key, ts, kGridInk, TextAlign::kRight, true);
  for (std::size_t c = 0; c < columns; ++c)
    canvas.Text(left + (double(c) + 0.5) * cell_w, top - 1.6 * ts, g.columns[c], ts, kGridInk,
                TextAlign::kCentre);
  for (std::size_t r = 0; r < rows; ++r) {
    const double y = top + double(r) * cell_h;
    canvas.Text(left - 0.5 * ts, y + 0.5 * cell_h - 0.6 * ts, g.rows[r], ts, kGridInk,
                TextAlign::kRight);
    for (std::size_t c = 0; c < columns; ++c) {
      const double v = g.values[r * columns + c];
      const double x = left + double(c) * cell_w;
      const Rgb fill = std::isfinite(v) ? scale.At(v) : kGridEmpty;
      canvas.FillRect(x + 1, y + 1, cell_w - 2, cell_h - 2, fill);
      if (!std::isfinite(v)) continue;
      // Dark text on the light end of the ramp, white on the dark end.
      const double luma = 0.299 * fill.r + 0.587 * fill.g + 0.114 * fill.b;
      canvas.Text(x + cell_w / 2.0, y + cell_h / 2.0 - 0.6 * ts, ThreeDigits(v), ts,
                  luma > 140 ? kGridInk : kGridPaper, TextAlign::kCentre);
    }
  }
  DrawLegend(canvas, left, bottom + 1.2 * ts, std::min(right - left, 30.0 * ts), scale,
             g.value_label, ts);
  return canvas.ToImage();
}

}  // namespace cordon::render
