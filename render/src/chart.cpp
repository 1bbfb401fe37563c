// SPDX-License-Identifier: Apache-2.0
#include "cordon/render/chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>

#include "cordon/engine/dates.hpp"

namespace cordon::render {
namespace {

const Rgb kInk{40, 40, 40}, kGrid{225, 225, 225}, kWhite{255, 255, 255};

// A light tint of `c` for bands: 30% of the colour over white.
Rgb Tint(Rgb c) {
  auto mix = [](int v) { return static_cast<unsigned char>(255 - 0.3 * (255 - v)); };
  return {mix(c.r), mix(c.g), mix(c.b)};
}

// The x tick label of day d: the day number, or with a start date its date ("Jan 24").
std::string DayLabel(double d, const std::string& start_date) {
  if (start_date.empty()) return AxisLabel(d);
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::string date = engine::DateAfter(start_date, int(std::lround(d)));
  const int month = std::atoi(date.substr(5, 2).c_str()), day = std::atoi(date.substr(8).c_str());
  if (month < 1 || month > 12) return date;
  return std::string(kMonths[month - 1]) + " " + std::to_string(day);
}

// The band of `c` as one ring: high from left to right, then low back (NaN days left out).
std::vector<PixelPoint> BandRing(const Curve& c, const ChartArea& a,
                                 const std::function<double(double)>& py) {
  std::vector<PixelPoint> ring;
  const std::size_t n = std::min(c.low.size(), c.high.size());
  for (std::size_t d = 0; d < n; ++d)
    if (std::isfinite(c.high[d]) && std::isfinite(c.low[d]))
      ring.push_back({a.DayX(double(d)), py(c.high[d])});
  for (std::size_t d = n; d-- > 0;)
    if (std::isfinite(c.high[d]) && std::isfinite(c.low[d]))
      ring.push_back({a.DayX(double(d)), py(c.low[d])});
  return ring;
}

}  // namespace

std::string AxisLabel(double v) {
  char buf[32];
  if (std::abs(v) >= 1e6)
    std::snprintf(buf, sizeof buf, "%gM", v / 1e6);
  else if (std::abs(v) >= 1e4)
    std::snprintf(buf, sizeof buf, "%gK", v / 1e3);
  else
    std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

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
  // Room for half of the last tick's label: a date ("May 14") is wider than a day number.
  a.right = x + o.width - (o.start_date.empty() ? 20.0 : std::max(20.0, 2.2 * ts));
  a.top = y + (o.title.empty() ? 2.0 * ts : 4.0 * ts);
  a.bottom = y + o.height - 4.0 * ts;
  std::size_t days = 1;
  double max = 0.0;
  for (const auto& c : curves) {
    days = std::max(days, c.y.size());
    for (const auto* values : {&c.y, &c.high})
      for (double v : *values)
        if (std::isfinite(v)) max = std::max(max, v);
  }
  if (o.reference > 0) max = std::max(max, o.reference);
  if (!(max > 0)) max = 1.0;
  const double ystep = NiceStep(max, 5), ymax = std::ceil(max / ystep) * ystep;
  a.last_day = std::max<double>(1.0, double(days - 1));
  const double xstep = NiceStep(a.last_day, 8);
  const std::function<double(double)> py = [&](double v) {
    return a.bottom - (a.bottom - a.top) * v / ymax;
  };

  for (double v = 0; v <= ymax + 1e-9 * ymax; v += ystep) {
    canvas.Line({a.left, py(v)}, {a.right, py(v)}, kGrid, 1.0);
    canvas.Text(a.left - 0.6 * ts, py(v) - 0.6 * ts, AxisLabel(v), ts, kInk, TextAlign::kRight);
  }
  for (double d = 0; d <= a.last_day + 1e-9; d += xstep) {
    canvas.Line({a.DayX(d), a.top}, {a.DayX(d), a.bottom}, kGrid, 1.0);
    canvas.Text(a.DayX(d), a.bottom + 0.5 * ts, DayLabel(d, o.start_date), ts, kInk,
                TextAlign::kCentre);
  }
  canvas.Line({a.left, a.top}, {a.left, a.bottom}, kInk, 1.5);
  canvas.Line({a.left, a.bottom}, {a.right, a.bottom}, kInk, 1.5);
  canvas.Text((a.left + a.right) / 2, a.bottom + 1.9 * ts, o.start_date.empty() ? "day" : "date",
              ts, kInk, TextAlign::kCentre);
  canvas.Text(x + 0.6 * ts, a.top - 1.6 * ts, o.y_label, ts, kInk);
  if (!o.title.empty())
    canvas.Text(a.left, y + 0.8 * ts, o.title, 1.5 * ts, kInk, TextAlign::kLeft, true);
  if (o.reference > 0) {
    canvas.Line({a.left, py(o.reference)}, {a.right, py(o.reference)}, kInk, 1.2, true);
    canvas.Text(a.right, py(o.reference) - 1.4 * ts, o.reference_label, ts, kInk,
                TextAlign::kRight);
  }
  for (const auto& c : curves)  // bands first, under every line and dot
    if (!c.low.empty()) {
      const std::vector<PixelPoint> ring = BandRing(c, a, py);
      if (ring.size() >= 3) canvas.FillRings({ring}, Tint(c.colour));
    }
  for (const auto& c : curves) {
    if (c.points) {
      for (std::size_t d = 0; d < c.y.size(); ++d)
        if (std::isfinite(c.y[d]))
          canvas.Disc({a.DayX(double(d)), py(c.y[d])}, 0.25 * ts, c.colour, c.colour, 0.0);
      continue;
    }
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
  auto entry = [&](const std::string& label, const std::function<void(double, double)>& key) {
    const double w = canvas.TextWidth(label, ts);
    const double lx = a.right - 2.5 * ts - w;
    canvas.FillRect(lx - 2.6 * ts, ly - 0.15 * ts, w + 2.8 * ts, 1.3 * ts, kWhite);
    key(lx, ly + 0.6 * ts);
    canvas.Text(lx, ly, label, ts, kInk);
    ly += 1.3 * ts;
  };
  for (const auto& c : curves) {
    entry(c.label, [&](double lx, double mid) {
      if (c.points)
        canvas.Disc({lx - 1.35 * ts, mid}, 0.3 * ts, c.colour, c.colour, 0.0);
      else
        canvas.Line({lx - 2.2 * ts, mid}, {lx - 0.5 * ts, mid}, c.colour, 3.0, c.dashed);
    });
    if (!c.low.empty() && !c.band_label.empty())
      entry(c.band_label, [&](double lx, double mid) {
        canvas.FillRect(lx - 2.2 * ts, mid - 0.4 * ts, 1.7 * ts, 0.8 * ts, Tint(c.colour));
      });
  }
  return a;
}

Image PlotCurves(const std::vector<Curve>& curves, const ChartOptions& options) {
  Canvas canvas(options.width, options.height, kWhite);
  PlotCurves(canvas, 0, 0, curves, options);
  return canvas.ToImage();
}

}  // namespace cordon::render
