// SPDX-License-Identifier: Apache-2.0
#include "cordon/render/plot_widget.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace cordon::render {
namespace {

ImU32 Colour(Rgb c, int alpha = 255) { return IM_COL32(c.r, c.g, c.b, alpha); }

}  // namespace

bool PlotWidget(const char* id, const std::vector<BandCurve>& curves, float width, float height,
                int* day, const PlotWidgetOptions& o) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton(id, ImVec2(width, height));
  const bool hovered = ImGui::IsItemHovered();
  const float line = ImGui::GetTextLineHeight();  // grows with presenter-mode font scaling
  const float left = p0.x + 3.5f * line, right = p0.x + width - 0.6f * line,
              top = p0.y + 0.6f * line;
  const float bottom = p0.y + height - 1.7f * line;
  std::size_t days = 1;
  double ymax = 0;
  for (const auto& c : curves) {
    days = std::max(days, c.curve.y.size());
    for (double v : c.curve.y) ymax = std::max(ymax, v);
    for (double v : c.high) ymax = std::max(ymax, v);
  }
  if (o.beds > 0) ymax = std::max(ymax, o.beds);
  if (!(ymax > 0)) ymax = 1;
  const double ystep = NiceStep(ymax, 4);
  ymax = std::ceil(ymax / ystep) * ystep;
  const double xmax = std::max<double>(1, double(days - 1));
  auto X = [&](double d) { return float(left + (right - left) * d / xmax); };
  auto Y = [&](double v) { return float(bottom - (bottom - top) * v / ymax); };

  dl->AddRectFilled(p0, ImVec2(p0.x + width, p0.y + height), IM_COL32(255, 255, 255, 255));
  char buf[32];
  for (double v = 0; v <= ymax * (1 + 1e-9); v += ystep) {
    dl->AddLine(ImVec2(left, Y(v)), ImVec2(right, Y(v)), IM_COL32(225, 225, 225, 255));
    dl->AddText(ImVec2(p0.x + 4, Y(v) - line / 2), IM_COL32(60, 60, 60, 255), AxisLabel(v).c_str());
  }
  const double xstep = NiceStep(xmax, 6);
  for (double d = 0; d <= xmax + 1e-9; d += xstep) {
    dl->AddLine(ImVec2(X(d), top), ImVec2(X(d), bottom), IM_COL32(235, 235, 235, 255));
    std::snprintf(buf, sizeof buf, "%g", d);
    dl->AddText(ImVec2(X(d) - ImGui::CalcTextSize(buf).x / 2, bottom + 4),
                IM_COL32(60, 60, 60, 255), buf);
  }
  if (o.beds > 0) {
    if (o.over)  // shade the days over capacity
      for (std::size_t d = 0; d < o.over->size(); ++d)
        if ((*o.over)[d] > o.beds)
          dl->AddRectFilled(ImVec2(X(d - 0.5), top), ImVec2(X(d + 0.5), bottom),
                            IM_COL32(255, 200, 200, 120));
    dl->AddLine(ImVec2(left, Y(o.beds)), ImVec2(right, Y(o.beds)), IM_COL32(40, 40, 40, 255), 1.5f);
    dl->AddText(ImVec2(right - ImGui::CalcTextSize("beds").x, Y(o.beds) - line),
                IM_COL32(40, 40, 40, 255), "beds");
  }
  for (const auto& c : curves) {
    if (c.low.size() == c.curve.y.size() && c.high.size() == c.curve.y.size())
      for (std::size_t d = 1; d < c.low.size(); ++d) {
        const ImVec2 q[4] = {ImVec2(X(d - 1), Y(c.high[d - 1])), ImVec2(X(d), Y(c.high[d])),
                             ImVec2(X(d), Y(c.low[d])), ImVec2(X(d - 1), Y(c.low[d - 1]))};
        dl->AddConvexPolyFilled(q, 4, Colour(c.curve.colour, 50));
      }
    for (std::size_t d = 1; d < c.curve.y.size(); ++d)
      dl->AddLine(ImVec2(X(d - 1), Y(c.curve.y[d - 1])), ImVec2(X(d), Y(c.curve.y[d])),
                  Colour(c.curve.colour), 2.0f);
  }
  dl->AddLine(ImVec2(left, bottom), ImVec2(right, bottom), IM_COL32(40, 40, 40, 255));
  dl->AddLine(ImVec2(left, top), ImVec2(left, bottom), IM_COL32(40, 40, 40, 255));
  if (!o.y_label.empty())
    dl->AddText(ImVec2(left + 4, top), IM_COL32(60, 60, 60, 255), o.y_label.c_str());
  bool moved = false;
  if (hovered) {
    const float mx = ImGui::GetIO().MousePos.x;
    const int hover_day =
        std::clamp(int(std::lround((mx - left) / (right - left) * xmax)), 0, int(xmax));
    dl->AddLine(ImVec2(X(hover_day), top), ImVec2(X(hover_day), bottom),
                IM_COL32(150, 150, 150, 160));
    ImGui::BeginTooltip();
    ImGui::Text("day %d", hover_day);
    for (const auto& c : curves)
      if (hover_day < int(c.curve.y.size()))
        ImGui::Text("%s: %.1f", c.curve.label.c_str(), c.curve.y[hover_day]);
    ImGui::EndTooltip();
    if (day && ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
      moved = *day != hover_day;
      *day = hover_day;
    }
  }
  if (day)
    dl->AddLine(ImVec2(X(*day), top), ImVec2(X(*day), bottom), IM_COL32(30, 30, 30, 255), 1.5f);
  // Legend last, on a white ground: neither the curves nor the day cursor run through its
  // words; below the beds line's label when that is at the top.
  float ly = top + 4 + (o.beds > 0 && Y(o.beds) < top + 2 * line ? line : 0.0f);
  float widest = 0;
  for (const auto& c : curves)
    widest = std::max(widest, ImGui::CalcTextSize(c.curve.label.c_str()).x);
  if (!curves.empty())
    dl->AddRectFilled(ImVec2(right - widest - 1.9f * line, ly - 2),
                      ImVec2(right, ly + line * float(curves.size()) + 2),
                      IM_COL32(255, 255, 255, 235));
  for (const auto& c : curves) {
    const float w = ImGui::CalcTextSize(c.curve.label.c_str()).x;
    dl->AddRectFilled(ImVec2(right - w - 1.6f * line, ly + 0.3f * line),
                      ImVec2(right - w - 0.5f * line, ly + 0.7f * line), Colour(c.curve.colour));
    dl->AddText(ImVec2(right - w - 4, ly), IM_COL32(40, 40, 40, 255), c.curve.label.c_str());
    ly += line;
  }
  return moved;
}

}  // namespace cordon::render
