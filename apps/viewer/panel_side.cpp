// SPDX-License-Identifier: Apache-2.0
// The control panel left of the map.
#include <algorithm>
#include <string>

#include "viewer/panels.hpp"

namespace cordon::viewer {

namespace {

// Open a scenario or results folder by path (or by dropping it on the window).
void DrawOpen(ViewerState& state, Screen& screen) {
  ImGui::TextWrapped("Scenario (or drop a file on the window)");
  ImGui::InputText("##path", screen.path_field.data(), screen.path_field.size());
  if (ImGui::Button(state.Running() ? "running..." : "Open and run"))
    state.Open(screen.path_field.data());
  if (state.Running()) ImGui::ProgressBar(state.Progress());
  ImGui::TextWrapped("%s", state.status.c_str());
}

// What the map shows, the day and the animation, the chart's compartments.
void DrawView(ViewerState& state, Screen& screen) {
  MapChoice& choice = state.map;
  bool log = screen.view.scale.log;  // as shown: chosen, or by the values' spread
  const bool metric = ImGui::Combo("map", &choice.metric,
                                   "infected per 1,000\0ever infected per 1,000\0attack rate "
                                   "%\0first infected day\0");
  const bool scale = ImGui::Checkbox("log scale", &log);
  if (scale) choice.log_scale = log;
  if (metric || scale) Prepare(state, screen);
  ImGui::SliderInt("day", &state.clock.day, 0, screen.view.days);
  if (ImGui::Button(state.clock.playing ? "Pause" : "Play"))
    state.clock.playing = !state.clock.playing;
  ImGui::SameLine();
  ImGui::SliderFloat("days/s", &state.clock.days_per_second, 1, 30, "%.0f");
  if (ImGui::CollapsingHeader("region totals on the chart")) {
    // The model's compartments and named flows (Li et al.'s `reported`, ...).
    const std::vector<std::string>& columns = state.Run()->result.columns;
    for (std::size_t c = choice.show_column.size(); c < columns.size(); ++c)
      choice.show_column.push_back(ChartColumnShownByDefault(*state.Run(), int(c)) ? 1 : 0);
    const int n = static_cast<int>(columns.size());
    for (int c = 0; c < n; ++c) {
      bool on = choice.show_column[std::size_t(c)] != 0;
      if (ImGui::Checkbox(columns[std::size_t(c)].c_str(), &on))
        choice.show_column[std::size_t(c)] = on ? 1 : 0;
      if (c % 4 != 3 && c + 1 < n) ImGui::SameLine();  // four to a row
    }
  }
  if (UiButton(screen, "Fit region")) Fit(screen);
  ImGui::SameLine();
  if (UiButton(screen, "Presenter")) {
    choice.presenter = true, state.clock.playing = true;
    Fit(screen, true);
  }
  const std::string date = engine::DateAfter(screen.view.start_date, state.clock.day);
  if (!date.empty()) ImGui::Text("date %s", date.c_str());
}

}  // namespace

void DrawSidePanel(ViewerState& state, Screen& screen, const Layout& layout) {
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(float(layout.area.x0), float(layout.height)));
  ImGui::Begin("cordon", nullptr,
               ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse);
  DrawOpen(state, screen);
  if (const engine::DisplayRun* run = state.Run()) {
    ImGui::Separator();
    DrawView(state, screen);
    ImGui::Separator();
    ImGui::Text("villages %d, checkpoints %zu", run->network.Patches(),
                run->network.checkpoints.size());
    ImGui::Text("runs %zu", run->result.run_series.size());
    // Planning needs a scenario; a results folder is only shown.
    if (run->scenario.geo.enabled) DrawPlanningPanel(state, screen);
    DrawExportsPanel(state, screen);
  }
  ImGui::End();
}

void DrawRunError(const ViewerState& state, const Layout& layout) {
  const std::string error = state.RunError();
  if (error.empty() || state.Running()) return;
  const render::Viewport& map = layout.area;
  const float width = std::max(320.0f, 0.6f * float(map.width));
  ImGui::SetNextWindowPos(
      ImVec2(float(map.x0) + 0.5f * float(map.width), float(map.y0) + 0.3f * float(map.height)),
      ImGuiCond_Always, ImVec2(0.5f, 0.0f));
  ImGui::SetNextWindowSize(ImVec2(width, 0.0f));
  ImGui::PushStyleColor(ImGuiCol_WindowBg, IM_COL32(255, 244, 244, 250));
  ImGui::PushStyleColor(ImGuiCol_Border, IM_COL32(200, 30, 30, 255));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 3.0f);
  ImGui::Begin(
      "run error", nullptr,
      ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_AlwaysAutoResize);
  ImGui::SetWindowFontScale(1.3f);
  ImGui::TextColored(ImVec4(0.6f, 0.05f, 0.05f, 1.0f), "The scenario could not run");
  ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(170, 20, 20, 255));
  ImGui::TextWrapped("%s", error.c_str());
  ImGui::PopStyleColor();
  ImGui::SetWindowFontScale(1.0f);
  ImGui::TextWrapped(
      "Fix the file named above, then press \"Open and run\" (or drop the file here).");
  ImGui::End();
  ImGui::PopStyleVar();
  ImGui::PopStyleColor(2);
}

}  // namespace cordon::viewer
