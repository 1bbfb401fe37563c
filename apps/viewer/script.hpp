// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Scripted interaction for tests (`cordon-viewer --script FILE`): one
/// command a line, blank lines and lines starting with '#' skipped.
///
///   wait-run              wait until the run in flight is taken over (or has failed)
///   click-button LABEL    click a button (or checkbox) by its label, where the last frame drew it
///   click-at X Y          click the map at X Y, in the CRS of the village layer's file
///   hover-at X Y          rest the pointer there from now on (tooltips show), same CRS
///   report FILE           write {attack_rate, previous_attack_rate, edits, checkpoints,
///                         scale: [min, max, diverging], status, maps: [[x0, y0, w, h], ...]
///                         (last frame's map rectangles, left to right)} as JSON
///   screenshot FILE       write the window as PNG once the frame is drawn
///   quit                  leave the viewer
///
/// Clicks are mouse events injected where the GLFW backend puts the real
/// ones, so that they go through the same widgets.

#include <deque>
#include <string>

#include "viewer/screen.hpp"
#include "viewer/viewer_state.hpp"

namespace cordon::viewer {

/// Plays a script, one command at a time, one frame at a time.
class ScriptPlayer {
 public:
  /// No script: Finished() at once.
  ScriptPlayer() = default;
  /// Reads the script at `path`. Throws InputError when it cannot be opened.
  explicit ScriptPlayer(const std::string& path);

  /// Whether every command has been played.
  bool Finished() const { return lines_.empty(); }

  /// Plays the current command for one frame, between the backends' frame
  /// start and ImGui::NewFrame(): a click takes three frames (move, press,
  /// release), wait-run as many as the run needs. `map` is where the map
  /// goes this frame. Returns false on `quit`. Throws InputError naming the
  /// script for an unknown command.
  bool Play(const ViewerState& state, Screen& screen, const render::Viewport& map);

 private:
  // Moves the pointer to `at` and presses or releases it by phase; true once released.
  bool Click(ImVec2 at);

  std::string path_;
  std::deque<std::string> lines_;
  int click_phase_ = 0;  // 0 move, 1 press, 2 release
  // RunsAdopted() when the previous command finished: wait-run waits for a run adopted
  // after it. Taken then, not when wait-run first looks, because a short run started by
  // a click can be adopted before the next frame reaches wait-run.
  int runs_before_ = 0;
  // Frames the current click-button has waited for its button: a label no frame draws
  // fails the script instead of waiting for ever.
  int frames_waited_ = 0;
  // hover-at: where the pointer rests from then on (the window system's cursor would
  // take it back every frame); unset before any hover-at.
  bool hovering_ = false;
  ImVec2 hover_{0, 0};
};

}  // namespace cordon::viewer
