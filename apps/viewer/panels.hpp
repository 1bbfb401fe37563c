// SPDX-License-Identifier: Apache-2.0
#pragma once
/// cordon-viewer's panels, one file each (panel_*.cpp). Each draws with
/// Dear ImGui inside the frame (between ImGui::NewFrame and ImGui::Render)
/// and acts on ViewerState and Screen only.
///
///   panel_side.cpp      the control panel on the left: open, map choice, day, play
///   panel_planning.cpp  the plan: add checkpoints, cordon levels, Re-run, Save, difference map
///   panel_exports.cpp   MP4, GIF and PNG exports
///   panel_map.cpp       the pointer over the map (pan, zoom, place and drag
///                       checkpoints, hover, select) and the overlays drawn on it
///   panel_tooltips.cpp  what the pointer is over: a checkpoint or a village
///   panel_chart.cpp     the curves under the map, sharing the day cursor

#include "viewer/screen.hpp"
#include "viewer/viewer_state.hpp"

namespace cordon::viewer {

/// The control panel left of the map (not in presenter mode); holds the
/// planning and export sections once a run is open.
void DrawSidePanel(ViewerState& state, Screen& screen, const Layout& layout);

/// The plan section: Add checkpoint, cordon levels, the placed checkpoints'
/// settings, Re-run, Save, the difference map and the attack rates before and now.
/// Only for scenarios (a results folder cannot be re-run).
void DrawPlanningPanel(ViewerState& state, Screen& screen);

/// Export MP4 / GIF (drawn like `cordon render`, beside the scenario) and PNG
/// (the window, written once the frame is drawn).
void DrawExportsPanel(ViewerState& state, Screen& screen);

/// The pointer over the map: a left click places a checkpoint (add mode),
/// grabs a placed one or starts a pan; the wheel zooms at the pointer; a
/// right click selects the village under it. Updates layout.map.world with
/// the view. Returns the checkpoint under the pointer (index into the run's
/// checkpoints), or -1.
int HandleMapPointer(ViewerState& state, Screen& screen, Layout& layout);

/// The tooltip of the checkpoint `hovered_checkpoint` (when >= 0) and of the
/// hovered village (state.pick.hovered).
void DrawTooltips(const ViewerState& state, const Screen& screen, int hovered_checkpoint);

/// The curves window under the map: region curves (with the ensemble band),
/// chosen compartments, the selected village and the previous run.
void DrawChartPanel(ViewerState& state, Screen& screen, const Layout& layout);

/// Over the map: the placed checkpoints, the title with day and date, the legend.
void DrawMapOverlays(const ViewerState& state, const Screen& screen, const Layout& layout);

/// A run that failed (a bad scenario or table): its message large and red in a box over the
/// map, with what to do, until a run succeeds.
void DrawRunError(const ViewerState& state, const Layout& layout);

}  // namespace cordon::viewer
