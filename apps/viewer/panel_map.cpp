// SPDX-License-Identifier: Apache-2.0
// The pointer over the map (pan, zoom, placing and dragging checkpoints, hover,
// select) and what is drawn over it (placed checkpoints, title, legend).
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <string>

#include "cordon/render/colour_scale.hpp"
#include "cordon/render/frame_style.hpp"
#include "viewer/panels.hpp"

namespace cordon::viewer {

namespace {

// The placed checkpoint within 8 px of the pointer (the last one drawn wins), or -1.
int PlacedCheckpointAt(const Plan& plan, const render::Viewport& vp, ImVec2 mouse) {
  int near = -1;
  for (std::size_t k = 0; k < plan.checkpoints.size(); ++k) {
    const auto px = vp.ToPixel(plan.checkpoints[k].at);
    if (std::hypot(px.first - mouse.x, px.second - mouse.y) < 8) near = static_cast<int>(k);
  }
  return near;
}

// The run's checkpoint whose marker is under the pointer, or -1.
int CheckpointMarkerAt(const render::RunView& view, const render::Viewport& vp, ImVec2 mouse) {
  int hovered = -1;
  for (std::size_t k = 0; k < view.layers.checkpoints.size(); ++k) {
    const auto px = vp.ToPixel(view.layers.checkpoints[k]);
    if (std::hypot(px.first - mouse.x, px.second - mouse.y) <= view.layers.checkpoint_radius[k] + 2)
      hovered = static_cast<int>(k);
  }
  return hovered;
}

// A left click on the map: place a checkpoint (add mode), grab a placed one, or start a pan.
void LeftClick(ViewerState& state, Screen& screen, const render::Viewport& vp, ImVec2 mouse) {
  const int near = PlacedCheckpointAt(state.plan, vp, mouse);
  if (state.plan.add_mode)
    state.AddCheckpoint(ToWorld(vp, mouse.x, mouse.y));
  else if (near >= 0)
    state.plan.dragging = near;
  else
    screen.drag = {true, mouse.x, mouse.y};
}

// The colour ramp as a legend, in its strip below the map.
void Legend(ImDrawList* dl, ImVec2 at, float width, const render::ColourScale& scale,
            const std::string& title, float font_scale) {
  const float h = 14 * font_scale;
  const render::Rgb style_ink = render::kMapStyle.ink;
  const ImU32 ink = IM_COL32(style_ink.r, style_ink.g, style_ink.b, 255);
  dl->AddRectFilled(ImVec2(at.x - 8, at.y - 22 * font_scale),
                    ImVec2(at.x + width + 8, at.y + h + 22 * font_scale),
                    IM_COL32(255, 255, 255, 220));
  dl->AddText(nullptr, 13 * font_scale, ImVec2(at.x, at.y - 18 * font_scale), ink, title.c_str());
  for (int i = 0; i < int(width); ++i) {
    const double t = i / std::max(1.0f, width - 1);
    const render::Rgb c = scale.diverging ? render::DivergingRamp(t) : render::Ramp(t);
    dl->AddLine(ImVec2(at.x + i, at.y), ImVec2(at.x + i, at.y + h), IM_COL32(c.r, c.g, c.b, 255));
  }
  // The words of the Cairo legend (render::DrawLegend), in the same places.
  const render::LegendText text = render::LegendTextOf(scale);
  const float size = 13 * font_scale;
  auto text_width = [&](const std::string& t) {
    return ImGui::GetFont()->CalcTextSizeA(size, FLT_MAX, 0.0f, t.c_str()).x;
  };
  dl->AddText(nullptr, size, ImVec2(at.x, at.y + h + 2), ink, text.low.c_str());
  dl->AddText(nullptr, size, ImVec2(at.x + width - text_width(text.high), at.y + h + 2), ink,
              text.high.c_str());
  if (!text.note.empty())
    dl->AddText(nullptr, size, ImVec2(at.x + (width - text_width(text.note)) / 2, at.y + h + 2),
                ink, text.note.c_str());
}

// Township (or district) names where the map has room for them, as the CPU map places them.
void Labels(ImDrawList* dl, const render::RunView& view, const render::Viewport& vp, float font) {
  const render::MapStyle& style = render::kMapStyle;
  const float size = float(style.label_size) * font;
  ImFont* f = ImGui::GetFont();
  auto width = [&](const std::string& t) {
    return f->CalcTextSizeA(size, FLT_MAX, 0.0f, t.c_str()).x;
  };
  for (int k : render::PlaceLabels(view.layers, vp, width, size)) {
    const auto& label = view.layers.labels[std::size_t(k)];
    const auto at = vp.ToPixel(label.at);
    const ImVec2 p(float(at.first) - width(label.text) / 2, float(at.second) - size / 2);
    for (const ImVec2 d : {ImVec2(-1, 0), ImVec2(1, 0), ImVec2(0, -1), ImVec2(0, 1)})
      dl->AddText(f, size, ImVec2(p.x + d.x, p.y + d.y),
                  IM_COL32(style.label_halo.r, style.label_halo.g, style.label_halo.b, 255),
                  label.text.c_str());
    dl->AddText(f, size, p, IM_COL32(style.label.r, style.label.g, style.label.b, 255),
                label.text.c_str());
  }
}

}  // namespace

int HandleMapPointer(ViewerState& state, Screen& screen, Layout& layout) {
  render::Viewport& vp = layout.map;
  const ImGuiIO& io = ImGui::GetIO();
  ImVec2 mouse = io.MousePos;
  // Over the previous run's map, the pointer acts on the same place of this run's.
  const render::Viewport& left = layout.previous;
  if (left.width > 0 && mouse.x >= left.x0 && mouse.x < left.x0 + left.width &&
      mouse.y >= left.y0 && mouse.y < left.y0 + left.height) {
    mouse.x += float(vp.x0 - left.x0);
    mouse.y += float(vp.y0 - left.y0);
  }
  const bool over_map = !io.WantCaptureMouse && mouse.x >= vp.x0 && mouse.y >= vp.y0 &&
                        mouse.x < vp.x0 + vp.width && mouse.y < vp.y0 + vp.height;
  if (over_map && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) LeftClick(state, screen, vp, mouse);
  if (!ImGui::IsMouseDown(ImGuiMouseButton_Left))
    screen.drag.active = false, state.plan.dragging = -1;
  if (state.plan.dragging >= 0)  // a placed checkpoint slides along the roads
    state.MoveCheckpoint(state.plan.dragging, ToWorld(vp, mouse.x, mouse.y));
  if (screen.drag.active) {
    vp.world = screen.world = Pan(vp, {screen.drag.x, screen.drag.y}, {mouse.x, mouse.y});
    screen.drag.x = mouse.x, screen.drag.y = mouse.y;
  }
  if (over_map && io.MouseWheel != 0)
    vp.world = screen.world = ZoomAt(vp, {mouse.x, mouse.y}, io.MouseWheel);
  // A checkpoint under the pointer wins over the village it sits in.
  const int checkpoint = over_map ? CheckpointMarkerAt(screen.view, vp, mouse) : -1;
  state.pick.hovered =
      over_map && checkpoint < 0 ? state.VillageAt(ToWorld(vp, mouse.x, mouse.y)) : -1;
  if (over_map && ImGui::IsMouseClicked(ImGuiMouseButton_Right))
    state.pick.selected = state.pick.hovered;
  return checkpoint;
}

void DrawMapOverlays(const ViewerState& state, const Screen& screen, const Layout& layout) {
  const render::Viewport& vp = layout.map;
  const float font = layout.font_scale;
  // Behind every window (drawn after the GL map, before the panels and tooltips): labels,
  // title and legend never cover a tooltip or a panel.
  ImDrawList* fg = ImGui::GetBackgroundDrawList();
  Labels(fg, screen.view, vp, font);
  if (layout.previous.width > 0) Labels(fg, screen.previous_view, layout.previous, font);
  for (const auto& e : state.plan.checkpoints) {
    const auto px = vp.ToPixel(e.at);
    const ImVec2 at(float(px.first), float(px.second));
    fg->AddCircleFilled(at, 7, IM_COL32(230, 20, 20, 255));
    fg->AddCircle(at, 7, IM_COL32(255, 255, 255, 255), 0, 2);
  }
  const int day = state.clock.day;
  // The title starts at the left map's edge.
  const int title_x0 = layout.area.x0;
  const std::string title = render::FrameTitle(screen.view.title, day, screen.view.start_date);
  fg->AddText(nullptr, 20 * font, ImVec2(float(title_x0 + 12), float(state.map.presenter ? 14 : 8)),
              IM_COL32(20, 20, 20, 255), title.c_str());
  if (layout.previous.width > 0) {  // side by side: which run each map shows, above it
    const float y = float(vp.y0) - (kPanelLabelHeight - 3) * font;
    fg->AddText(nullptr, 15 * font, ImVec2(float(layout.previous.x0 + 12), y),
                IM_COL32(20, 20, 20, 255), "previous run");
    fg->AddText(nullptr, 15 * font, ImVec2(float(vp.x0 + 12), y), IM_COL32(20, 20, 20, 255),
                "this run");
  }
  const LegendPlace legend = LegendAt(vp, title_x0, state.map.presenter);
  Legend(fg, ImVec2(legend.x, legend.y), legend.width, screen.view.scale, screen.view.legend, font);
}

}  // namespace cordon::viewer
