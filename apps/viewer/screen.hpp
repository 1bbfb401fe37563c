// SPDX-License-Identifier: Apache-2.0
#pragma once
/// What cordon-viewer shows besides ViewerState: the open run prepared for
/// drawing (RunView and the GPU map), the visible part of the map, the
/// rectangles of last frame's buttons (for scripts), and where the map goes
/// in the window.
///
/// Contents
///   Screen        the above, one per window
///   Layout        where the panels and the map go this frame
///   MapViewport   the map's rectangle in a framebuffer
///   Prepare, Fit, ShowDay   keeping Screen in step with ViewerState

#include <imgui.h>

#include <array>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cordon/render/frame.hpp"
#include "cordon/render/gl_map.hpp"
#include "viewer/pan_zoom.hpp"
#include "viewer/viewer_state.hpp"

namespace cordon::viewer {

/// A button's rectangle on screen (pixels), as ImGui last drew it.
struct ButtonRect {
  ImVec2 min, max;
};

/// The drawing side of one viewer window; ViewerState holds the rest.
struct Screen {
  render::RunView view;                ///< the run as the map and the chart show it
  std::unique_ptr<render::GlMap> map;  ///< created with the first run
  int shown_day = -1;                  ///< the day whose values the GPU map holds
  /// The previous run beside this one (MapChoice::side_by_side); no map otherwise.
  render::RunView previous_view;
  std::unique_ptr<render::GlMap> previous_map;
  int previous_shown_day = -1;
  std::vector<render::Viewport> drawn_maps;   ///< last frame's map rectangles, left to right
  data::Box world;                            ///< the visible part of the map, working CRS (metres)
  MapDrag drag;                               ///< a pan in progress
  std::vector<double> previous_prevalence;    ///< the previous run's infected curve (persons)
  std::map<std::string, ButtonRect> buttons;  ///< by label: last frame's rectangles, for scripts
  std::array<char, 1024> path_field{};        ///< the side panel's scenario path text field
  std::string pending_png;                    ///< written once this frame is drawn ("" = none)
};

/// Where things go this frame.
struct Layout {
  render::Viewport map;  ///< the map's rectangle (pixels) and visible world
  /// Side by side: the previous run's map, left of `map`, showing the same world (width 0
  /// when not shown).
  render::Viewport previous;
  render::Viewport area;   ///< the whole map area, right of the side panel (one map or two)
  render::Viewport chart;  ///< the curves' rectangle
  int width = 0;           ///< framebuffer, pixels
  int height = 0;
  float font_scale = 1.0f;  ///< 2 in presenter mode
};

/// Where the map goes in a framebuffer of `width` x `height`, below the title: right of the
/// control panel and above its legend strip and the curves; in presenter mode the left
/// kPresenterMapShare of the width and the whole height (the legend on its corner).
render::Viewport MapViewport(bool presenter, const data::Box& world, int width, int height);
/// Where the curves go beside a map MapViewport placed: below its legend strip, or in
/// presenter mode the column right of it.
render::Viewport ChartViewport(bool presenter, const render::Viewport& map, int width, int height);
/// Where the colour legend's bar starts (x, y, pixels) and its width: below the map in its
/// strip, or on the presenter's map's lower left corner; `x0` is the left map's edge.
struct LegendPlace {
  float x = 0, y = 0, width = 0;
};
LegendPlace LegendAt(const render::Viewport& map, int x0, bool presenter);

/// The share of the window's width the presenter's map takes (>= 60% of the window's area
/// with the title above it).
inline constexpr float kPresenterMapShare = 0.7f;
/// Height of the legend strip below the map, pixels at font scale 1.
inline constexpr float kLegendHeight = 62.0f;
/// Height of the line above side-by-side maps that says which run each shows, at font scale 1.
inline constexpr float kPanelLabelHeight = 22.0f;

/// Splits the map rectangle `map` into the previous run's (left, returned) and this run's
/// (right, `map` after the call), of equal size, under a line for their labels.
render::Viewport SplitForPrevious(render::Viewport& map, float font_scale);

/// Remakes screen.view from the run and state.map's choices (metric, log
/// scale, difference from the previous run), uploads it to the GPU map and
/// clamps state.clock.day to the run. Needs state.Run().
void Prepare(ViewerState& state, Screen& screen);

/// Shows the whole region; in presenter mode above the legend on the map's corner.
void Fit(Screen& screen, bool presenter = false);

/// Uploads `day`'s values to the GPU map unless it shows them already.
void ShowDay(Screen& screen, int day);

/// Keeps the rectangle of the widget ImGui just drew in screen.buttons under
/// `label`, so that scripts can click it. Returns `pressed`.
bool Remember(Screen& screen, const char* label, bool pressed);
/// ImGui::Button whose rectangle is remembered.
bool UiButton(Screen& screen, const char* label);

}  // namespace cordon::viewer
