// SPDX-License-Identifier: Apache-2.0
#include "cordon/render/chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "font5x7.hpp"

namespace cordon::render {
namespace {

const Rgb kInk{40, 40, 40}, kGrid{225, 225, 225}, kWhite{255, 255, 255};

// A line of width ~2 px (Bresenham with a second parallel pass).
void Line(Image& img, double x0, double y0, double x1, double y1, Rgb c, bool dashed = false) {
  const int steps = static_cast<int>(std::max(std::abs(x1 - x0), std::abs(y1 - y0))) + 1;
  for (int s = 0; s <= steps; ++s) {
    if (dashed && (s / 6) % 2 == 1) continue;
    const double t = double(s) / steps;
    const int x = static_cast<int>(std::lround(x0 + t * (x1 - x0)));
    const int y = static_cast<int>(std::lround(y0 + t * (y1 - y0)));
    img.Set(x, y, c);
    img.Set(x, y + 1, c);
  }
}

std::string Label(double v) {
  char buf[32];
  if (std::abs(v) >= 1e6)
    std::snprintf(buf, sizeof buf, "%gM", v / 1e6);
  else if (std::abs(v) >= 1e4)
    std::snprintf(buf, sizeof buf, "%gK", v / 1e3);
  else
    std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

int TextWidth(const std::string& text, int scale) {
  return static_cast<int>(text.size()) * 6 * scale;
}

}  // namespace

double NiceStep(double max, int ticks) {
  const double raw = std::max(max, 1e-12) / ticks;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * mag >= raw) return m * mag;
  return 10 * mag;
}

Rgb PaletteColour(int i) {
  static const Rgb kPalette[] = {{31, 119, 180},  {214, 39, 40}, {44, 160, 44},   {255, 127, 14},
                                 {148, 103, 189}, {140, 86, 75}, {227, 119, 194}, {23, 190, 207}};
  return kPalette[((i % 8) + 8) % 8];
}

void DrawText(Image& image, int x, int y, const std::string& text, Rgb colour, int scale) {
  for (std::size_t k = 0; k < text.size(); ++k) {
    const unsigned char ch = static_cast<unsigned char>(text[k]);
    // UTF-8 continuation bytes are skipped; the lead byte draws one '?'.
    if (ch >= 0x80 && ch < 0xc0) continue;
    const std::uint8_t* g = Glyph5x7(ch >= 0x80 ? '?' : static_cast<char>(ch));
    if (!g) g = Glyph5x7('?');
    for (int row = 0; row < 7; ++row)
      for (int col = 0; col < 5; ++col)
        if (g[row] & (0x10 >> col))
          for (int dy = 0; dy < scale; ++dy)
            for (int dx = 0; dx < scale; ++dx)
              image.Set(x + col * scale + dx, y + row * scale + dy, colour);
    x += 6 * scale;
  }
}

Image PlotCurves(const std::vector<Curve>& curves, const ChartOptions& o) {
  Image img(o.width, o.height, kWhite);
  const int left = 70, right = o.width - 20, top = o.title.empty() ? 20 : 44,
            bottom = o.height - 50;
  std::size_t days = 1;
  double max = 0.0;
  for (const auto& c : curves) {
    days = std::max(days, c.y.size());
    for (double v : c.y)
      if (std::isfinite(v)) max = std::max(max, v);
  }
  if (o.reference > 0) max = std::max(max, o.reference);
  if (!(max > 0)) max = 1.0;
  const double ystep = NiceStep(max, 5), ymax = std::ceil(max / ystep) * ystep;
  const double xmax = std::max<double>(1.0, double(days - 1)), xstep = NiceStep(xmax, 8);
  auto px = [&](double day) { return left + (right - left) * day / xmax; };
  auto py = [&](double v) { return bottom - (bottom - top) * v / ymax; };

  for (double v = 0; v <= ymax + 1e-9 * ymax; v += ystep) {
    Line(img, left, py(v), right, py(v), kGrid);
    const std::string t = Label(v);
    DrawText(img, left - 8 - TextWidth(t, 1), static_cast<int>(py(v)) - 3, t, kInk);
  }
  for (double d = 0; d <= xmax + 1e-9; d += xstep) {
    Line(img, px(d), top, px(d), bottom, kGrid);
    const std::string t = Label(d);
    DrawText(img, static_cast<int>(px(d)) - TextWidth(t, 1) / 2, bottom + 8, t, kInk);
  }
  Line(img, left, top, left, bottom, kInk);
  Line(img, left, bottom, right, bottom, kInk);
  DrawText(img, (left + right) / 2 - TextWidth("day", 1) / 2, bottom + 24, "day", kInk);
  DrawText(img, 8, top - 14, o.y_label, kInk);
  if (!o.title.empty()) DrawText(img, left, 12, o.title, kInk, 2);
  if (o.reference > 0) {
    Line(img, left, py(o.reference), right, py(o.reference), kInk, true);
    DrawText(img, right - TextWidth(o.reference_label, 1), static_cast<int>(py(o.reference)) - 12,
             o.reference_label, kInk);
  }
  for (const auto& c : curves)
    for (std::size_t d = 1; d < c.y.size(); ++d)
      if (std::isfinite(c.y[d - 1]) && std::isfinite(c.y[d]))
        Line(img, px(double(d - 1)), py(c.y[d - 1]), px(double(d)), py(c.y[d]), c.colour);
  // Legend, top right.
  int ly = top + (o.reference > 0 ? 24 : 8);
  for (const auto& c : curves) {
    const int lx = right - 30 - TextWidth(c.label, 1);
    for (int dy = 0; dy < 7; ++dy)
      for (int dx = 0; dx < 18; ++dx) img.Set(lx - 24 + dx, ly + dy, c.colour);
    DrawText(img, lx, ly, c.label, kInk);
    ly += 14;
  }
  return img;
}

}  // namespace cordon::render
