// SPDX-License-Identifier: Apache-2.0
#include "viewer/screen.hpp"

#include <algorithm>
#include <cmath>

namespace cordon::viewer {

namespace {

render::MapMetric MetricOf(int choice) {
  switch (choice) {
    case 1:
      return render::MapMetric::kCumulative;
    case 2:
      return render::MapMetric::kAttackRate;
    case 3:
      return render::MapMetric::kFirstInfectedDay;
    default:
      return render::MapMetric::kPrevalence;
  }
}

}  // namespace

render::Viewport MapViewport(bool presenter, const data::Box& world, int width, int height) {
  const float font = presenter ? 2.0f : 1.0f;
  const float title_h = 34.0f * font;
  render::Viewport vp;
  vp.y0 = static_cast<int>(title_h);
  vp.world = world;
  if (presenter) {
    // The map fills what the charts (a column on the right) leave, below the title; the
    // legend sits on its lower left corner.
    vp.width = std::max(10, static_cast<int>(std::lround(width * kPresenterMapShare)));
    vp.height = std::max(10, height - vp.y0);
    return vp;
  }
  // Right of the side panel, above the curves; the legend below it in a strip of its own,
  // so that it never covers the region, however it is zoomed.
  constexpr float kPanel = 300.0f, kCurves = 250.0f;
  vp.x0 = static_cast<int>(kPanel);
  vp.width = std::max(10, width - vp.x0);
  vp.height = std::max(10, static_cast<int>(height - kCurves - kLegendHeight) - vp.y0);
  return vp;
}

LegendPlace LegendAt(const render::Viewport& map, int x0, bool presenter) {
  const float font = presenter ? 2.0f : 1.0f, bottom = float(map.y0 + map.height);
  return {float(x0 + 20), presenter ? bottom - 44 * font : bottom + 26 * font, 260 * font};
}

render::Viewport ChartViewport(bool presenter, const render::Viewport& map, int width, int height) {
  render::Viewport vp;
  if (presenter) {
    vp.x0 = map.x0 + map.width;
    vp.y0 = map.y0;
  } else {
    vp.x0 = map.x0;
    vp.y0 = map.y0 + map.height + static_cast<int>(kLegendHeight);
  }
  vp.width = std::max(10, width - vp.x0);
  vp.height = std::max(10, height - vp.y0);
  return vp;
}

render::Viewport SplitForPrevious(render::Viewport& map, float font_scale) {
  const int label = static_cast<int>(kPanelLabelHeight * font_scale);
  constexpr int kGap = 8;
  map.y0 += label;
  map.height = std::max(10, map.height - label);
  render::Viewport left = map;
  left.width = std::max(10, (map.width - kGap) / 2);
  map.width = left.width;
  map.x0 = left.x0 + left.width + kGap;
  return left;
}

namespace {

// The previous run's view beside this one's, both on one colour scale; or no previous map.
void PreparePrevious(const ViewerState& state, Screen& screen, render::MapMetric metric) {
  if (!state.map.side_by_side || state.map.difference || !state.Previous()) {
    screen.previous_map.reset();
    return;
  }
  std::vector<render::RunView> both;
  both.push_back(std::move(screen.view));
  both.push_back(render::MakeRunView(*state.Previous(), metric, state.map.log_scale));
  render::ShareScale(both);
  screen.view = std::move(both[0]);
  screen.previous_view = std::move(both[1]);
  screen.previous_view.title = "before";
  if (!screen.previous_map) screen.previous_map = std::make_unique<render::GlMap>();
  screen.previous_map->SetLayers(screen.previous_view.layers);
  screen.previous_map->SetScale(screen.previous_view.scale);
  screen.previous_shown_day = -1;
}

}  // namespace

void Prepare(ViewerState& state, Screen& screen) {
  const MapChoice& choice = state.map;
  auto& view = screen.view;
  view = render::MakeRunView(*state.Run(), MetricOf(choice.metric),
                             choice.difference ? std::optional<bool>(false) : choice.log_scale);
  if (choice.difference && state.Previous()) {
    // This run minus the previous one, village by village and day by day, on a diverging scale.
    const auto before = render::MakeRunView(*state.Previous(), MetricOf(choice.metric), false);
    double most = 1e-12;
    for (std::size_t d = 0; d < view.values.size() && d < before.values.size(); ++d)
      for (std::size_t i = 0; i < view.values[d].size() && i < before.values[d].size(); ++i) {
        view.values[d][i] -= before.values[d][i];
        most = std::max(most, std::abs(view.values[d][i]));
      }
    view.scale = {-most, most, false, true};
    view.legend += ", this run minus the previous";
  }
  PreparePrevious(state, screen, MetricOf(choice.metric));
  if (!screen.map) screen.map = std::make_unique<render::GlMap>();
  screen.map->SetLayers(view.layers);
  screen.map->SetScale(view.scale);
  state.clock.day = std::clamp(state.clock.day, 0, view.days);
  screen.shown_day = -1;
  ShowDay(screen, state.clock.day);
}

void Fit(Screen& screen, bool presenter) {
  data::Box box = screen.view.world;
  // The presenter's legend sits on the map's lower left corner: room below the region for it
  // (its strip is under a fifth of the map's height), so that it covers no village.
  if (presenter) box.min_y -= 0.25 * (box.max_y - box.min_y);
  screen.world = FitWithMargin(box);
}

void ShowDay(Screen& screen, int day) {
  if (screen.previous_map && !screen.previous_view.values.empty()) {
    // The previous run may be shorter: it stays on its last day.
    const int last = static_cast<int>(screen.previous_view.values.size()) - 1;
    const int d = std::min(day, last);
    if (d != screen.previous_shown_day) {
      screen.previous_map->SetValues(screen.previous_view.values[std::size_t(d)]);
      screen.previous_shown_day = d;
    }
  }
  if (!screen.map || day == screen.shown_day) return;
  screen.map->SetValues(screen.view.values[day]);
  screen.shown_day = day;
}

bool Remember(Screen& screen, const char* label, bool pressed) {
  screen.buttons[label] = {ImGui::GetItemRectMin(), ImGui::GetItemRectMax()};
  return pressed;
}

bool UiButton(Screen& screen, const char* label) {
  return Remember(screen, label, ImGui::Button(label));
}

}  // namespace cordon::viewer
