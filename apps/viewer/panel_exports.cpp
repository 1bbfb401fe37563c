// SPDX-License-Identifier: Apache-2.0
// Exports: the animation as MP4 or GIF, the day on screen as PNG, drawn like `cordon render`.
#include <filesystem>
#include <string>

#include "cordon/engine/dates.hpp"
#include "cordon/render/frame.hpp"
#include "cordon/render/image.hpp"
#include "cordon/render/video.hpp"
#include "viewer/panels.hpp"

namespace cordon::viewer {

namespace {

// `SCENARIO-TAG.ext` beside the scenario, never over an earlier export: -2, -3, ... added.
std::string FreshName(const std::string& scenario, const std::string& tag, const char* ext) {
  std::filesystem::path path = std::filesystem::path(scenario).lexically_normal();
  if (path.filename().empty()) path = path.parent_path();  // a results folder given as DIR/
  const std::filesystem::path base = path.replace_extension();
  const std::string stem = base.string() + (tag.empty() ? "" : "-" + tag);
  std::string out = stem + ext;
  std::error_code ec;
  for (int n = 2; std::filesystem::exists(out, ec); ++n) out = stem + "-" + std::to_string(n) + ext;
  return out;
}

// The animation, drawn like `cordon render` and piped to ffmpeg, beside the scenario.
void ExportVideo(ViewerState& state, const Screen& screen, const char* ext) {
  const std::string out = FreshName(state.Path(), "", ext);
  try {
    render::FrameOptions frame;
    render::VideoWriter video(out, frame.width, frame.height, 8);
    for (int d = 0; d <= screen.view.days; ++d) video.Add(render::DrawFrame(screen.view, d, frame));
    video.Finish();
    state.status = "wrote " + out;
  } catch (const std::exception& e) {
    state.status = e.what();
  }
}

// The day on screen as `cordon render` draws it (map, legend, curves; no panel or button),
// named by its date (or day).
void ExportPng(ViewerState& state, const Screen& screen) {
  const int day = state.clock.day;
  const std::string date = engine::DateAfter(screen.view.start_date, day);
  const std::string out =
      FreshName(state.Path(), date.empty() ? "day" + std::to_string(day) : date, ".png");
  try {
    render::FrameOptions frame;
    frame.width = 1600, frame.height = 900;
    render::WritePng(render::DrawFrame(screen.view, day, frame), out);
    state.status = "wrote " + out;
  } catch (const std::exception& e) {
    state.status = e.what();
  }
}

}  // namespace

void DrawExportsPanel(ViewerState& state, Screen& screen) {
  // UiButton: scripts click them by label.
  if (UiButton(screen, "Export mp4")) ExportVideo(state, screen, ".mp4");
  ImGui::SameLine();
  if (UiButton(screen, "Export gif")) ExportVideo(state, screen, ".gif");
  if (UiButton(screen, "Export PNG")) ExportPng(state, screen);
}

}  // namespace cordon::viewer
