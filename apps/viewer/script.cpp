// SPDX-License-Identifier: Apache-2.0
#include "viewer/script.hpp"

#include <fstream>
#include <sstream>
#include <vector>

#include "cordon/base/error.hpp"
#include "cordon/data/vector_io.hpp"
#include "cordon/engine/outputs.hpp"

namespace cordon::viewer {

namespace {

// The numbers tests compare before and after a re-run.
void WriteReport(const std::string& file, const ViewerState& state, const Screen& screen) {
  const engine::DisplayRun *run = state.Run(), *previous = state.Previous();
  const auto& scale = screen.view.scale;
  nlohmann::ordered_json j;
  j["attack_rate"] = run ? AttackRate(*run) : -1.0;
  j["previous_attack_rate"] = previous ? AttackRate(*previous) : -1.0;
  j["edits"] = state.plan.checkpoints.size();
  j["checkpoints"] = run ? run->network.checkpoints.size() : 0;
  j["scale"] = {scale.min, scale.max, scale.diverging ? 1 : 0};
  j["status"] = state.status;
  j["maps"] = nlohmann::ordered_json::array();  // as last drawn, left to right
  for (const auto& m : screen.drawn_maps) j["maps"].push_back({m.x0, m.y0, m.width, m.height});
  engine::WriteJsonFile(file, j);
}

// The pixel of the map at the command's X Y, given in the CRS of the village layer's file.
ImVec2 MapPixel(const engine::DisplayRun& run, std::istream& cmd, const render::Viewport& map) {
  std::vector<data::Point2> p(1);
  cmd >> p[0].x >> p[0].y;
  data::ReprojectPoints(p, run.geography->region.source_crs, run.geography->region.crs);
  const auto px = map.ToPixel(p[0]);
  return ImVec2(float(px.first), float(px.second));
}

}  // namespace

ScriptPlayer::ScriptPlayer(const std::string& path) : path_(path) {
  std::ifstream in(path);
  if (!in) throw InputError(SourceRef{path}, "cannot open script");
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') lines_.push_back(line);
}

// Frames a click-button waits for its button once a run is shown and none is in flight
// (the buttons that need a run appear a few frames after it arrives).
constexpr int kButtonFrames = 600;

bool ScriptPlayer::Click(ImVec2 at) {
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = at;
  io.MouseDown[0] = click_phase_ == 1;
  return ++click_phase_ == 3;
}

bool ScriptPlayer::Play(const ViewerState& state, Screen& screen, const render::Viewport& map) {
  if (hovering_) ImGui::GetIO().MousePos = hover_;
  if (lines_.empty()) return true;
  std::istringstream cmd(lines_.front());
  std::string verb;
  cmd >> verb;
  bool done = false;
  if (verb == "click-button") {
    std::string label;
    std::getline(cmd >> std::ws, label);
    // Not drawn yet (e.g. before the run arrives): wait for it, a few hundred frames.
    if (const auto it = screen.buttons.find(label); it != screen.buttons.end()) {
      done = Click(ImVec2((it->second.min.x + it->second.max.x) / 2,
                          (it->second.min.y + it->second.max.y) / 2));
    } else if (state.Run() && !state.Running() && ++frames_waited_ > kButtonFrames) {
      // (Counted once a run is on screen: before, the buttons that need one are not drawn.)
      std::string drawn;
      for (const auto& [name, rect] : screen.buttons) drawn += (drawn.empty() ? "" : ", ") + name;
      throw InputError(SourceRef{path_}, "'" + lines_.front() + "': no button '" + label +
                                             "' was drawn in " + std::to_string(kButtonFrames) +
                                             " frames (buttons: " + drawn + ")");
    }
  } else if (verb == "click-at") {
    if (const engine::DisplayRun* run = state.Run()) done = Click(MapPixel(*run, cmd, map));
  } else if (verb == "hover-at") {
    if (const engine::DisplayRun* run = state.Run()) {
      hover_ = MapPixel(*run, cmd, map);
      hovering_ = done = true;
    }
  } else if (verb == "wait-run") {
    done = !state.Running() && (state.RunsAdopted() > runs_before_ || !state.RunError().empty());
  } else if (verb == "report") {
    std::string file;
    cmd >> file;
    WriteReport(file, state, screen);
    done = true;
  } else if (verb == "screenshot") {
    cmd >> screen.pending_png;
    done = true;
  } else if (verb == "quit") {
    return false;
  } else {
    throw InputError(SourceRef{path_}, "unknown script command '" + lines_.front() + "'");
  }
  if (done) {
    lines_.pop_front();
    click_phase_ = 0;
    frames_waited_ = 0;
    runs_before_ = state.RunsAdopted();
  }
  return true;
}

}  // namespace cordon::viewer
