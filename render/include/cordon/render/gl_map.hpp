// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The map on the GPU (OpenGL 3.3 core): village polygons triangulated once
/// and uploaded with their village index; each village's value lives in a
/// float texture, so changing the day uploads one float per village and
/// never the geometry; the colour ramp is applied in the fragment shader
/// (the same ramp as the CPU renderer). Borders, roads and checkpoint
/// markers are line and point buffers, drawn with the detail the zoom allows
/// (DetailFor, as the CPU map). Needs a current GL context.

#include <memory>
#include <vector>

#include "cordon/render/colour_scale.hpp"
#include "cordon/render/map_image.hpp"

namespace cordon::render {

class GlMap {
 public:
  GlMap();
  ~GlMap();
  GlMap(const GlMap&) = delete;
  GlMap& operator=(const GlMap&) = delete;

  /// Triangulates and uploads the layers (once per scenario).
  void SetLayers(const MapLayers& layers);
  /// One value per village (e.g. infected per 1,000 on the shown day).
  void SetValues(const std::vector<double>& values);
  void SetScale(const ColourScale& scale) { scale_ = scale; }
  /// Marker radii (pixels) and colours, e.g. after a re-run.
  void SetMarkers(const std::vector<data::Point2>& at, const std::vector<Rgb>& colour,
                  const std::vector<int>& radius);

  /// Draws `world` fitted into the pixel rectangle `view` (top-left origin) of a
  /// framebuffer `framebuffer_height` pixels high. Aspect ratio is kept.
  void Draw(const Viewport& view, int framebuffer_height) const;

 private:
  struct Gpu;
  std::unique_ptr<Gpu> gpu_;
  ColourScale scale_;
  MapStats stats_;  ///< for the detail drawn at each zoom (DetailFor)
  data::Point2 origin_;
  int villages_ = 0;
};

}  // namespace cordon::render
