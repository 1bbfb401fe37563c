// SPDX-License-Identifier: Apache-2.0
#include "viewer/viewer_app.hpp"

#include <cstdio>

#include "cordon/base/error.hpp"
#include "cordon/render/image.hpp"
#include "viewer/capture.hpp"
#include "viewer/panels.hpp"

namespace cordon::viewer {

ViewerApp::ViewerApp(const Options& options, render::GuiContext& gui, ScriptPlayer script)
    : options_(options), gui_(gui), script_(std::move(script)) {
  state_.map.presenter = options.presenter;
  state_.start_day = options.day;
  if (!options.scenario.empty()) {
    std::snprintf(screen_.path_field.data(), screen_.path_field.size(), "%s",
                  options.scenario.c_str());
    state_.Open(options.scenario);
  }
}

int ViewerApp::Run() {
  auto last = Clock::now();
  while (!gui_.ShouldClose()) {
    gui_.PollEvents();
    if (const std::string dropped = gui_.TakeDroppedPath(); !dropped.empty()) {
      std::snprintf(screen_.path_field.data(), screen_.path_field.size(), "%s", dropped.c_str());
      state_.Open(dropped);
    }
    TakeFinishedRun();
    const auto now = Clock::now();
    if (state_.Run())
      state_.clock.Advance(std::chrono::duration<double>(now - last).count(), screen_.view.days);
    last = now;

    gui_.StartFrame();
    Layout layout = MakeLayout();
    if (!script_.Play(state_, screen_, layout.map)) break;
    ImGui::NewFrame();
    gui_.SetFullScreen(state_.map.presenter);
    DrawUi(layout);
    ImGui::Render();
    // A checkbox this frame may have put the previous run beside this one, or taken it away.
    if (bool(screen_.previous_map) != (layout.previous.width > 0)) layout = MakeLayout();

    gui_.ClearFrame();
    screen_.drawn_maps.clear();
    if (state_.Run()) {
      ShowDay(screen_, state_.clock.day);
      if (screen_.previous_map && layout.previous.width > 0) {
        screen_.previous_map->Draw(layout.previous, layout.height);
        screen_.drawn_maps.push_back(layout.previous);
      }
      screen_.map->Draw(layout.map, layout.height);
      screen_.drawn_maps.push_back(layout.map);
    }
    gui_.DrawGui();
    if (AfterDraw(layout, now)) break;
    gui_.SwapBuffers();
  }
  return 0;
}

void ViewerApp::TakeFinishedRun() {
  const Arrival arrival = state_.TakeFinished();
  if (arrival.adopted) {
    // The view still shows the run before: keep its infected curve for the chart.
    if (arrival.rerun)
      screen_.previous_prevalence = screen_.view.curves.front().y;
    else
      screen_.previous_prevalence.clear();
    // The names of this run's villages join the font atlas.
    gui_.LoadFonts(state_.Run()->network.names);
    Prepare(state_, screen_);
    if (!arrival.rerun) Fit(screen_, state_.map.presenter);
  } else if (!arrival.error.empty() && !options_.screenshot.empty()) {
    // Nobody watches a screenshot run: its failure is the exit code.
    throw InputError(arrival.error);
  }
}

Layout ViewerApp::MakeLayout() const {
  Layout layout;
  layout.width = gui_.FramebufferWidth();
  layout.height = gui_.FramebufferHeight();
  layout.map = MapViewport(state_.map.presenter, screen_.world, layout.width, layout.height);
  layout.font_scale = state_.map.presenter ? 2.0f : 1.0f;
  layout.area = layout.map;
  layout.chart = ChartViewport(state_.map.presenter, layout.map, layout.width, layout.height);
  if (screen_.previous_map) layout.previous = SplitForPrevious(layout.map, layout.font_scale);
  return layout;
}

void ViewerApp::DrawUi(Layout& layout) {
  // Presenter mode: the same font at twice the size.
  ImFont* big = state_.map.presenter ? gui_.BigFont() : nullptr;
  if (big) ImGui::PushFont(big);
  if (!state_.map.presenter)
    DrawSidePanel(state_, screen_, layout);
  else if (ImGui::IsKeyPressed(ImGuiKey_Escape))
    state_.map.presenter = false;
  DrawRunError(state_, layout);
  if (state_.Run()) {
    const int hovered_checkpoint = HandleMapPointer(state_, screen_, layout);
    DrawTooltips(state_, screen_, hovered_checkpoint);
    DrawChartPanel(state_, screen_, layout);
    DrawMapOverlays(state_, screen_, layout);
  }
  if (big) ImGui::PopFont();
}

bool ViewerApp::AfterDraw(const Layout& layout, Clock::time_point frame_start) {
  if (options_.bench_frames > 0 && state_.Run()) {
    // Frame time: the day advances every frame, so each frame uploads new values.
    gui_.WaitForGpu();
    if (bench_done_ > 0)
      bench_seconds_ += std::chrono::duration<double>(Clock::now() - frame_start).count();
    if (++bench_done_ > options_.bench_frames) {
      std::printf("villages %d frames %d frame_ms %.2f\n", state_.Run()->network.Patches(),
                  options_.bench_frames, 1000.0 * bench_seconds_ / options_.bench_frames);
      return true;
    }
    state_.clock.day = (state_.clock.day + 1) % (screen_.view.days + 1);
  }
  if (!screen_.pending_png.empty()) {
    render::WritePng(gui_.ReadFrame(), screen_.pending_png);
    screen_.pending_png.clear();
  }
  // A few frames first: ImGui lays its windows out over the first ones.
  if (!options_.screenshot.empty() && state_.Run() && ImGui::GetFrameCount() > 3) {
    render::WritePng(gui_.ReadFrame(), options_.screenshot);
    WriteViewJson(options_.screenshot + ".json", state_, screen_, layout.map);
    std::printf("wrote %s (%dx%d, day %d)\n", options_.screenshot.c_str(), layout.width,
                layout.height, state_.clock.day);
    return true;
  }
  return false;
}

}  // namespace cordon::viewer
