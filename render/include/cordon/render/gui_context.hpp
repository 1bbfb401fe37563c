// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The window system behind one small class: a GLFW window with an OpenGL
/// 3.3 core context, Dear ImGui's context and its GLFW + OpenGL 3 backends,
/// created together in the constructor and destroyed in reverse order.
/// One GuiContext per process (GLFW and ImGui keep one current context).
///
/// A frame:  PollEvents, StartFrame, (inject input), ImGui::NewFrame, widgets,
///           ImGui::Render, ClearFrame, (GL drawing), DrawGui, (ReadFrame), SwapBuffers.

#include <imgui.h>

#include <string>
#include <vector>

#include "cordon/render/image.hpp"

struct GLFWwindow;

namespace cordon::render {

/// How to open the window.
struct GuiOptions {
  int width = 1400, height = 860;  ///< window size, screen pixels
  bool hidden = false;             ///< batch runs: an invisible window, no vsync
  std::string title = "cordon";    ///< window title
};

/// Owns the window, the GL context, the ImGui context and the backends (see above).
class GuiContext {
 public:
  /// Opens the window and sets up ImGui (light style, no ini file, fonts of
  /// LoadFonts({})). Throws cordon::Error when there is no display or no
  /// OpenGL 3.3 context.
  explicit GuiContext(const GuiOptions& options);
  GuiContext(const GuiContext&) = delete;
  GuiContext& operator=(const GuiContext&) = delete;
  ~GuiContext();

  /// Whether the user closed the window.
  bool ShouldClose() const;
  /// Handles pending window events (input, resizes, drops).
  void PollEvents();
  /// The path of a file or folder dropped on the window since the last call, once ("" if none).
  std::string TakeDroppedPath();
  /// The framebuffer size, pixels.
  int FramebufferWidth() const;
  int FramebufferHeight() const;

  /// Starts the backends' frame; input injected into ImGui::GetIO() after it
  /// and before ImGui::NewFrame() counts as this frame's.
  void StartFrame();
  /// Sets the viewport to the whole framebuffer and clears it to white.
  void ClearFrame();
  /// Draws what ImGui::Render() prepared, over whatever GL drew since ClearFrame.
  void DrawGui();
  /// Waits until the GPU has drawn everything asked of it (benchmarks).
  void WaitForGpu();
  /// The frame drawn so far (before SwapBuffers), top row first.
  Image ReadFrame() const;
  /// Shows the frame.
  void SwapBuffers();

  /// Full screen on the primary monitor, or back to the window of the options.
  /// Ignored for hidden windows (batch runs keep their size).
  void SetFullScreen(bool on);

  /// Debian's WenQuanYi Micro Hei (or ImGui's own font when it is not
  /// installed) at 16 px (the default font) and 32 px (BigFont()), holding
  /// the common simplified Chinese characters plus every character of
  /// `names`, so that rare characters in village names draw too.
  void LoadFonts(const std::vector<std::string>& names);
  /// The 32 px font (presenter mode).
  ImFont* BigFont() const { return big_font_; }

 private:
  GuiOptions options_;
  GLFWwindow* window_ = nullptr;
  bool backends_ = false;           // the ImGui backends are initialised
  bool full_screen_ = false;        // as last set by SetFullScreen
  std::string dropped_;             // set by GLFW's drop callback
  ImVector<ImWchar> glyph_ranges_;  // the font atlas points at them
  ImFont* big_font_ = nullptr;
};

}  // namespace cordon::render
