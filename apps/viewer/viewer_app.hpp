// SPDX-License-Identifier: Apache-2.0
#pragma once
/// cordon-viewer's frame loop: takes over finished runs, advances the day,
/// plays the script, draws the panels and the map, and writes screenshots
/// and benchmark timings.

#include <chrono>

#include "cordon/render/gui_context.hpp"
#include "viewer/options.hpp"
#include "viewer/screen.hpp"
#include "viewer/script.hpp"
#include "viewer/viewer_state.hpp"

namespace cordon::viewer {

/// One viewer window's state, screen and script, and the loop that draws them.
class ViewerApp {
 public:
  /// Opens options.scenario (if any) in the background. `options` and `gui`
  /// must outlive the app.
  ViewerApp(const Options& options, render::GuiContext& gui, ScriptPlayer script);

  /// Draws frames until the window closes, the script quits, or the
  /// screenshot or benchmark is done. Returns the exit code (0). Throws
  /// InputError when the --screenshot run fails or the script is bad.
  int Run();

 private:
  using Clock = std::chrono::steady_clock;

  // Takes over a finished run: fonts for its village names, its view, the map fitted.
  void TakeFinishedRun();
  // Where the panels and the map go this frame.
  Layout MakeLayout() const;
  // Every panel, between ImGui::NewFrame and ImGui::Render.
  void DrawUi(Layout& layout);
  // After the frame is drawn: benchmark timing, PNGs. Returns true when the viewer is done.
  bool AfterDraw(const Layout& layout, Clock::time_point frame_start);

  const Options& options_;
  render::GuiContext& gui_;
  ViewerState state_;
  Screen screen_;  // after state_: its GPU map goes while the GL context is still there
  ScriptPlayer script_;
  int bench_done_ = 0;        // frames drawn for --bench
  double bench_seconds_ = 0;  // their wall time, the first frame aside
};

}  // namespace cordon::viewer
