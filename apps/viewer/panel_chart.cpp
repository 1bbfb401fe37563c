// SPDX-License-Identifier: Apache-2.0
// The curves under the map, sharing the day cursor with the map.
#include <cmath>
#include <string>
#include <vector>

#include "cordon/render/plot_widget.hpp"
#include "viewer/panels.hpp"

namespace cordon::viewer {

namespace {

// What the chart plots: the region curves (the hospital one with its q05-q95
// band for ensembles), chosen compartments' region totals, the selected
// village's infected and the previous run's infected.
std::vector<render::BandCurve> ChartCurves(const ViewerState& state, const Screen& screen) {
  const engine::DisplayRun& run = *state.Run();
  const render::RunView& view = screen.view;
  std::vector<render::BandCurve> curves;
  const bool bands = run.result.run_series.size() > 1;
  // The hospital curve gets the ensemble's 5-95% band when one compartment is the hospital.
  const std::vector<int> hospitals = run.scenario.model_spec.Hospital();
  for (std::size_t c = 0; c < view.curves.size(); ++c) {
    render::BandCurve b{view.curves[c], {}, {}};
    if (bands && hospitals.size() == 1 && view.curves[c].label == "in hospital")
      for (Eigen::Index d = 0; d < run.result.q05.rows(); ++d) {
        b.low.push_back(run.result.q05(d, hospitals[0]));
        b.high.push_back(run.result.q95(d, hospitals[0]));
      }
    curves.push_back(b);
  }
  const auto& columns = run.result.columns;
  for (std::size_t c = 0; c < columns.size(); ++c)
    if (c < state.map.show_column.size() ? state.map.show_column[c] != 0
                                         : ChartColumnShownByDefault(run, int(c))) {
      render::Curve curve{columns[c], {}, render::PaletteColour(3 + int(c))};
      for (Eigen::Index d = 0; d < run.result.mean.rows(); ++d)
        curve.y.push_back(run.result.mean(d, c));
      curves.push_back({curve, {}, {}});
    }
  // The selected village's infected (persons) on the same axes: only the prevalence map has them.
  const int selected = state.pick.selected;
  if (selected >= 0 && selected < run.network.Patches() && state.map.metric == 0 &&
      !state.map.difference) {
    render::Curve village{"village " + run.network.names[selected], {}, render::Rgb{148, 103, 189}};
    const double pop = run.network.population[selected];
    for (int d = 0; d <= view.days; ++d)
      village.y.push_back(view.values[d][selected] * pop / 1000.0);
    curves.push_back({village, {}, {}});
  }
  if (!screen.previous_prevalence.empty())
    curves.push_back(
        {{"infected, before", screen.previous_prevalence, render::Rgb{160, 160, 160}}, {}, {}});
  return curves;
}

}  // namespace

void DrawChartPanel(ViewerState& state, Screen& screen, const Layout& layout) {
  // Below the map and its legend strip, or beside the presenter's map.
  ImGui::SetNextWindowPos(ImVec2(float(layout.chart.x0), float(layout.chart.y0)));
  ImGui::SetNextWindowSize(ImVec2(float(layout.chart.width), float(layout.chart.height)));
  ImGui::Begin("curves", nullptr,
               ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                   ImGuiWindowFlags_NoTitleBar);
  render::PlotWidgetOptions po;
  po.beds = screen.view.beds;
  if (screen.view.curves.size() > 1) po.over = &screen.view.curves[1].y;
  po.y_label = "persons";
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  // Isolation (hundreds) on a plot of its own below, so that the infected and the hospital
  // against its beds keep a readable axis.
  const std::vector<render::Curve>& isolation = screen.view.isolation;
  const float main_h = isolation.empty() ? avail.y : std::floor(avail.y * 0.62f);
  render::PlotWidget("##curves", ChartCurves(state, screen), avail.x, main_h, &state.clock.day, po);
  if (!isolation.empty()) {
    std::vector<render::BandCurve> below;
    for (const render::Curve& c : isolation) below.push_back({c, {}, {}});
    render::PlotWidgetOptions bo;
    bo.y_label = "persons";
    render::PlotWidget("##isolation", below, avail.x, ImGui::GetContentRegionAvail().y,
                       &state.clock.day, bo);
  }
  ImGui::End();
}

}  // namespace cordon::viewer
