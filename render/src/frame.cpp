// SPDX-License-Identifier: Apache-2.0
#include "cordon/render/frame.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

#include "cordon/base/error.hpp"

namespace cordon::render {

RunView MakeRunView(const engine::DisplayRun& run, MapMetric metric, bool log_scale) {
  if (!run.geography) throw InputError("drawing a map needs a scenario with a village layer");
  const engine::Geography& geo = *run.geography;
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
      if (metric == MapMetric::kAttackRate) {
        row[i] = 100.0 * run.result.attack_rate[i];
      } else if (metric == MapMetric::kFirstInfectedDay) {
        const double first = run.result.first_infected_day[i];
        row[i] = std::isfinite(first) ? first : std::nan("");
      } else {
        if (metric == MapMetric::kPrevalence) {
          for (int c : infected) x += day[c * patches + i];
        } else {
          x = pop;
          for (int c : susceptible) x -= day[c * patches + i];
        }
        row[i] = pop > 0 ? 1000.0 * x / pop : 0.0;
      }
      if (!std::isfinite(row[i])) continue;
      max = std::max(max, row[i]);
    }
    v.values.push_back(std::move(row));
  }
  v.scale.min = log_scale ? 0.1 : 0.0;
  v.scale.max = max > 0 ? max : 1.0;
  v.scale.log = log_scale;
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
  if (!isolated_c.empty()) v.curves.push_back(isolated);
  v.beds = std::isfinite(run.beds) ? run.beds : -1;
  return v;
}

Image DrawFrame(const RunView& view, int day, const FrameOptions& o) {
  day = std::clamp(day, 0, std::max(0, view.days));
  Image img(o.width, o.height, Rgb{255, 255, 255});
  const int t = o.text_scale, header = 16 * t + 16;
  const int map_w = o.width * 55 / 100;
  Viewport vp;
  vp.x0 = 10;
  vp.y0 = header;
  vp.width = map_w - 20;
  vp.height = o.height - header - 60 * t;
  vp.world = view.world;
  DrawMap(img, vp, view.layers, view.values.empty() ? std::vector<double>{} : view.values[day],
          view.scale);
  DrawLegend(img, 20, o.height - 50 * t, std::min(320, map_w - 40), view.scale, view.legend, t);
  std::string head = view.title + "   day " + std::to_string(day);
  const std::string date = engine::DateAfter(view.start_date, day);
  if (!date.empty()) head += "   " + date;
  DrawText(img, 12, 8, head, Rgb{20, 20, 20}, t);

  // Curves on the right with the day cursor.
  ChartOptions chart;
  chart.width = o.width - map_w;
  chart.height = o.height - header;
  chart.y_label = "persons";
  chart.reference = view.beds;
  chart.reference_label = "beds";
  const Image plot = PlotCurves(view.curves, chart);
  for (int y = 0; y < plot.height; ++y)
    for (int x = 0; x < plot.width; ++x) img.Set(map_w + x, header + y, plot.At(x, y));
  // The cursor: the same x mapping as PlotCurves (70 px left margin, 20 px right).
  const double xmax = std::max(1, view.days);
  const int cx = map_w + 70 + static_cast<int>(std::lround((chart.width - 90) * day / xmax));
  for (int y = header + 20; y < header + chart.height - 50; ++y) img.Set(cx, y, Rgb{120, 120, 120});
  return img;
}

}  // namespace cordon::render
