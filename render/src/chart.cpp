// SPDX-License-Identifier: Apache-2.0
#include "cordon/render/chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace cordon::render {
namespace {

const Rgb kInk{40, 40, 40}, kGrid{225, 225, 225}, kWhite{255, 255, 255};

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

ChartArea PlotCurves(Canvas& canvas, double x, double y, const std::vector<Curve>& curves,
                     const ChartOptions& o) {
  const double ts = o.text_size;
  ChartArea a;
  a.left = x + 6.0 * ts;
  a.right = x + o.width - 20;
  a.top = y + (o.title.empty() ? 2.0 * ts : 4.0 * ts);
  a.bottom = y + o.height - 4.0 * ts;
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
  a.last_day = std::max<double>(1.0, double(days - 1));
  const double xstep = NiceStep(a.last_day, 8);
  auto py = [&](double v) { return a.bottom - (a.bottom - a.top) * v / ymax; };

  for (double v = 0; v <= ymax + 1e-9 * ymax; v += ystep) {
    canvas.Line({a.left, py(v)}, {a.right, py(v)}, kGrid, 1.0);
    canvas.Text(a.left - 0.6 * ts, py(v) - 0.6 * ts, Label(v), ts, kInk, TextAlign::kRight);
  }
  for (double d = 0; d <= a.last_day + 1e-9; d += xstep) {
    canvas.Line({a.DayX(d), a.top}, {a.DayX(d), a.bottom}, kGrid, 1.0);
    canvas.Text(a.DayX(d), a.bottom + 0.5 * ts, Label(d), ts, kInk, TextAlign::kCentre);
  }
  canvas.Line({a.left, a.top}, {a.left, a.bottom}, kInk, 1.5);
  canvas.Line({a.left, a.bottom}, {a.right, a.bottom}, kInk, 1.5);
  canvas.Text((a.left + a.right) / 2, a.bottom + 1.9 * ts, "day", ts, kInk, TextAlign::kCentre);
  canvas.Text(x + 0.6 * ts, a.top - 1.6 * ts, o.y_label, ts, kInk);
  if (!o.title.empty())
    canvas.Text(a.left, y + 0.8 * ts, o.title, 1.5 * ts, kInk, TextAlign::kLeft, true);
  if (o.reference > 0) {
    canvas.Line({a.left, py(o.reference)}, {a.right, py(o.reference)}, kInk, 1.2, true);
    canvas.Text(a.right, py(o.reference) - 1.4 * ts, o.reference_label, ts, kInk,
                TextAlign::kRight);
  }
  for (const auto& c : curves) {
    std::vector<PixelPoint> run;
    auto flush = [&] {
      canvas.Polyline(run, c.colour, 2.0, c.dashed);
      run.clear();
    };
    for (std::size_t d = 0; d < c.y.size(); ++d) {
      if (!std::isfinite(c.y[d])) {
        flush();
        continue;
      }
      run.push_back({a.DayX(double(d)), py(c.y[d])});
    }
    flush();
  }
  // Legend, top right.
  double ly = a.top + (o.reference > 0 ? 2.0 * ts : 0.7 * ts);
  for (const auto& c : curves) {
    const double w = canvas.TextWidth(c.label, ts);
    const double lx = a.right - 2.5 * ts - w;
    const double mid = ly + 0.6 * ts;
    canvas.Line({lx - 2.2 * ts, mid}, {lx - 0.5 * ts, mid}, c.colour, 3.0, c.dashed);
    canvas.Text(lx, ly, c.label, ts, kInk);
    ly += 1.3 * ts;
  }
  return a;
}

Image PlotCurves(const std::vector<Curve>& curves, const ChartOptions& options) {
  Canvas canvas(options.width, options.height, kWhite);
  PlotCurves(canvas, 0, 0, curves, options);
  return canvas.ToImage();
}

}  // namespace cordon::render
