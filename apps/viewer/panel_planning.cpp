// SPDX-License-Identifier: Apache-2.0
// The plan: checkpoints placed by hand, cordon levels switched off, Re-run and Save.
#include <cstddef>
#include <string>

#include "viewer/panels.hpp"

namespace cordon::viewer {

namespace {

// One placed checkpoint's settings. Returns false when the user deleted it.
bool DrawCheckpointEdit(scenario::CheckpointEdit& e) {
  ImGui::Text("%s", e.id.c_str());
  // ImGui's sliders edit floats; the plan keeps the engine's doubles.
  float block = float(e.block), screen = float(e.screen);
  if (ImGui::SliderFloat("block", &block, 0, 1)) e.block = block;
  if (ImGui::SliderFloat("screen", &screen, 0, 1)) e.screen = screen;
  ImGui::InputInt("start", &e.start_day);
  ImGui::InputInt("end (-1 never)", &e.end_day);
  return !ImGui::Button("Delete");
}

}  // namespace

void DrawPlanningPanel(ViewerState& state, Screen& screen) {
  Plan& plan = state.plan;
  ImGui::Separator();
  ImGui::Text("Plan");
  if (UiButton(screen, plan.add_mode ? "Click a road..." : "Add checkpoint"))
    plan.add_mode = !plan.add_mode;
  for (auto& [level, on] : plan.level_on) ImGui::Checkbox(("cordon: " + level).c_str(), &on);
  for (std::size_t k = 0; k < plan.checkpoints.size(); ++k) {
    ImGui::PushID(static_cast<int>(k));
    const bool keep = DrawCheckpointEdit(plan.checkpoints[k]);
    ImGui::PopID();
    if (!keep) {
      plan.checkpoints.erase(plan.checkpoints.begin() + std::ptrdiff_t(k));
      break;
    }
  }
  if (UiButton(screen, "Re-run")) state.ReRun();
  ImGui::SameLine();
  if (UiButton(screen, "Save")) state.Save();
  if (const engine::DisplayRun* previous = state.Previous()) {
    // Two ways to compare with the run before: its map beside this one, or the difference.
    const char* beside = "previous run beside this one";
    if (Remember(screen, beside, ImGui::Checkbox(beside, &state.map.side_by_side))) {
      if (state.map.side_by_side) state.map.difference = false;
      Prepare(state, screen);
    }
    const char* label = "map the difference";
    if (Remember(screen, label, ImGui::Checkbox(label, &state.map.difference))) {
      if (state.map.difference) state.map.side_by_side = false;
      Prepare(state, screen);
    }
    ImGui::TextWrapped("attack rate: before %.3f%%, now %.3f%%", 100 * AttackRate(*previous),
                       100 * AttackRate(*state.Run()));
  }
}

}  // namespace cordon::viewer
