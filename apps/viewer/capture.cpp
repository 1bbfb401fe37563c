// SPDX-License-Identifier: Apache-2.0
#include "viewer/capture.hpp"

#include "cordon/engine/outputs.hpp"

namespace cordon::viewer {

void WriteViewJson(const std::string& path, const ViewerState& state, const Screen& screen,
                   const render::Viewport& vp) {
  const render::RunView& view = screen.view;
  const int day = state.clock.day;
  nlohmann::ordered_json j;
  j["map"] = {vp.x0, vp.y0, vp.width, vp.height};
  j["scale"] = {view.scale.min, view.scale.max, view.scale.log ? 1 : 0};
  j["day"] = day;
  j["villages"] = nlohmann::ordered_json::array();
  const auto& region = state.Run()->geography->region;
  for (int k = 0; k < region.Patches(); ++k) {
    // Halfway from the anchor to the first corner: inside, and off the roads that meet at anchors.
    const auto& corner = region.shapes[k].front().outer.front();
    const data::Point2 sample{(region.anchors[k].x + corner.x) / 2,
                              (region.anchors[k].y + corner.y) / 2};
    const auto px = vp.ToPixel(sample);
    j["villages"].push_back(
        {{"id", region.ids[k]}, {"x", px.first}, {"y", px.second}, {"value", view.values[day][k]}});
  }
  j["checkpoints"] = nlohmann::ordered_json::array();
  for (std::size_t k = 0; k < view.layers.checkpoints.size(); ++k) {
    const auto px = vp.ToPixel(view.layers.checkpoints[k]);
    const render::Rgb c = view.layers.checkpoint_colour[k];
    j["checkpoints"].push_back(
        {{"x", px.first}, {"y", px.second}, {"rgb", {int(c.r), int(c.g), int(c.b)}}});
  }
  const LegendPlace legend = LegendAt(vp, vp.x0, state.map.presenter);  // as DrawMapOverlays
  j["legend"] = {legend.x, legend.y, legend.width};
  engine::WriteJsonFile(path, j);
}

}  // namespace cordon::viewer
