// SPDX-License-Identifier: Apache-2.0
// Tooltips over the map: the checkpoint or the village under the pointer.
#include <cfloat>
#include <cmath>
#include <string>
#include <vector>

#include "viewer/panels.hpp"

namespace cordon::viewer {

namespace {

// A checkpoint's place, settings and what it did over the run.
void CheckpointTooltip(const engine::DisplayRun& run, int k) {
  const auto& c = run.network.checkpoints[k];
  const auto& totals =
      run.result.checkpoint_totals;  // [checkpoint][monitored, turned back, detected]
  ImGui::BeginTooltip();
  const std::string border = run.geography ? BorderInWords(*run.geography, c.id) : "";
  if (!border.empty()) {
    ImGui::Text("%s checkpoint: %s", c.level.c_str(), border.c_str());
    ImGui::TextDisabled("%s", c.id.c_str());
  } else {
    ImGui::Text("checkpoint %s (%s)", c.id.c_str(), c.level.c_str());
  }
  ImGui::Text("block %.2f  screen %.2f  staff %.0f/day", c.block, c.screen, c.staff);
  ImGui::Text("monitored %.0f", totals(k, 0));
  ImGui::Text("turned back %.0f", totals(k, 1));
  ImGui::Text("detected %.1f", totals(k, 2));
  ImGui::EndTooltip();
}

// A village: names, population, the mapped value on the day and over the run.
void VillageTooltip(const engine::DisplayRun& run, const render::RunView& view, int day, int k) {
  const auto& region = run.geography->region;
  ImGui::BeginTooltip();
  ImGui::Text("%s  %s", region.names[k].c_str(), region.ids[k].c_str());
  ImGui::Text("population %.0f", region.population[k]);
  const double value = view.values[day][k];
  if (std::isnan(value))
    ImGui::Text("%s: no data", view.legend.c_str());
  else if (value < 0)  // first infected day of a village never reached
    ImGui::Text("%s: never", view.legend.c_str());
  else
    ImGui::Text("%s: %.3g", view.legend.c_str(), value);
  const double first = run.result.first_infected_day[k];
  if (std::isfinite(first))
    ImGui::Text("reached on day %.0f", first);
  else
    ImGui::Text("never reached");
  std::vector<float> series;
  for (int d = 0; d <= view.days; ++d) series.push_back(float(view.values[d][k]));
  ImGui::PlotLines("##village", series.data(), int(series.size()), 0, nullptr, 0.0f, FLT_MAX,
                   ImVec2(220, 60));
  ImGui::EndTooltip();
}

}  // namespace

void DrawTooltips(const ViewerState& state, const Screen& screen, int hovered_checkpoint) {
  if (hovered_checkpoint >= 0) CheckpointTooltip(*state.Run(), hovered_checkpoint);
  if (state.pick.hovered >= 0)
    VillageTooltip(*state.Run(), screen.view, state.clock.day, state.pick.hovered);
}

}  // namespace cordon::viewer
