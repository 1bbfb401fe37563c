// SPDX-License-Identifier: Apache-2.0
// `cordon-viewer`: the map and curves of a scenario, a day slider and
// animation, presenter mode and exports, in Dear ImGui over GLFW + OpenGL 3.3.
//
//   cordon-viewer [SCENARIO] [--day N] [--size WxH] [--screenshot FILE.png] [--presenter]
//                 [--bench FRAMES] [--script FILE]
//
// With --screenshot the viewer runs the scenario, draws day N once, writes
// the framebuffer as PNG (and FILE.png.json: the map rectangle and every
// village's pixel and value, for tests) and exits.
#define GL_GLEXT_PROTOTYPES 1
#include <GL/gl.h>
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>

#include "cordon/data/vector_io.hpp"
#include "cordon/data/vector_writer.hpp"
#include "cordon/engine/run.hpp"
#include "cordon/engine/scenario_edit.hpp"
#include "cordon/render/frame.hpp"
#include "cordon/render/gl_map.hpp"
#include "cordon/render/plot_widget.hpp"
#include "cordon/render/video.hpp"
#include "cordon/sim/compartments.hpp"
#include "cordon/sim/error.hpp"
#include "viewer/viewer_state.hpp"

namespace {

using cordon::render::Rgb;

struct Options {
  std::string scenario;
  int day = -1;
  int width = 1400, height = 860;
  std::string screenshot;
  bool presenter = false;
  int bench_frames =
      0;  ///< draw this many frames (advancing the day), print the mean frame time, exit
  std::string script;  ///< a file of scripted interactions (see RunScript)
};

// What is on screen: the state, the run's prepared view, and the visible part of the map.
struct Viewer {
  cordon::viewer::ViewerState s;
  cordon::render::RunView view;
  std::unique_ptr<cordon::render::GlMap> map;
  cordon::data::Box world;                  // the visible part of the map (metres)
  std::vector<double> previous_prevalence;  // the previous run's infected curve
  std::map<std::string, std::pair<ImVec2, ImVec2>>
      buttons;  // last frame's button rectangles, for scripts
};

// A button whose rectangle is remembered, so that scripts can press it.
bool UiButton(Viewer& v, const char* label) {
  const bool pressed = ImGui::Button(label);
  v.buttons[label] = {ImGui::GetItemRectMin(), ImGui::GetItemRectMax()};
  return pressed;
}

cordon::render::MapMetric MetricOf(int choice) {
  switch (choice) {
    case 1:
      return cordon::render::MapMetric::kCumulative;
    case 2:
      return cordon::render::MapMetric::kAttackRate;
    case 3:
      return cordon::render::MapMetric::kFirstInfectedDay;
    default:
      return cordon::render::MapMetric::kPrevalence;
  }
}

void Prepare(Viewer& v) {
  v.view = cordon::render::MakeRunView(*v.s.Run(), MetricOf(v.s.map.metric),
                                       v.s.map.log_scale && !v.s.map.difference);
  if (v.s.map.difference && v.s.Previous()) {
    // This run minus the previous one, village by village and day by day, on a diverging scale.
    const auto before =
        cordon::render::MakeRunView(*v.s.Previous(), MetricOf(v.s.map.metric), false);
    double most = 1e-12;
    for (std::size_t d = 0; d < v.view.values.size() && d < before.values.size(); ++d)
      for (std::size_t i = 0; i < v.view.values[d].size() && i < before.values[d].size(); ++i) {
        v.view.values[d][i] -= before.values[d][i];
        most = std::max(most, std::abs(v.view.values[d][i]));
      }
    v.view.scale = {-most, most, false, true};
    v.view.legend += ", this run minus the previous";
  }
  if (!v.map) v.map = std::make_unique<cordon::render::GlMap>();
  v.map->SetLayers(v.view.layers);
  v.map->SetScale(v.view.scale);
  v.s.clock.day = std::clamp(v.s.clock.day, 0, v.view.days);
  v.map->SetValues(v.view.values[v.s.clock.day]);
}

void Fit(Viewer& v) {
  v.world = v.view.world;
  const double padx = 0.03 * (v.world.max_x - v.world.min_x),
               pady = 0.03 * (v.world.max_y - v.world.min_y);
  v.world.min_x -= padx, v.world.max_x += padx, v.world.min_y -= pady, v.world.max_y += pady;
}

// World point under a pixel of the map viewport (inverse of Viewport::ToPixel).
cordon::data::Point2 ToWorld(const cordon::render::Viewport& vp, double px, double py) {
  const double ww = vp.world.max_x - vp.world.min_x, wh = vp.world.max_y - vp.world.min_y;
  const double s = std::min(vp.width / ww, vp.height / wh);
  const double ox = vp.x0 + (vp.width - ww * s) / 2, oy = vp.y0 + (vp.height - wh * s) / 2;
  return {vp.world.min_x + (px - ox) / s, vp.world.max_y - (py - oy) / s};
}

// The colour ramp as a legend over the map (ImDrawList).
void Legend(ImDrawList* dl, ImVec2 at, float width, const cordon::render::ColourScale& scale,
            const std::string& title, float font_scale) {
  const float h = 14 * font_scale;
  dl->AddRectFilled(ImVec2(at.x - 8, at.y - 22 * font_scale),
                    ImVec2(at.x + width + 8, at.y + h + 22 * font_scale),
                    IM_COL32(255, 255, 255, 220));
  dl->AddText(nullptr, 13 * font_scale, ImVec2(at.x, at.y - 18 * font_scale),
              IM_COL32(30, 30, 30, 255), title.c_str());
  for (int i = 0; i < int(width); ++i) {
    const double t = i / std::max(1.0f, width - 1);
    const Rgb c = scale.diverging ? cordon::render::DivergingRamp(t) : cordon::render::Ramp(t);
    dl->AddLine(ImVec2(at.x + i, at.y), ImVec2(at.x + i, at.y + h), IM_COL32(c.r, c.g, c.b, 255));
  }
  char lo[32], hi[32];
  std::snprintf(lo, sizeof lo, "%.3g", scale.min);
  std::snprintf(hi, sizeof hi, "%.3g%s", scale.max, scale.log ? " (log)" : "");
  dl->AddText(nullptr, 13 * font_scale, ImVec2(at.x, at.y + h + 2), IM_COL32(30, 30, 30, 255), lo);
  const float hw = ImGui::GetFont()->CalcTextSizeA(13 * font_scale, FLT_MAX, 0.0f, hi).x;
  dl->AddText(nullptr, 13 * font_scale, ImVec2(at.x + width - hw, at.y + h + 2),
              IM_COL32(30, 30, 30, 255), hi);
}

// The frame just drawn (before the buffer swap), top row first.
cordon::render::Image ReadFramebuffer(int w, int h) {
  std::vector<std::uint8_t> rgb(std::size_t(w) * h * 3);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, w, h, GL_RGB, GL_UNSIGNED_BYTE, rgb.data());
  cordon::render::Image image;
  image.width = w, image.height = h;
  image.rgb.resize(rgb.size());
  for (int y = 0; y < h; ++y)
    std::memcpy(&image.rgb[std::size_t(y) * w * 3], &rgb[std::size_t(h - 1 - y) * w * 3],
                std::size_t(w) * 3);
  return image;
}

// Where the map goes in a framebuffer of fw x fh: right of the control panel,
// above the curves (the whole width in presenter mode, below the title).
cordon::render::Viewport MapViewport(const Viewer& v, int fw, int fh) {
  const float panel = v.s.map.presenter ? 0.0f : 300.0f;
  const float curves_h = v.s.map.presenter ? fh * 0.28f : 250.0f;
  cordon::render::Viewport vp;
  vp.x0 = static_cast<int>(panel);
  vp.y0 = v.s.map.presenter ? 60 : 0;
  vp.width = std::max(10, fw - vp.x0);
  vp.height = std::max(10, static_cast<int>(fh - curves_h) - vp.y0);
  vp.world = v.world;
  return vp;
}

// For tests: where each village's anchor landed and its value.
void WriteViewJson(const std::string& path, const Viewer& v, const cordon::render::Viewport& vp) {
  std::ofstream out(path);
  out << "{\"map\": [" << vp.x0 << ", " << vp.y0 << ", " << vp.width << ", " << vp.height
      << "], \"scale\": [" << v.view.scale.min << ", " << v.view.scale.max << ", "
      << (v.view.scale.log ? 1 : 0) << "], \"day\": " << v.s.clock.day << ", \"villages\": [";
  const auto& region = v.s.Run()->geography->region;
  for (int k = 0; k < region.Patches(); ++k) {
    // Halfway from the anchor to the first corner: inside, and off the roads that meet at anchors.
    const auto& corner = region.shapes[k].front().outer.front();
    const cordon::data::Point2 sample{(region.anchors[k].x + corner.x) / 2,
                                      (region.anchors[k].y + corner.y) / 2};
    const auto px = vp.ToPixel(sample);
    out << (k ? ", " : "") << "{\"id\": \"" << region.ids[k] << "\", \"x\": " << px.first
        << ", \"y\": " << px.second << ", \"value\": " << v.view.values[v.s.clock.day][k] << "}";
  }
  out << "], \"checkpoints\": [";
  for (std::size_t k = 0; k < v.view.layers.checkpoints.size(); ++k) {
    const auto px = vp.ToPixel(v.view.layers.checkpoints[k]);
    const Rgb c = v.view.layers.checkpoint_colour[k];
    out << (k ? ", " : "") << "{\"x\": " << px.first << ", \"y\": " << px.second << ", \"rgb\": ["
        << int(c.r) << ", " << int(c.g) << ", " << int(c.b) << "]}";
  }
  out << "], \"legend\": [" << vp.x0 + 20 << ", " << vp.y0 + vp.height - 40 << ", 260]}\n";
}

// Debian's WenQuanYi Micro Hei (or ImGui's own font) at 16 and 32 px, with the
// common simplified Chinese characters plus every character of `names`, so that
// rare characters in village names draw too. Returns the 32 px font.
ImFont* LoadFonts(ImGuiIO& io, const std::vector<std::string>& names) {
  static ImVector<ImWchar> ranges;  // the atlas keeps pointing at it
  const char* cjk = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";
  io.Fonts->Clear();
  std::error_code ec;
  if (!std::filesystem::exists(cjk, ec)) {
    io.Fonts->AddFontDefault();
    ImFontConfig scaled;
    scaled.SizePixels = 26.0f;
    return io.Fonts->AddFontDefault(&scaled);
  }
  ImFontGlyphRangesBuilder builder;
  builder.AddRanges(io.Fonts->GetGlyphRangesChineseSimplifiedCommon());
  for (const auto& n : names) builder.AddText(n.c_str());
  ranges.clear();
  builder.BuildRanges(&ranges);
  io.Fonts->AddFontFromFileTTF(cjk, 16.0f, nullptr, ranges.Data);
  return io.Fonts->AddFontFromFileTTF(cjk, 32.0f, nullptr, ranges.Data);
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "cordon-viewer: error: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--day")
      opt.day = std::atoi(next().c_str());
    else if (a == "--bench")
      opt.bench_frames = std::atoi(next().c_str());
    else if (a == "--script")
      opt.script = next();
    else if (a == "--screenshot")
      opt.screenshot = next();
    else if (a == "--presenter")
      opt.presenter = true;
    else if (a == "--size") {
      if (std::sscanf(next().c_str(), "%dx%d", &opt.width, &opt.height) != 2) {
        std::fprintf(stderr, "cordon-viewer: error: --size expects WIDTHxHEIGHT\n");
        return 2;
      }
    } else if (a == "--help" || a == "-h") {
      std::printf(
          "usage: cordon-viewer [SCENARIO] [--day N] [--size WxH] [--screenshot FILE.png] "
          "[--presenter]\n");
      return 0;
    } else if (!a.empty() && a[0] == '-') {
      std::fprintf(stderr, "cordon-viewer: error: unknown option %s\n", a.c_str());
      return 2;
    } else {
      opt.scenario = a;
    }
  }
  if (!opt.screenshot.empty() && opt.scenario.empty()) {
    std::fprintf(stderr, "cordon-viewer: error: --screenshot needs a scenario\n");
    return 2;
  }

  if (!glfwInit()) {
    std::fprintf(stderr, "cordon-viewer: error: cannot open a window (no display? try xvfb-run)\n");
    return 1;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  const bool batch = !opt.screenshot.empty() || opt.bench_frames > 0 || !opt.script.empty();
  if (batch) glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
  GLFWwindow* window = glfwCreateWindow(opt.width, opt.height, "cordon", nullptr, nullptr);
  if (!window) {
    std::fprintf(stderr, "cordon-viewer: error: no OpenGL 3.3 context\n");
    glfwTerminate();
    return 1;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(batch ? 0 : 1);
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  // Chinese names need a CJK font (Debian's fonts-wqy-microhei); ImGui's own font otherwise.
  ImFont* big = LoadFonts(io, {});  // presenter mode: the same font at twice the size
  ImGui::StyleColorsLight();
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 330");

  static std::string dropped;  // GLFW's drop callback has no user pointer of ours
  glfwSetDropCallback(window, [](GLFWwindow*, int count, const char** paths) {
    if (count > 0) dropped = paths[0];
  });

  Viewer v;
  v.s.map.presenter = opt.presenter;
  v.s.start_day = opt.day;
  char path_buf[1024] = {};
  if (!opt.scenario.empty()) {
    std::snprintf(path_buf, sizeof path_buf, "%s", opt.scenario.c_str());
    v.s.Open(opt.scenario);
  }
  auto last = std::chrono::steady_clock::now();
  std::deque<std::string> script;
  if (!opt.script.empty()) {
    std::ifstream in(opt.script);
    if (!in) {
      std::fprintf(stderr, "cordon-viewer: error: %s: cannot open script\n", opt.script.c_str());
      return 2;
    }
    for (std::string line; std::getline(in, line);)
      if (!line.empty() && line[0] != '#') script.push_back(line);
  }
  int script_phase = 0, runs_at_wait = -1;
  std::string pending_screenshot;
  int exit_code = 0;
  int bench_done = 0;
  bool full_screen = false;
  double bench_seconds = 0;
  bool drag = false;
  double drag_x = 0, drag_y = 0;

  while (!glfwWindowShouldClose(window)) {
    glfwPollEvents();
    if (!dropped.empty()) {
      std::snprintf(path_buf, sizeof path_buf, "%s", dropped.c_str());
      v.s.Open(dropped);
      dropped.clear();
    }
    if (const cordon::viewer::Arrival arrival = v.s.TakeFinished(); arrival.adopted) {
      if (arrival.rerun)
        v.previous_prevalence = v.view.curves.front().y;
      else
        v.previous_prevalence.clear();
      // The names of this run's villages join the font atlas.
      big = LoadFonts(io, v.s.Run()->network.names);
      io.Fonts->Build();
      ImGui_ImplOpenGL3_DestroyFontsTexture();
      ImGui_ImplOpenGL3_CreateFontsTexture();
      Prepare(v);
      if (!arrival.rerun) Fit(v);
    } else if (!arrival.error.empty() && !opt.screenshot.empty()) {
      std::fprintf(stderr, "cordon-viewer: error: %s\n", arrival.error.c_str());
      exit_code = 2;
      break;
    }
    const auto now = std::chrono::steady_clock::now();
    const double dt = std::chrono::duration<double>(now - last).count();
    last = now;
    if (v.s.Run() && v.s.clock.Advance(dt, v.view.days))
      v.map->SetValues(v.view.values[v.s.clock.day]);

    int fw = 0, fh = 0;
    glfwGetFramebufferSize(window, &fw, &fh);
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    // Scripted interaction: mouse events injected where the GLFW backend put the real ones.
    if (!script.empty()) {
      std::istringstream cmd(script.front());
      std::string verb;
      cmd >> verb;
      ImGuiIO& in = ImGui::GetIO();
      bool done = false;
      auto click = [&](ImVec2 at) {
        in.MousePos = at;
        in.MouseDown[0] = script_phase == 1;
        done = ++script_phase == 3;
      };
      if (verb == "click-button") {
        std::string label;
        std::getline(cmd >> std::ws, label);
        const auto it = v.buttons.find(label);
        if (it != v.buttons.end())
          click(ImVec2((it->second.first.x + it->second.second.x) / 2,
                       (it->second.first.y + it->second.second.y) / 2));
      } else if (verb == "click-at" && v.s.Run()) {  // X Y in the village layer's CRS
        std::vector<cordon::data::Point2> p(1);
        cmd >> p[0].x >> p[0].y;
        cordon::data::ReprojectPoints(p, v.s.Run()->geography->region.source_crs,
                                      v.s.Run()->geography->region.crs);
        const auto px = MapViewport(v, fw, fh).ToPixel(p[0]);
        click(ImVec2(float(px.first), float(px.second)));
      } else if (verb == "wait-run") {
        if (runs_at_wait < 0) runs_at_wait = v.s.RunsAdopted();
        done = !v.s.Running() && (v.s.RunsAdopted() > runs_at_wait || !v.s.RunError().empty());
        if (done) runs_at_wait = -1;
      } else if (verb == "report") {
        std::string file;
        cmd >> file;
        std::ofstream out(file);
        out.precision(17);
        out << "{\"attack_rate\": " << (v.s.Run() ? cordon::viewer::AttackRate(*v.s.Run()) : -1.0)
            << ", \"previous_attack_rate\": "
            << (v.s.Previous() ? cordon::viewer::AttackRate(*v.s.Previous()) : -1.0)
            << ", \"edits\": " << v.s.plan.checkpoints.size()
            << ", \"checkpoints\": " << (v.s.Run() ? v.s.Run()->network.checkpoints.size() : 0)
            << ", \"scale\": [" << v.view.scale.min << ", " << v.view.scale.max << ", "
            << (v.view.scale.diverging ? 1 : 0) << "], \"status\": \"" << v.s.status << "\"}\n";
        done = true;
      } else if (verb == "screenshot") {
        cmd >> pending_screenshot;
        done = true;
      } else if (verb == "quit") {
        break;
      } else {
        std::fprintf(stderr, "cordon-viewer: error: %s: unknown script command '%s'\n",
                     opt.script.c_str(), script.front().c_str());
        exit_code = 2;
        break;
      }
      if (done) script.pop_front(), script_phase = 0;
    }
    ImGui::NewFrame();
    // Presenter mode fills the screen (interactive sessions only; batch runs keep their size).
    if (!batch && v.s.map.presenter != full_screen) {
      full_screen = v.s.map.presenter;
      GLFWmonitor* monitor = glfwGetPrimaryMonitor();
      const GLFWvidmode* mode = monitor ? glfwGetVideoMode(monitor) : nullptr;
      if (full_screen && mode)
        glfwSetWindowMonitor(window, monitor, 0, 0, mode->width, mode->height, mode->refreshRate);
      else if (!full_screen)
        glfwSetWindowMonitor(window, nullptr, 60, 60, opt.width, opt.height, 0);
    }
    const float font = v.s.map.presenter ? 2.0f : 1.0f;
    if (v.s.map.presenter && big) ImGui::PushFont(big);

    // Layout: controls on the left, map in the middle, curves below.
    cordon::render::Viewport vp = MapViewport(v, fw, fh);
    const float panel = static_cast<float>(vp.x0);
    const float curves_h = static_cast<float>(fh - vp.y0 - vp.height);

    if (!v.s.map.presenter) {
      ImGui::SetNextWindowPos(ImVec2(0, 0));
      ImGui::SetNextWindowSize(ImVec2(panel, float(fh)));
      ImGui::Begin(
          "cordon", nullptr,
          ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse);
      ImGui::TextWrapped("Scenario (or drop a file on the window)");
      ImGui::InputText("##path", path_buf, sizeof path_buf);
      if (ImGui::Button(v.s.Running() ? "running..." : "Open and run")) v.s.Open(path_buf);
      if (v.s.Running()) ImGui::ProgressBar(v.s.Progress());
      ImGui::TextWrapped("%s", v.s.status.c_str());
      if (v.s.Run()) {
        ImGui::Separator();
        if (ImGui::Combo("map", &v.s.map.metric,
                         "infected per 1,000\0ever infected per 1,000\0attack rate %\0first "
                         "infected day\0") ||
            ImGui::Checkbox("log scale", &v.s.map.log_scale))
          Prepare(v);
        if (ImGui::SliderInt("day", &v.s.clock.day, 0, v.view.days))
          v.map->SetValues(v.view.values[v.s.clock.day]);
        if (ImGui::Button(v.s.clock.playing ? "Pause" : "Play"))
          v.s.clock.playing = !v.s.clock.playing;
        ImGui::SameLine();
        ImGui::SliderFloat("days/s", &v.s.clock.days_per_second, 1, 30, "%.0f");
        if (ImGui::CollapsingHeader("region totals on the chart"))
          for (int c = 0; c < cordon::sim::kNumCompartments; ++c) {
            ImGui::Checkbox(std::string(cordon::sim::SeriesColumnName(c)).c_str(),
                            &v.s.map.show_compartment[c]);
            if (c % 4 != 3 && c + 1 < cordon::sim::kNumCompartments) ImGui::SameLine();
          }
        if (ImGui::Button("Fit region")) Fit(v);
        ImGui::SameLine();
        if (ImGui::Button("Presenter")) v.s.map.presenter = true, v.s.clock.playing = true;
        const std::string date = cordon::engine::DateAfter(v.view.start_date, v.s.clock.day);
        if (!date.empty()) ImGui::Text("date %s", date.c_str());
        ImGui::Separator();
        const auto& s = v.s.Run()->result;
        ImGui::Text("villages %d, checkpoints %zu", v.s.Run()->network.Patches(),
                    v.s.Run()->network.checkpoints.size());
        ImGui::Text("runs %zu", s.run_series.size());
        // Planning needs a scenario; a results folder is only shown.
        if (v.s.Run()->scenario.geo.enabled) {
          ImGui::Separator();
          ImGui::Text("Plan");
          if (UiButton(v, v.s.plan.add_mode ? "Click a road..." : "Add checkpoint"))
            v.s.plan.add_mode = !v.s.plan.add_mode;
          for (auto& [level, on] : v.s.plan.level_on)
            ImGui::Checkbox(("cordon: " + level).c_str(), &on);
          for (std::size_t k = 0; k < v.s.plan.checkpoints.size(); ++k) {
            auto& e = v.s.plan.checkpoints[k];
            ImGui::PushID(static_cast<int>(k));
            ImGui::Text("%s", e.id.c_str());
            float block = float(e.block), screen = float(e.screen);
            if (ImGui::SliderFloat("block", &block, 0, 1)) e.block = block;
            if (ImGui::SliderFloat("screen", &screen, 0, 1)) e.screen = screen;
            ImGui::InputInt("start", &e.start_day);
            ImGui::InputInt("end (-1 never)", &e.end_day);
            const bool remove = ImGui::Button("Delete");
            ImGui::PopID();
            if (remove) {
              v.s.plan.checkpoints.erase(v.s.plan.checkpoints.begin() + std::ptrdiff_t(k));
              break;
            }
          }
          if (UiButton(v, "Re-run")) v.s.ReRun();
          ImGui::SameLine();
          if (UiButton(v, "Save")) v.s.Save();
          if (v.s.Previous() && ImGui::Checkbox("map the difference", &v.s.map.difference))
            Prepare(v);
          if (v.s.Previous())
            v.buttons["map the difference"] = {ImGui::GetItemRectMin(), ImGui::GetItemRectMax()};
          if (v.s.Previous())
            ImGui::TextWrapped("attack rate: before %.3f%%, now %.3f%%",
                               100 * cordon::viewer::AttackRate(*v.s.Previous()),
                               100 * cordon::viewer::AttackRate(*v.s.Run()));
        }
        for (const char* ext : {".mp4", ".gif"}) {
          if (ext[1] == 'g') ImGui::SameLine();
          if (ImGui::Button((std::string("Export ") + (ext + 1)).c_str())) {
            // The animation, drawn like `cordon render` and piped to ffmpeg.
            const std::string out =
                std::filesystem::path(v.s.Path()).replace_extension(ext).string();
            try {
              cordon::render::FrameOptions frame;
              cordon::render::VideoWriter video(out, frame.width, frame.height, 8);
              for (int d = 0; d <= v.view.days; ++d)
                video.Add(cordon::render::DrawFrame(v.view, d, frame));
              video.Finish();
              v.s.status = "wrote " + out;
            } catch (const std::exception& e) {
              v.s.status = e.what();
            }
          }
        }
        if (ImGui::Button("Export PNG")) {
          const std::string out =
              std::filesystem::path(v.s.Path()).replace_extension(".png").string();
          // Written after this frame is drawn: the back buffer holds nothing yet.
          pending_screenshot = out;
          v.s.status = "wrote " + out;
        }
      }
      ImGui::End();
    } else if (ImGui::IsKeyPressed(ImGuiKey_Escape)) {
      v.s.map.presenter = false;
    }

    // Navigation over the map: drag to pan, wheel to zoom at the cursor, hover for a village.
    if (v.s.Run()) {
      const ImVec2 mouse = ImGui::GetIO().MousePos;
      const bool over_map = !ImGui::GetIO().WantCaptureMouse && mouse.x >= vp.x0 &&
                            mouse.y >= vp.y0 && mouse.x < vp.x0 + vp.width &&
                            mouse.y < vp.y0 + vp.height;
      if (over_map && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
        const auto at = ToWorld(vp, mouse.x, mouse.y);
        int near = -1;
        for (std::size_t k = 0; k < v.s.plan.checkpoints.size(); ++k) {
          const auto px = vp.ToPixel(v.s.plan.checkpoints[k].at);
          if (std::hypot(px.first - mouse.x, px.second - mouse.y) < 8) near = static_cast<int>(k);
        }
        if (v.s.plan.add_mode) {
          v.s.AddCheckpoint(at);
        } else if (near >= 0) {
          v.s.plan.dragging = near;
        } else {
          drag = true, drag_x = mouse.x, drag_y = mouse.y;
        }
      }
      if (!ImGui::IsMouseDown(ImGuiMouseButton_Left)) drag = false, v.s.plan.dragging = -1;
      if (v.s.plan.dragging >= 0)  // a placed checkpoint slides along the roads
        v.s.MoveCheckpoint(v.s.plan.dragging, ToWorld(vp, mouse.x, mouse.y));
      if (drag) {
        const auto a = ToWorld(vp, drag_x, drag_y), b = ToWorld(vp, mouse.x, mouse.y);
        v.world.min_x -= b.x - a.x, v.world.max_x -= b.x - a.x, v.world.min_y -= b.y - a.y,
            v.world.max_y -= b.y - a.y;
        drag_x = mouse.x, drag_y = mouse.y;
        vp.world = v.world;
      }
      if (over_map && ImGui::GetIO().MouseWheel != 0) {
        const auto c = ToWorld(vp, mouse.x, mouse.y);
        const double f = std::pow(0.85, ImGui::GetIO().MouseWheel);
        v.world = {c.x + (v.world.min_x - c.x) * f, c.y + (v.world.min_y - c.y) * f,
                   c.x + (v.world.max_x - c.x) * f, c.y + (v.world.max_y - c.y) * f};
        vp.world = v.world;
      }
      // A checkpoint under the cursor wins over the village it sits in.
      int hovered_checkpoint = -1;
      if (over_map)
        for (std::size_t k = 0; k < v.view.layers.checkpoints.size(); ++k) {
          const auto px = vp.ToPixel(v.view.layers.checkpoints[k]);
          if (std::hypot(px.first - mouse.x, px.second - mouse.y) <=
              v.view.layers.checkpoint_radius[k] + 2)
            hovered_checkpoint = static_cast<int>(k);
        }
      v.s.pick.hovered =
          over_map && hovered_checkpoint < 0 ? v.s.VillageAt(ToWorld(vp, mouse.x, mouse.y)) : -1;
      if (over_map && ImGui::IsMouseClicked(ImGuiMouseButton_Right))
        v.s.pick.selected = v.s.pick.hovered;
      if (hovered_checkpoint >= 0) {
        const auto& c = v.s.Run()->network.checkpoints[hovered_checkpoint];
        const auto& t = v.s.Run()->result.checkpoint_totals;
        const Eigen::Index k = hovered_checkpoint;
        ImGui::BeginTooltip();
        ImGui::Text("checkpoint %s (%s)", c.id.c_str(), c.level.c_str());
        ImGui::Text("block %.2f  screen %.2f  staff %.0f/day", c.block, c.screen, c.staff);
        ImGui::Text("monitored %.0f", t(k, 0));
        ImGui::Text("turned back %.0f", t(k, 1));
        ImGui::Text("detected %.1f", t(k, 2));
        ImGui::EndTooltip();
      }
      if (v.s.pick.hovered >= 0) {
        const auto& region = v.s.Run()->geography->region;
        const int k = v.s.pick.hovered;
        ImGui::BeginTooltip();
        ImGui::Text("%s  %s", region.names[k].c_str(), region.ids[k].c_str());
        ImGui::Text("population %.0f", region.population[k]);
        ImGui::Text("%s: %.3g", v.view.legend.c_str(), v.view.values[v.s.clock.day][k]);
        const double first = v.s.Run()->result.first_infected_day[k];
        if (std::isfinite(first))
          ImGui::Text("reached on day %.0f", first);
        else
          ImGui::Text("never reached");
        std::vector<float> series;
        for (int d = 0; d <= v.view.days; ++d) series.push_back(float(v.view.values[d][k]));
        ImGui::PlotLines("##village", series.data(), int(series.size()), 0, nullptr, 0.0f, FLT_MAX,
                         ImVec2(220, 60));
        ImGui::EndTooltip();
      }

      // Curves under the map, sharing the day cursor.
      ImGui::SetNextWindowPos(ImVec2(float(vp.x0), float(fh) - curves_h));
      ImGui::SetNextWindowSize(ImVec2(float(vp.width), curves_h));
      ImGui::Begin("curves", nullptr,
                   ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                       ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoTitleBar);
      std::vector<cordon::render::BandCurve> curves;
      const bool bands = v.s.Run()->result.run_series.size() > 1;
      for (std::size_t c = 0; c < v.view.curves.size(); ++c) {
        cordon::render::BandCurve b{v.view.curves[c], {}, {}};
        if (bands && c == 1)  // the hospital curve's q05-q95 band
          for (Eigen::Index d = 0; d < v.s.Run()->result.q05.rows(); ++d) {
            b.low.push_back(v.s.Run()->result.q05(d, cordon::sim::kH));
            b.high.push_back(v.s.Run()->result.q95(d, cordon::sim::kH));
          }
        curves.push_back(b);
      }
      for (int c = 0; c < cordon::sim::kNumCompartments; ++c)
        if (v.s.map.show_compartment[c]) {
          cordon::render::Curve curve{std::string(cordon::sim::SeriesColumnName(c)),
                                      {},
                                      cordon::render::PaletteColour(3 + c)};
          for (Eigen::Index d = 0; d < v.s.Run()->result.mean.rows(); ++d)
            curve.y.push_back(v.s.Run()->result.mean(d, c));
          curves.push_back({curve, {}, {}});
        }
      if (v.s.pick.selected >= 0 && v.s.pick.selected < v.s.Run()->network.Patches()) {
        // The selected village's infected (persons) on the same axes.
        cordon::render::Curve village{
            "village " + v.s.Run()->network.names[v.s.pick.selected], {}, Rgb{148, 103, 189}};
        const double pop = v.s.Run()->network.population[v.s.pick.selected];
        for (int d = 0; d <= v.view.days; ++d)
          village.y.push_back(
              v.s.map.metric == 0 ? v.view.values[d][v.s.pick.selected] * pop / 1000.0 : 0.0);
        if (v.s.map.metric == 0 && !v.s.map.difference) curves.push_back({village, {}, {}});
      }
      if (!v.previous_prevalence.empty())
        curves.push_back({{"infected, before", v.previous_prevalence, Rgb{160, 160, 160}}, {}, {}});
      cordon::render::PlotWidgetOptions po;
      po.beds = v.view.beds;
      po.over = &v.view.curves[1].y;
      po.y_label = "persons";
      const ImVec2 avail = ImGui::GetContentRegionAvail();
      if (cordon::render::PlotWidget("##curves", curves, avail.x, avail.y, &v.s.clock.day, po))
        v.map->SetValues(v.view.values[v.s.clock.day]);
      ImGui::End();

      // Overlays: the user's checkpoints, title, date and legend on the map.
      ImDrawList* fg = ImGui::GetForegroundDrawList();
      for (const auto& e : v.s.plan.checkpoints) {
        const auto px = vp.ToPixel(e.at);
        fg->AddCircleFilled(ImVec2(float(px.first), float(px.second)), 7,
                            IM_COL32(230, 20, 20, 255));
        fg->AddCircle(ImVec2(float(px.first), float(px.second)), 7, IM_COL32(255, 255, 255, 255), 0,
                      2);
      }
      std::string title = v.view.title + "   day " + std::to_string(v.s.clock.day);
      const std::string date = cordon::engine::DateAfter(v.view.start_date, v.s.clock.day);
      if (!date.empty()) title += "   " + date;
      fg->AddText(nullptr, 20 * font, ImVec2(float(vp.x0 + 12), float(v.s.map.presenter ? 14 : 8)),
                  IM_COL32(20, 20, 20, 255), title.c_str());
      Legend(fg, ImVec2(float(vp.x0 + 20), float(vp.y0 + vp.height - 40 * font)), 260 * font,
             v.view.scale, v.view.legend, font);
    }
    if (v.s.map.presenter && big) ImGui::PopFont();
    ImGui::Render();

    glViewport(0, 0, fw, fh);
    glClearColor(1, 1, 1, 1);
    glClear(GL_COLOR_BUFFER_BIT);
    if (v.s.Run()) v.map->Draw(vp, fh);
    glViewport(0, 0, fw, fh);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

    if (opt.bench_frames > 0 && v.s.Run()) {
      // Frame time: the day advances every frame, so each frame uploads new values.
      glFinish();
      const auto t1 = std::chrono::steady_clock::now();
      if (bench_done > 0) bench_seconds += std::chrono::duration<double>(t1 - now).count();
      if (++bench_done > opt.bench_frames) {
        std::printf("villages %d frames %d frame_ms %.2f\n", v.s.Run()->network.Patches(),
                    opt.bench_frames, 1000.0 * bench_seconds / opt.bench_frames);
        break;
      }
      v.s.clock.day = (v.s.clock.day + 1) % (v.view.days + 1);
      v.map->SetValues(v.view.values[v.s.clock.day]);
    }
    if (!pending_screenshot.empty()) {
      cordon::render::WritePng(ReadFramebuffer(fw, fh), pending_screenshot);
      pending_screenshot.clear();
    }
    if (!opt.screenshot.empty() && v.s.Run() && ImGui::GetFrameCount() > 3) {
      cordon::render::WritePng(ReadFramebuffer(fw, fh), opt.screenshot);
      WriteViewJson(opt.screenshot + ".json", v, vp);
      std::printf("wrote %s (%dx%d, day %d)\n", opt.screenshot.c_str(), fw, fh, v.s.clock.day);
      break;
    }
    glfwSwapBuffers(window);
  }

  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return exit_code;
}
