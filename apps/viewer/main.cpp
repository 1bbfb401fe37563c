// SPDX-License-Identifier: Apache-2.0
// `cordon-viewer`: the map and curves of a scenario, a day slider and
// animation, planning (checkpoints placed by hand, cordon levels switched
// off, re-runs compared), presenter mode and exports, in Dear ImGui over
// GLFW + OpenGL 3.3.
//
//   cordon-viewer [SCENARIO|RESULTS] [--day N] [--size WxH] [--screenshot FILE.png]
//                 [--presenter] [--bench FRAMES] [--script FILE]
//
// With --screenshot the viewer runs the scenario, draws day N once, writes
// the framebuffer as PNG (and FILE.png.json: the map rectangle and every
// village's pixel and value, for tests) and exits. Exit codes: 0 done,
// 2 bad input (options, script, scenario), 1 anything else (no display).
#include <cstdio>
#include <exception>

#include "cordon/base/error.hpp"
#include "cordon/base/huge_pages.hpp"
#include "cordon/render/gui_context.hpp"
#include "viewer/options.hpp"
#include "viewer/script.hpp"
#include "viewer/viewer_app.hpp"

int main(int argc, char** argv) {
  cordon::ExecWithHugePages(argv);  // first: it may start this program again
  using namespace cordon::viewer;
  try {
    const Options options = ParseOptions(argc, argv);
    if (options.help) {
      std::printf("%s", Usage());
      return 0;
    }
    ScriptPlayer script = options.script.empty() ? ScriptPlayer() : ScriptPlayer(options.script);
    cordon::render::GuiOptions window;
    window.width = options.width;
    window.height = options.height;
    window.hidden = options.Batch();
    // Declared before the app: the window and GL context outlive the app's GPU map.
    cordon::render::GuiContext gui(window);
    ViewerApp app(options, gui, std::move(script));
    return app.Run();
  } catch (const cordon::InputError& e) {
    std::fprintf(stderr, "cordon-viewer: error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cordon-viewer: error: %s\n", e.what());
    return 1;
  }
}
