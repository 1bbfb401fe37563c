// SPDX-License-Identifier: Apache-2.0
// Exports: the animation as MP4 or GIF, the window as PNG.
#include <filesystem>
#include <string>

#include "cordon/render/video.hpp"
#include "viewer/panels.hpp"

namespace cordon::viewer {

namespace {

// The animation, drawn like `cordon render` and piped to ffmpeg, beside the scenario.
void ExportVideo(ViewerState& state, const Screen& screen, const char* ext) {
  const std::string out = std::filesystem::path(state.Path()).replace_extension(ext).string();
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

}  // namespace

void DrawExportsPanel(ViewerState& state, Screen& screen) {
  if (ImGui::Button("Export mp4")) ExportVideo(state, screen, ".mp4");
  ImGui::SameLine();
  if (ImGui::Button("Export gif")) ExportVideo(state, screen, ".gif");
  if (ImGui::Button("Export PNG")) {
    const std::string out = std::filesystem::path(state.Path()).replace_extension(".png").string();
    // Written after this frame is drawn: the back buffer holds nothing yet.
    screen.pending_png = out;
    state.status = "wrote " + out;
  }
}

}  // namespace cordon::viewer
