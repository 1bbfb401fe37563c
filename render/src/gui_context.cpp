// SPDX-License-Identifier: Apache-2.0
#include "cordon/render/gui_context.hpp"

#define GL_GLEXT_PROTOTYPES 1
#include <GL/gl.h>
#include <GLFW/glfw3.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <cstring>
#include <filesystem>
#include <utility>

#include "cordon/base/error.hpp"

namespace cordon::render {

GuiContext::GuiContext(const GuiOptions& options) : options_(options) {
  if (!glfwInit()) throw Error("cannot open a window (no display? try xvfb-run)");
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  if (options.hidden) glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
  window_ =
      glfwCreateWindow(options.width, options.height, options.title.c_str(), nullptr, nullptr);
  if (!window_) {
    glfwTerminate();
    throw Error("no OpenGL 3.3 context");
  }
  glfwMakeContextCurrent(window_);
  // Batch runs draw as fast as they can; windows wait for the display.
  glfwSwapInterval(options.hidden ? 0 : 1);
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;
  LoadFonts({});
  ImGui::StyleColorsLight();
  ImGui_ImplGlfw_InitForOpenGL(window_, true);
  ImGui_ImplOpenGL3_Init("#version 330");
  backends_ = true;
  // GLFW's callbacks carry no state of ours but the window's user pointer.
  glfwSetWindowUserPointer(window_, this);
  glfwSetDropCallback(window_, [](GLFWwindow* window, int count, const char** paths) {
    if (count > 0) static_cast<GuiContext*>(glfwGetWindowUserPointer(window))->dropped_ = paths[0];
  });
}

GuiContext::~GuiContext() {
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window_);
  glfwTerminate();
}

bool GuiContext::ShouldClose() const { return glfwWindowShouldClose(window_); }

void GuiContext::PollEvents() { glfwPollEvents(); }

std::string GuiContext::TakeDroppedPath() { return std::exchange(dropped_, {}); }

int GuiContext::FramebufferWidth() const {
  int w = 0, h = 0;
  glfwGetFramebufferSize(window_, &w, &h);
  return w;
}

int GuiContext::FramebufferHeight() const {
  int w = 0, h = 0;
  glfwGetFramebufferSize(window_, &w, &h);
  return h;
}

void GuiContext::StartFrame() {
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
}

void GuiContext::ClearFrame() {
  glViewport(0, 0, FramebufferWidth(), FramebufferHeight());
  glClearColor(1, 1, 1, 1);
  glClear(GL_COLOR_BUFFER_BIT);
}

void GuiContext::DrawGui() {
  // GL drawing since ClearFrame may have moved the viewport.
  glViewport(0, 0, FramebufferWidth(), FramebufferHeight());
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

void GuiContext::WaitForGpu() { glFinish(); }

Image GuiContext::ReadFrame() const {
  const int w = FramebufferWidth(), h = FramebufferHeight();
  std::vector<std::uint8_t> rgb(std::size_t(w) * h * 3);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, w, h, GL_RGB, GL_UNSIGNED_BYTE, rgb.data());
  // OpenGL's rows run bottom-up.
  Image image;
  image.width = w, image.height = h;
  image.rgb.resize(rgb.size());
  for (int y = 0; y < h; ++y)
    std::memcpy(&image.rgb[std::size_t(y) * w * 3], &rgb[std::size_t(h - 1 - y) * w * 3],
                std::size_t(w) * 3);
  return image;
}

void GuiContext::SwapBuffers() { glfwSwapBuffers(window_); }

void GuiContext::SetFullScreen(bool on) {
  if (options_.hidden || on == full_screen_) return;
  full_screen_ = on;
  GLFWmonitor* monitor = glfwGetPrimaryMonitor();
  const GLFWvidmode* mode = monitor ? glfwGetVideoMode(monitor) : nullptr;
  if (on && mode)
    glfwSetWindowMonitor(window_, monitor, 0, 0, mode->width, mode->height, mode->refreshRate);
  else if (!on)
    glfwSetWindowMonitor(window_, nullptr, 60, 60, options_.width, options_.height, 0);
}

void GuiContext::LoadFonts(const std::vector<std::string>& names) {
  ImGuiIO& io = ImGui::GetIO();
  const char* cjk = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";
  io.Fonts->Clear();
  std::error_code ec;
  if (!std::filesystem::exists(cjk, ec)) {
    io.Fonts->AddFontDefault();
    ImFontConfig scaled;
    scaled.SizePixels = 26.0f;
    big_font_ = io.Fonts->AddFontDefault(&scaled);
  } else {
    ImFontGlyphRangesBuilder builder;
    builder.AddRanges(io.Fonts->GetGlyphRangesChineseSimplifiedCommon());
    for (const auto& n : names) builder.AddText(n.c_str());
    glyph_ranges_.clear();
    builder.BuildRanges(&glyph_ranges_);
    io.Fonts->AddFontFromFileTTF(cjk, 16.0f, nullptr, glyph_ranges_.Data);
    big_font_ = io.Fonts->AddFontFromFileTTF(cjk, 32.0f, nullptr, glyph_ranges_.Data);
  }
  // Before the backends start, their first frame uploads the atlas; afterwards it is replaced.
  if (backends_) {
    io.Fonts->Build();
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
  }
}

}  // namespace cordon::render
