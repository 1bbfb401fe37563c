// SPDX-License-Identifier: Apache-2.0
#pragma once
/// One frame of a presentation: the map of a day (a choropleth of the
/// chosen metric) beside the region curves with the day cursor, a title,
/// the date, the legend and a scale bar below the map (never over the
/// region). Drawn on a Canvas: `cordon render` (MP4/GIF/PNG, SVG/PDF) and the
/// viewer's export.

#include <optional>
#include <string>
#include <vector>

#include "cordon/engine/dates.hpp"
#include "cordon/engine/display_run.hpp"
#include "cordon/render/chart.hpp"
#include "cordon/render/map_image.hpp"

namespace cordon::render {

/// What a village's colour shows.
enum class MapMetric {
  kPrevalence,        ///< E+I+Eh+Ih+Ec+Ic per 1,000 residents, that day
  kCumulative,        ///< ever infected per 1,000 (population minus S, Sh, Sc), that day
  kAttackRate,        ///< share infected over the whole run, percent (the same every day)
  kFirstInfectedDay,  ///< first day with >= 1 infected (never: left at the scale's bottom)
};

/// A run prepared for drawing: layers, per-day village values, region curves.
struct RunView {
  std::string title;
  std::string start_date;
  MapLayers layers;
  data::Box world;
  std::vector<std::vector<double>> values;  ///< [day][village]
  ColourScale scale;
  std::string legend;
  std::vector<Curve> curves;  ///< region totals per day: infected, in hospital (against beds)
  /// In isolation per day, charted on a panel of its own: its hundreds would flatten the
  /// few dozen infected and the hospital against its beds on a shared axis. With contact
  /// tracing also the contacts traced and quarantined per day.
  std::vector<Curve> isolation;
  /// The model's per-village flows but its infections (Li et al.'s `reported`, a model's
  /// deaths), on the upper chart as the viewer shows them by default.
  std::vector<Curve> flows;
  double beds = -1;
  int days = 0;
};

/// Builds the view of a run (which needs a village layer). `log_scale` unset: logarithmic
/// when a few villages lie far above the rest (SpreadScale). Throws InputError for a
/// network-only run.
RunView MakeRunView(const engine::DisplayRun& run, MapMetric metric,
                    std::optional<bool> log_scale = std::nullopt);

/// A colour scale that shows the spread of `values` ([day][village]): linear from 0, or
/// (`log_scale` true, or unset and the largest value over 10 times the median of the positive
/// ones) logarithmic from a power of ten near the 5th percentile. Its max is left to the caller.
ColourScale SpreadScale(const std::vector<std::vector<double>>& values,
                        std::optional<bool> log_scale);

struct FrameOptions {
  int width = 1280, height = 720;
  double text_size = 0.0;  ///< pixel height of the title; 0 = presenter size (height / 32)
};

/// Where DrawFrame puts things on a width x height canvas (pixels).
struct FrameLayout {
  double text_size = 0;        ///< the title's pixel height
  double header = 0;           ///< height of the title strip
  std::vector<Viewport> maps;  ///< one per run, side by side; each region is fitted into its own
  data::Box legend;            ///< the legend and scale bar, below the maps: never over a region
  double map_width = 0;        ///< the chart takes the rest of the width, below the header
};
/// The layout of a frame with `panels` maps (1: one run; 2: two runs side by side).
FrameLayout LayoutFrame(int width, int height, int panels, const FrameOptions& options);

/// Puts every view on one colour scale: the widest of theirs.
void ShareScale(std::vector<RunView>& views);

/// Draws day `day` (clamped to the run) on the whole of `canvas`.
void DrawFrame(Canvas& canvas, const RunView& view, int day, const FrameOptions& options);
/// The frame as an image of the options' size.
Image DrawFrame(const RunView& view, int day, const FrameOptions& options);

/// Several runs side by side on the same day (each run clamped to its last day): their maps
/// under their `labels` (default: titles), one legend, every run's curves on one chart (the
/// second run's dashed). Views should share a scale (ShareScale) for the maps to compare.
void DrawFrame(Canvas& canvas, const std::vector<RunView>& views,
               const std::vector<std::string>& labels, int day, const FrameOptions& options);
Image DrawFrame(const std::vector<RunView>& views, const std::vector<std::string>& labels, int day,
                const FrameOptions& options);

}  // namespace cordon::render
