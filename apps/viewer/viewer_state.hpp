// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Everything cordon-viewer knows apart from pixels: which scenario or results
/// folder is open, the current and the previous run, the planner's edits, the
/// day and animation clock, what the map shows, the picked villages and the
/// status line; and the worker that runs scenarios in the background.
/// No OpenGL, ImGui or window: tests drive it headless, the panels draw it.
///
/// Contents
///   DayClock     the shown day and the animation
///   MapChoice    metric, scale, difference map, presenter mode, chart series
///   Selection    hovered and selected villages
///   Plan         hand-placed checkpoints and cordon level switches
///   Arrival      what TakeFinished() found
///   ViewerState  the above plus the runs: Open, ReRun, Save, TakeFinished
///   AttackRate, SnapToRoad   helpers on a run

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cordon/data/geometry.hpp"
#include "cordon/engine/dates.hpp"
#include "cordon/engine/display_run.hpp"
#include "cordon/engine/results_reader.hpp"
#include "cordon/scenario/scenario_edit.hpp"
#include "viewer/background_run.hpp"

namespace cordon::viewer {

/// The day shown, and the animation that moves it.
struct DayClock {
  int day = 0;                   ///< shown day, 0 .. the run's last day
  bool playing = false;          ///< the animation runs
  float days_per_second = 8.0f;  ///< animation speed
  double carry_days = 0.0;       ///< part of a day played but not yet shown, 0..1

  /// While playing, moves on `seconds` of wall time; past `last_day` the day
  /// starts over at 0. Returns whether the shown day changed.
  bool Advance(double seconds, int last_day);
};

/// What the map and the chart show.
struct MapChoice {
  /// 0 infected per 1,000, 1 ever infected per 1,000, 2 attack rate %, 3 first infected day.
  int metric = 0;
  /// Logarithmic colour scale (not with the difference map); unset until the user chooses:
  /// logarithmic when a few villages lie far above the rest (render::SpreadScale).
  std::optional<bool> log_scale;
  bool difference = false;  ///< this run minus the previous one, on a diverging scale
  /// The previous run's map beside this one's: same day, same place, one colour scale.
  bool side_by_side = false;
  bool presenter = false;  ///< full screen: map, curves and title only
  /// Region totals on the chart, per series column of the run (compartments, named flows);
  /// sized to the run's columns when drawn.
  std::vector<char> show_column;
};

/// Villages picked with the pointer (patch indices; -1 = none).
struct Selection {
  int hovered = -1;   ///< under the pointer this frame
  int selected = -1;  ///< right-clicked: its curve joins the chart
};

/// The planner's edits, changed in place by the panels.
struct Plan {
  std::vector<scenario::CheckpointEdit> checkpoints;  ///< placed by hand, working CRS
  std::map<std::string, bool> level_on;  ///< cordon level -> kept (true) or switched off
  bool add_mode = false;                 ///< the next map click places a checkpoint
  int dragging = -1;                     ///< index into checkpoints being dragged

  /// The edits as the engine takes them (a copy).
  scenario::ScenarioEdits Edits() const;
};

/// What TakeFinished() found.
struct Arrival {
  bool adopted = false;  ///< a finished run is now Run()
  bool rerun = false;    ///< it re-ran the open scenario; the one before is now Previous()
  std::string error;     ///< a run failed (reported once; also the status line)
};

/// The viewer's state. The plain structs above are public: the panels edit
/// them in place. The runs change only through Open, ReRun and TakeFinished,
/// all called on the UI thread.
class ViewerState {
 public:
  DayClock clock;
  MapChoice map;
  Selection pick;
  Plan plan;
  std::string status;  ///< one line for the side panel: scenario name, error, file written
  int start_day = -1;  ///< day shown when a run arrives (--day); < 0 keeps the clock's

  /// Opens a scenario file (run in the background) or a results folder (read
  /// in the background). Ignored while a run is in flight; returns whether it started.
  bool Open(const std::string& path);
  /// Runs the open scenario again with the plan's edits as they are now: the
  /// edited scenario is made on the calling (UI) thread and the background
  /// run gets it as a value, so later edits do not reach it. Ignored while a
  /// run is in flight or before a run with a village layer has arrived; a
  /// scenario that no longer loads goes to `status`.
  void ReRun();
  /// Writes <scenario>.edited.yaml (and the edits layer) and says so, or the
  /// error, in `status`.
  void Save();
  /// Takes over a finished run, if any: a re-run of the open scenario keeps
  /// the run before as Previous(); another scenario starts afresh (no edits,
  /// no previous run, no selection). Every cordon level of the run is listed
  /// in plan.level_on (new ones switched on).
  Arrival TakeFinished();

  /// The scenario as edited: LoadScenario of the open file with the plan's
  /// edits applied (engine::EditScenario; writes the edits layer). Needs Run().
  scenario::Scenario EditedScenario() const;

  /// Places a checkpoint at the road point nearest `at` (working CRS) and
  /// leaves add mode. Needs Run().
  void AddCheckpoint(data::Point2 at);
  /// Moves hand-placed checkpoint `k` to the road point nearest `at`.
  void MoveCheckpoint(int k, data::Point2 at);
  /// The village containing `at` (working CRS), or -1. Needs Run().
  int VillageAt(data::Point2 at) const;

  /// The scenario file or results folder opened last.
  const std::string& Path() const { return path_; }
  /// The run on screen (null before the first arrives).
  const engine::DisplayRun* Run() const { return run_.get(); }
  /// The run before the last re-run (null when none).
  const engine::DisplayRun* Previous() const { return previous_.get(); }
  /// Whether a run is in flight, and its share finished (0..1).
  bool Running() const { return background_.Running(); }
  float Progress() const { return background_.Progress(); }
  /// The last run's error ("" when none).
  std::string RunError() const { return background_.Error(); }
  /// Runs taken over so far (scripts wait for the next one).
  int RunsAdopted() const { return runs_adopted_; }

 private:
  std::string path_;
  std::unique_ptr<engine::DisplayRun> run_, previous_;
  int runs_adopted_ = 0;
  BackgroundRun background_;  // last member: its worker finishes before the others go
};

/// Share of the population ever infected over the run, 0..1 (population-weighted attack rate).
double AttackRate(const engine::DisplayRun& run);

/// Whether series column `column` of the run is on the chart before the user chooses: the
/// model's per-village flows other than the infections (Li et al.'s `reported`), which a
/// model names because they matter; compartments and region counters are off.
bool ChartColumnShownByDefault(const engine::DisplayRun& run, int column);

/// A cordon checkpoint's place in words from its generated id "LEVEL:A|B#n" (on the border
/// of units A and B of that level): "石山镇 - outside the region", each unit by its name
/// (region.labels, else a village's name, else its code); "" for any other id.
std::string BorderInWords(const geo::Geography& geo, const std::string& id);

/// The nearest point on any road (graph edge) to `p`, working CRS.
data::Point2 SnapToRoad(const geo::Geography& geo, data::Point2 p);

}  // namespace cordon::viewer
