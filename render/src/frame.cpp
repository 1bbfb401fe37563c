// SPDX-License-Identifier: Apache-2.0
#include "cordon/render/frame.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <stdexcept>

#include "cordon/base/error.hpp"
#include "cordon/render/frame_style.hpp"

namespace cordon::render {

ColourScale SpreadScale(const std::vector<std::vector<double>>& values,
                        std::optional<bool> log_scale) {
  // Positive values, at most ~100,000 of them, spread evenly over days and villages.
  std::size_t total = 0;
  for (const auto& day : values) total += day.size();
  const std::size_t stride = std::max<std::size_t>(1, total / 100000);
  std::vector<double> positive;
  std::size_t k = 0;
  for (const auto& day : values)
    for (double x : day)
      if (k++ % stride == 0 && std::isfinite(x) && x > 0) positive.push_back(x);
  ColourScale s;
  if (positive.empty()) {
    s.log = log_scale.value_or(false);
    s.min = s.log ? 0.1 : 0.0;
    return s;
  }
  std::sort(positive.begin(), positive.end());
  const double p05 = positive[positive.size() / 20], p50 = positive[positive.size() / 2];
  // A few villages far above the rest would leave a linear map one colour.
  s.log = log_scale.value_or(positive.back() > 10.0 * p50);
  s.min =
      s.log ? std::pow(10.0, std::floor(std::log10(std::max(p05, positive.back() * 1e-4)))) : 0.0;
  return s;
}

namespace {

// Contact tracing's flows (contacts reached, quarantined per day) for the isolation chart,
// in runs that trace: series columns only then (docs/model.md, "Contact tracing").
void AddTracingCurves(const engine::DisplayRun& run, const sim::ModelSpec& spec,
                      std::vector<Curve>& isolation) {
  const auto traces = [](sim::FlowSource s) {
    return s == sim::FlowSource::kTracingTraced || s == sim::FlowSource::kTracingQuarantined;
  };
  const auto& columns = run.result.columns;
  for (const auto& f : spec.flows) {
    const auto at = std::find(columns.begin(), columns.end(), f.name);
    if (at == columns.end() || std::none_of(f.sources.begin(), f.sources.end(), traces)) continue;
    const Eigen::Index c = at - columns.begin();
    Curve flow{f.name + " per day", {}, PaletteColour(3 + int(isolation.size()))};
    for (Eigen::Index d = 0; d < run.result.mean.rows(); ++d)
      flow.y.push_back(run.result.mean(d, c));
    if (*std::max_element(flow.y.begin(), flow.y.end()) > 0) isolation.push_back(flow);
  }
}

}  // namespace

RunView MakeRunView(const engine::DisplayRun& run, MapMetric metric,
                    std::optional<bool> log_scale) {
  if (!run.geography) throw InputError("drawing a map needs a scenario with a village layer");
  const geo::Geography& geo = *run.geography;
  RunView v;
  v.title = run.scenario.name;
  v.start_date = run.scenario.start_date;
  v.layers.villages = geo.region.shapes;
  // Outlines between the units one level above the patches (e.g. townships).
  const auto& levels = geo.region.admin;
  if (levels.size() >= 2) {
    std::map<std::string, int> group;
    for (const auto& code : levels[levels.size() - 2])
      v.layers.outline_group.push_back(group.emplace(code, int(group.size())).first->second);
  }
  // Roads only where there are roads: without them the graph joins neighbours' anchors.
  if (geo.has_roads)
    for (const auto& e : geo.graph.edges)
      v.layers.roads.push_back({geo.graph.nodes[e.from], geo.graph.nodes[e.to]});
  const auto& totals = run.result.checkpoint_totals;
  double most = 1.0;
  for (Eigen::Index k = 0; k < totals.rows(); ++k) most = std::max(most, totals(k, 1));
  std::map<std::string, int> level_index;
  for (std::size_t k = 0; k < run.network.checkpoints.size(); ++k) {
    v.layers.checkpoints.push_back(geo.checkpoint_points[k]);
    const int li = level_index.emplace(run.network.checkpoints[k].level, int(level_index.size()))
                       .first->second;
    v.layers.checkpoint_colour.push_back(PaletteColour(li + 1));
    // Sized by travellers turned back: 2 px .. 7 px.
    v.layers.checkpoint_radius.push_back(
        2 + static_cast<int>(std::lround(5 * std::sqrt(totals(Eigen::Index(k), 1) / most))));
  }
  for (const auto& s : geo.region.shapes) v.world.Add(data::Bounds(s));
  v.layers.borders = ClassifyBorders(v.layers);  // once: every frame draws them
  for (const auto& l : geo.labels) v.layers.labels.push_back({l.text, l.at, l.span_m});

  // Roles from the model: who counts as infected, who was never infected.
  const sim::ModelSpec& spec = run.scenario.model_spec;
  const std::vector<int> infected = spec.Infected(), hospital_c = spec.Hospital(),
                         isolated_c = spec.Isolated();
  const std::vector<int> susceptible = spec.Susceptible();
  const int patches = run.network.Patches();
  const std::size_t per_day = run.result.patch_columns.size() * std::size_t(patches);
  v.days = static_cast<int>(run.result.patch_daily.size() / std::max<std::size_t>(per_day, 1)) - 1;
  double max = 0;
  for (int d = 0; d <= v.days; ++d) {
    std::vector<double> row(patches);
    const double* day = run.result.patch_daily.data() + d * per_day;
    for (int i = 0; i < patches; ++i) {
      const double pop = run.network.population[i];
      double x = 0;
      if (!(pop > 0)) {
        row[i] = std::nan("");  // nobody lives there: no data, not the scale's lowest value
      } else if (metric == MapMetric::kAttackRate) {
        row[i] = 100.0 * run.result.attack_rate[i];
      } else if (metric == MapMetric::kFirstInfectedDay) {
        // Never reached: below every day, so the darkest colour (NaN is "no data").
        const double first = run.result.first_infected_day[i];
        row[i] = std::isfinite(first) ? first : -1.0;
      } else {
        if (metric == MapMetric::kPrevalence) {
          for (int c : infected) x += day[c * patches + i];
        } else {
          x = pop;
          for (int c : susceptible) x -= day[c * patches + i];
        }
        row[i] = 1000.0 * x / pop;
      }
      if (!std::isfinite(row[i])) continue;
      max = std::max(max, row[i]);
    }
    v.values.push_back(std::move(row));
  }
  v.scale = SpreadScale(v.values, log_scale);
  v.scale.max = max > 0 ? max : 1.0;
  v.legend = metric == MapMetric::kPrevalence   ? "infected per 1,000"
             : metric == MapMetric::kCumulative ? "ever infected per 1,000"
             : metric == MapMetric::kAttackRate ? "attack rate, %"
                                                : "first infected day (never: darkest)";
  // Region curves: prevalence, and in hospital and in isolation when the model has them.
  Curve prevalence{"infected", {}, PaletteColour(1)}, hospital{"in hospital", {}, PaletteColour(0)};
  Curve isolated{"in isolation", {}, PaletteColour(2)};
  auto sum = [&](Eigen::Index d, const std::vector<int>& columns) {
    double total = 0;
    for (int c : columns) total += run.result.mean(d, c);
    return total;
  };
  for (Eigen::Index d = 0; d < run.result.mean.rows(); ++d) {
    prevalence.y.push_back(sum(d, infected));
    hospital.y.push_back(sum(d, hospital_c));
    isolated.y.push_back(sum(d, isolated_c));
  }
  v.curves = {prevalence};
  if (!hospital_c.empty()) v.curves.push_back(hospital);
  // Isolation's own chart only when someone was isolated (a scenario without the policies
  // would show an empty axis).
  if (!isolated_c.empty() && *std::max_element(isolated.y.begin(), isolated.y.end()) > 0)
    v.isolation.push_back(isolated);
  AddTracingCurves(run, spec, v.isolation);
  const int infections = spec.InfectionsFlow(), first = spec.FirstInfectionsFlow();
  for (int f = 0; f < int(spec.flows.size()); ++f) {
    const auto& columns = run.result.columns;
    const auto at = std::find(columns.begin(), columns.end(), spec.flows[std::size_t(f)].name);
    if (!spec.flows[std::size_t(f)].per_patch || f == infections || f == first ||
        at == columns.end())
      continue;
    const Eigen::Index c = at - columns.begin();
    Curve flow{*at, {}, PaletteColour(3 + int(c))};  // the viewer's colour of the column
    for (Eigen::Index d = 0; d < run.result.mean.rows(); ++d)
      flow.y.push_back(run.result.mean(d, c));
    v.flows.push_back(std::move(flow));
  }
  v.beds = std::isfinite(run.beds) ? run.beds : -1;
  return v;
}

namespace {

// A round length (1, 2 or 5 x 10^k metres) near a fifth of `metres`, and its label.
std::pair<double, std::string> ScaleBarLength(double metres) {
  const double target = metres / 5.0;
  const double mag = std::pow(10.0, std::floor(std::log10(std::max(target, 1e-9))));
  double length = mag;
  for (double m : {1.0, 2.0, 5.0})
    if (m * mag <= target) length = m * mag;
  char label[32];
  if (length >= 1000.0)
    std::snprintf(label, sizeof label, "%g km", length / 1000.0);
  else
    std::snprintf(label, sizeof label, "%g m", length);
  return {length, label};
}

}  // namespace

FrameLayout LayoutFrame(int width, int height, int panels, const FrameOptions& o) {
  FrameLayout l;
  const double ts = o.text_size > 0 ? o.text_size : height / 32.0;
  const double legend_h = 3.0 * ts, margin = 0.5 * ts;
  panels = std::max(1, panels);
  l.text_size = ts;
  l.header = 2.0 * ts;
  l.map_width = std::round(width * (panels == 1 ? 0.55 : 0.62));
  // Each panel: its label (when several), then its map; the legend strip below them all.
  const double label_h = panels > 1 ? 1.2 * ts : 0.0;
  const double panel_w = l.map_width / panels;
  for (int k = 0; k < panels; ++k) {
    Viewport vp;
    vp.x0 = int(k * panel_w + margin);
    vp.y0 = int(l.header + label_h);
    vp.width = int(panel_w - 2 * margin);
    vp.height = int(height - l.header - label_h - legend_h - 2 * margin);
    l.maps.push_back(vp);
  }
  l.legend.Add(data::Point2{margin, double(l.maps[0].y0 + l.maps[0].height) + 1.0});
  l.legend.Add(data::Point2{l.map_width - margin, double(height)});
  return l;
}

void ShareScale(std::vector<RunView>& views) {
  if (views.empty()) return;
  ColourScale shared = views.front().scale;
  for (const auto& v : views) {
    shared.max = std::max(shared.max, v.scale.max);
    shared.log = shared.log || v.scale.log;
  }
  shared.min = shared.log ? 1e300 : 0.0;
  for (const auto& v : views)
    if (shared.log && v.scale.min > 0) shared.min = std::min(shared.min, v.scale.min);
  if (shared.min == 1e300) shared.min = 0.1;
  for (auto& v : views) v.scale = shared;
}

namespace {

// DrawFrame on views by address: a frame never copies a run's [day][village] values.
void DrawViews(Canvas& canvas, const std::vector<const RunView*>& views,
               const std::vector<std::string>& labels, int day, const FrameOptions& o) {
  if (views.empty()) return;
  const RunView& first = *views.front();
  int days = 0;
  for (const RunView* v : views) days = std::max(days, v->days);
  day = std::clamp(day, 0, days);
  const FrameLayout l = LayoutFrame(canvas.Width(), canvas.Height(), int(views.size()), o);
  const double ts = l.text_size, w = canvas.Width(), h = canvas.Height(), margin = 0.5 * ts;
  const Rgb ink = kMapStyle.ink;
  auto label = [&](std::size_t k) { return k < labels.size() ? labels[k] : views[k]->title; };
  std::string names = views.size() == 1 ? first.title : label(0);
  for (std::size_t k = 1; k < views.size(); ++k) names += " | " + label(k);
  const std::string head = FrameTitle(names, day, first.start_date);
  canvas.Text(margin, 0.4 * ts, head, ts, Rgb{20, 20, 20}, TextAlign::kLeft, true);

  // The maps above the legend and scale bar: each region is fitted into its viewport, so
  // nothing below ever covers a village.
  const double small = 0.7 * ts, legend_y = l.legend.min_y + margin / 2;
  for (std::size_t k = 0; k < views.size(); ++k) {
    const RunView& v = *views[k];
    Viewport vp = l.maps[k];
    vp.world = v.world;
    if (views.size() > 1)
      canvas.Text(vp.x0 + vp.width / 2.0, l.header, label(k), 0.8 * ts, ink, TextAlign::kCentre);
    const int d = std::min(day, v.days);
    static const std::vector<double> kNoValues;
    DrawMap(canvas, vp, v.layers, v.values.empty() ? kNoValues : v.values[std::size_t(d)], v.scale);
  }
  const double legend_w = std::min(16.0 * ts, l.map_width * 0.45);
  DrawLegend(canvas, 2 * margin, legend_y, legend_w, first.scale, first.legend, small);
  Viewport vp = l.maps.back();
  vp.world = views.back()->world;
  if (vp.Scale() > 0 && vp.world.max_x > vp.world.min_x) {
    const auto [metres, text] = ScaleBarLength(vp.width / vp.Scale());
    const double bar = metres * vp.Scale(), right = l.map_width - 2 * margin;
    const double y = legend_y + 1.3 * small;
    canvas.FillRect(right - bar, y, bar, 0.35 * small, ink);
    canvas.FillRect(right - bar, y - 0.3 * small, 1.5, 0.95 * small, ink);
    canvas.FillRect(right - 1.5, y - 0.3 * small, 1.5, 0.95 * small, ink);
    canvas.Text(right - bar / 2, y + 0.6 * small, text, small, ink, TextAlign::kCentre);
  }

  // Curves on the right with the day cursor: one run's as they are; several runs' with the
  // run's label, the second run's dashed. Infected and hospital against the beds above,
  // isolation on a chart of its own below (its axis would flatten the others).
  auto gather = [&](std::vector<Curve> RunView::*which) {
    std::vector<Curve> curves;
    for (std::size_t k = 0; k < views.size(); ++k)
      for (Curve c : views[k]->*which) {
        if (views.size() > 1) {
          c.label = label(k) + ": " + c.label;
          c.dashed = k % 2 == 1;
        }
        curves.push_back(std::move(c));
      }
    return curves;
  };
  std::vector<Curve> curves = gather(&RunView::curves);
  for (Curve& c : gather(&RunView::flows)) curves.push_back(std::move(c));
  const std::vector<Curve> isolation = gather(&RunView::isolation);
  ChartOptions chart;
  chart.width = int(w - l.map_width);
  const double charts_h = h - l.header;
  chart.height = int(isolation.empty() ? charts_h : std::round(0.62 * charts_h));
  chart.y_label = "persons";
  chart.reference = first.beds;
  chart.reference_label = "beds";
  chart.text_size = small;
  chart.start_date = first.start_date;
  std::vector<ChartArea> areas = {PlotCurves(canvas, l.map_width, l.header, curves, chart)};
  if (!isolation.empty()) {
    ChartOptions below = chart;
    below.height = int(charts_h) - chart.height;
    below.reference = -1.0;
    below.reference_label.clear();
    areas.push_back(PlotCurves(canvas, l.map_width, l.header + chart.height, isolation, below));
  }
  for (const ChartArea& area : areas) {
    const double cx = area.DayX(std::min<double>(day, area.last_day));
    canvas.Line({cx, area.top}, {cx, area.bottom}, Rgb{120, 120, 120}, 1.5);
  }
}

}  // namespace

void DrawFrame(Canvas& canvas, const std::vector<RunView>& views,
               const std::vector<std::string>& labels, int day, const FrameOptions& o) {
  std::vector<const RunView*> pointers;
  for (const RunView& v : views) pointers.push_back(&v);
  DrawViews(canvas, pointers, labels, day, o);
}

void DrawFrame(Canvas& canvas, const RunView& view, int day, const FrameOptions& options) {
  DrawViews(canvas, {&view}, {}, day, options);
}

Image DrawFrame(const RunView& view, int day, const FrameOptions& options) {
  Canvas canvas(options.width, options.height, Rgb{255, 255, 255});
  DrawFrame(canvas, view, day, options);
  return canvas.ToImage();
}

Image DrawFrame(const std::vector<RunView>& views, const std::vector<std::string>& labels, int day,
                const FrameOptions& options) {
  Canvas canvas(options.width, options.height, Rgb{255, 255, 255});
  DrawFrame(canvas, views, labels, day, options);
  return canvas.ToImage();
}

}  // namespace cordon::render
