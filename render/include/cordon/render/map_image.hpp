// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Maps drawn on a Canvas (for `cordon render`, reports and tests): village
/// polygons filled by a colour scale, region and township outlines, roads
/// and checkpoint markers, antialiased, fitted to a viewport in the working CRS.

#include <functional>
#include <string>
#include <vector>

#include "cordon/data/geometry.hpp"
#include "cordon/render/canvas.hpp"
#include "cordon/render/colour_scale.hpp"
#include "cordon/render/image.hpp"

namespace cordon::render {

/// What a village boundary edge is.
enum class BorderKind {
  kInner,    ///< between two villages of the same outline group
  kOutline,  ///< between villages of different outline groups (e.g. townships)
  kRegion,   ///< on one village only: the region border
};

struct BorderEdge {
  data::Point2 a, b;
  BorderKind kind;
  /// The size of the ring it is on (the larger side of its bounding box, world units): a
  /// ring under a pixel at the zoom (a pinhole, a sandbank's sliver of a village) is not
  /// outlined, or it would be a dark speck.
  double ring_size = 0.0;
};

/// What a map shows, in working-CRS coordinates (metres).
/// A name written on the map (a township's), inside its unit.
struct MapLabel {
  std::string text;
  data::Point2 at;    ///< world coordinates
  double span = 0.0;  ///< the unit's width, world units: named only when the name fits
};

struct MapLayers {
  std::vector<data::MultiPolygon> villages;
  std::vector<int> outline_group;  ///< per village: units with different groups get a dark border
                                   ///< (e.g. township)
  std::vector<std::pair<data::Point2, data::Point2>> roads;  ///< road segments
  std::vector<Rgb> road_colour;     ///< per segment (by class); empty = brown
  std::vector<data::Point2> gates;  ///< where roads leave the region
  std::vector<data::Point2> checkpoints;
  std::vector<Rgb> checkpoint_colour;  ///< per checkpoint (e.g. by admin level)
  std::vector<int> checkpoint_radius;  ///< pixels, per checkpoint (e.g. by travellers turned back)
  /// ClassifyBorders of the villages, made once by whoever builds the layers (MakeRunView), so
  /// that frames do not classify again; empty: the maps classify them when drawing.
  std::vector<BorderEdge> borders;
  std::vector<MapLabel> labels;  ///< in order of importance (largest unit first)
};

/// Maps world coordinates (metres) to pixels of a viewport, keeping the aspect ratio.
struct Viewport {
  int x0 = 0, y0 = 0, width = 0, height = 0;  ///< pixel rectangle
  data::Box world;                            ///< what to fit into it

  /// The pixel of a world point (y grows downwards on screen).
  std::pair<double, double> ToPixel(data::Point2 p) const;
  /// Pixels per world unit (per metre in a working CRS).
  double Scale() const;
};

/// Every edge of the village rings once (edges match when their ends agree to
/// 1 cm), in the order first met, with its kind. Used by the CPU and GPU maps.
std::vector<BorderEdge> ClassifyBorders(const MapLayers& layers);

/// What is drawn of the layers at a zoom (both the CPU and the GPU map): the fine lines and
/// markers that would bury the villages' colours are thinned or left out.
struct MapDetail {
  bool inner_borders = true;   ///< borders between villages (off when a village spans < 6 px)
  bool outlines = true;        ///< borders between outline groups (off when a group spans < 12 px)
  bool roads = true;           ///< roads (off when their 1-px lines would cover > 15% of it)
  double marker_scale = 1.0;   ///< marker radii times this: markers cover <= 10% of the region
  double min_marker_px = 1.5;  ///< markers whose scaled radius is smaller are not drawn
};

/// The sizes DetailFor needs, measured once per set of layers.
struct MapStats {
  double area = 0.0;  ///< the villages' total area, world units squared
  int villages = 0;
  int groups = 0;            ///< distinct outline groups
  double marker_area = 0.0;  ///< the markers' total area at scale 1, pixels squared
  double road_length = 0.0;  ///< the roads' total length, world units
};
MapStats StatsOf(const MapLayers& layers);
/// The detail for a map drawn at `pixels_per_unit` (Viewport::Scale()).
MapDetail DetailFor(const MapStats& stats, double pixels_per_unit);

/// Fills every village with scale.At(values[v]), draws thin village borders,
/// dark outlines between groups, roads and markers on `canvas` within `view`, with the detail
/// DetailFor gives for the view's scale.
void DrawMap(Canvas& canvas, const Viewport& view, const MapLayers& layers,
             const std::vector<double>& values, const ColourScale& scale);
/// The same with the detail given.
void DrawMap(Canvas& canvas, const Viewport& view, const MapLayers& layers,
             const std::vector<double>& values, const ColourScale& scale, const MapDetail& detail);

/// Which labels to write at this zoom (indices into layers.labels, in order): a unit's name
/// when the unit is at least as wide on screen as its name and its anchor is in view, more
/// important units first, never one name over another. `text_width` measures a name in
/// pixels; names are `text_height` pixels high, centred on their anchor. Both maps use it.
std::vector<int> PlaceLabels(const MapLayers& layers, const Viewport& view,
                             const std::function<double(const std::string&)>& text_width,
                             double text_height);

/// The pixel box of the region's villages in `view` (where nothing else may be drawn).
data::Box MapExtent(const Viewport& view, const MapLayers& layers);

}  // namespace cordon::render
