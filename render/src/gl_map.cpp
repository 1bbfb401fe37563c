// SPDX-License-Identifier: Apache-2.0
// Mesa's libGL exports every core function, so prototypes suffice (no loader).
#define GL_GLEXT_PROTOTYPES 1
#include "cordon/render/gl_map.hpp"

#include <GL/gl.h>
#include <GL/glext.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <string>

#include "cordon/render/frame_style.hpp"
#include "cordon/render/triangulate.hpp"

namespace cordon::render {
namespace {

constexpr int kTextureWidth = 4096;  // values wrap into rows of this many villages

// The CPU Ramp() in GLSL: viridis through five stops.
const char* kRamp = R"(
vec3 Ramp(float t) {
  const vec3 s0 = vec3(68, 1, 84) / 255.0, s1 = vec3(59, 82, 139) / 255.0, s2 = vec3(33, 145, 140) / 255.0;
  const vec3 s3 = vec3(94, 201, 98) / 255.0, s4 = vec3(253, 231, 37) / 255.0;
  t = clamp(t, 0.0, 1.0) * 4.0;
  int i = min(3, int(t));
  float f = t - float(i);
  vec3 a = i == 0 ? s0 : i == 1 ? s1 : i == 2 ? s2 : s3;
  vec3 b = i == 0 ? s1 : i == 1 ? s2 : i == 2 ? s3 : s4;
  return a + f * (b - a);
}
)";

const char* kFillVertex = R"(#version 330 core
layout(location = 0) in vec2 pos;
layout(location = 1) in float village;
uniform vec2 scale;
uniform vec2 offset;
uniform sampler2D values;
flat out float value;
void main() {
  int i = int(village + 0.5);
  value = texelFetch(values, ivec2(i % 4096, i / 4096), 0).r;
  gl_Position = vec4(pos * scale + offset, 0.0, 1.0);
}
)";

const std::string kFillFragment = std::string(R"(#version 330 core
flat in float value;
uniform float vmin;
uniform float vmax;
uniform int logscale;
uniform int diverging;
out vec4 colour;
)") + kRamp + R"(
vec3 Diverging(float t) {
  t = clamp(t, 0.0, 1.0);
  vec3 end = t < 0.5 ? vec3(33, 102, 172) / 255.0 : vec3(178, 24, 43) / 255.0;
  float f = t < 0.5 ? (0.5 - t) * 2.0 : (t - 0.5) * 2.0;
  return vec3(1.0) + f * (end - vec3(1.0));
}
void main() {
  float t;
  if (logscale == 1) {
    float lo = log(max(vmin, 1e-12)) / log(10.0), hi = log(max(vmax, 1e-12)) / log(10.0);
    t = value <= 0.0 ? 0.0 : (log(value) / log(10.0) - lo) / max(hi - lo, 1e-12);
  } else {
    t = (value - vmin) / max(vmax - vmin, 1e-30);
  }
  // No value (population 0, a metric the model lacks): kMapStyle.no_data, never the scale's.
  if (isnan(value)) {
    colour = vec4(vec3(190.0, 190.0, 190.0) / 255.0, 1.0);
    return;
  }
  colour = vec4(diverging == 1 ? Diverging(t) : Ramp(t), 1.0);
}
)";

const char* kLineVertex = R"(#version 330 core
layout(location = 0) in vec2 pos;
layout(location = 1) in vec3 rgb;
layout(location = 2) in float size;
uniform vec2 scale;
uniform vec2 offset;
uniform float marker_scale;  // MapDetail: markers thinned where they would bury the map
uniform float min_marker_px;
out vec3 colour_v;
void main() {
  colour_v = rgb;
  float radius = (size - 3.0) * 0.5 * marker_scale;  // size = 2 r + 3 (the ring)
  gl_PointSize = 2.0 * radius + 3.0 * min(1.0, marker_scale);
  gl_Position = vec4(pos * scale + offset, 0.0, 1.0);
  if (size > 1.5 && radius < min_marker_px) gl_Position = vec4(2.0, 2.0, 2.0, 1.0);  // clipped
}
)";

const char* kLineFragment = R"(#version 330 core
in vec3 colour_v;
uniform int round_points;
out vec4 colour;
void main() {
  if (round_points == 1) {
    vec2 d = gl_PointCoord - vec2(0.5);
    float r = length(d);
    if (r > 0.5) discard;
    colour = vec4(r > 0.38 ? vec3(1.0) : colour_v, 1.0);
  } else {
    colour = vec4(colour_v, 1.0);
  }
}
)";

GLuint Compile(GLenum kind, const std::string& source) {
  const GLuint s = glCreateShader(kind);
  const char* text = source.c_str();
  glShaderSource(s, 1, &text, nullptr);
  glCompileShader(s);
  GLint ok = 0;
  glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    char log[2048];
    glGetShaderInfoLog(s, sizeof log, nullptr, log);
    throw std::runtime_error(std::string("GL shader: ") + log);
  }
  return s;
}

GLuint Program(const std::string& vs, const std::string& fs) {
  const GLuint p = glCreateProgram();
  const GLuint v = Compile(GL_VERTEX_SHADER, vs), f = Compile(GL_FRAGMENT_SHADER, fs);
  glAttachShader(p, v);
  glAttachShader(p, f);
  glLinkProgram(p);
  glDeleteShader(v);
  glDeleteShader(f);
  GLint ok = 0;
  glGetProgramiv(p, GL_LINK_STATUS, &ok);
  if (!ok) throw std::runtime_error("GL program does not link");
  return p;
}

// Vertex layout of lines and points: x, y, r, g, b, size.
struct ColouredVertex {
  float x, y, r, g, b, size;
};

void UploadColoured(GLuint vao, GLuint vbo, const std::vector<ColouredVertex>& v) {
  glBindVertexArray(vao);
  glBindBuffer(GL_ARRAY_BUFFER, vbo);
  glBufferData(GL_ARRAY_BUFFER, GLsizeiptr(v.size() * sizeof(ColouredVertex)), v.data(),
               GL_STATIC_DRAW);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, sizeof(ColouredVertex), nullptr);
  glVertexAttribPointer(1, 3, GL_FLOAT, GL_FALSE, sizeof(ColouredVertex),
                        reinterpret_cast<void*>(2 * sizeof(float)));
  glVertexAttribPointer(2, 1, GL_FLOAT, GL_FALSE, sizeof(ColouredVertex),
                        reinterpret_cast<void*>(5 * sizeof(float)));
  glEnableVertexAttribArray(0);
  glEnableVertexAttribArray(1);
  glEnableVertexAttribArray(2);
}

}  // namespace

struct GlMap::Gpu {
  GLuint fill = 0, lines = 0;
  GLuint fill_vao = 0, fill_vbo = 0, border_vao = 0, border_vbo = 0, marker_vao = 0, marker_vbo = 0;
  GLuint values = 0;
  GLsizei fill_count = 0, border_count = 0, marker_count = 0;
  /// The lines in order: inner borders, roads, group outlines, then the region border.
  GLsizei inner_count = 0, road_count = 0, outline_count = 0;
};

GlMap::GlMap() : gpu_(std::make_unique<Gpu>()) {
  gpu_->fill = Program(kFillVertex, kFillFragment);
  gpu_->lines = Program(kLineVertex, kLineFragment);
  glGenVertexArrays(1, &gpu_->fill_vao);
  glGenVertexArrays(1, &gpu_->border_vao);
  glGenVertexArrays(1, &gpu_->marker_vao);
  glGenBuffers(1, &gpu_->fill_vbo);
  glGenBuffers(1, &gpu_->border_vbo);
  glGenBuffers(1, &gpu_->marker_vbo);
  glGenTextures(1, &gpu_->values);
}

GlMap::~GlMap() {
  glDeleteProgram(gpu_->fill);
  glDeleteProgram(gpu_->lines);
  const GLuint vaos[] = {gpu_->fill_vao, gpu_->border_vao, gpu_->marker_vao};
  const GLuint vbos[] = {gpu_->fill_vbo, gpu_->border_vbo, gpu_->marker_vbo};
  glDeleteVertexArrays(3, vaos);
  glDeleteBuffers(3, vbos);
  glDeleteTextures(1, &gpu_->values);
}

void GlMap::SetLayers(const MapLayers& layers) {
  data::Box box;
  for (const auto& v : layers.villages) box.Add(data::Bounds(v));
  origin_ = box.Empty() ? data::Point2{} : box.Center();
  villages_ = static_cast<int>(layers.villages.size());
  std::vector<float> fill;  // x, y, village
  // Holes under a pixel of a 4,000-pixel view of the whole region are filled (the data's
  // pinholes: 1,147 in Hanoi province alone showed as white specks).
  const double pixel = std::max(box.max_x - box.min_x, box.max_y - box.min_y) / 4000.0;
  const double min_hole = box.Empty() ? 0.0 : pixel * pixel;
  for (std::size_t v = 0; v < layers.villages.size(); ++v)
    for (const auto& poly : layers.villages[v])
      for (const auto& p : Triangulate(poly, min_hole))
        fill.insert(fill.end(), {float(p.x - origin_.x), float(p.y - origin_.y), float(v)});
  glBindVertexArray(gpu_->fill_vao);
  glBindBuffer(GL_ARRAY_BUFFER, gpu_->fill_vbo);
  glBufferData(GL_ARRAY_BUFFER, GLsizeiptr(fill.size() * sizeof(float)), fill.data(),
               GL_STATIC_DRAW);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 3 * sizeof(float), nullptr);
  glVertexAttribPointer(1, 1, GL_FLOAT, GL_FALSE, 3 * sizeof(float),
                        reinterpret_cast<void*>(2 * sizeof(float)));
  glEnableVertexAttribArray(0);
  glEnableVertexAttribArray(1);
  gpu_->fill_count = static_cast<GLsizei>(fill.size() / 3);

  // Borders (light), then roads (brown) as line pairs.
  std::vector<ColouredVertex> lines;
  auto add = [&](data::Point2 a, data::Point2 b, Rgb c) {
    lines.push_back(
        {float(a.x - origin_.x), float(a.y - origin_.y), c.r / 255.f, c.g / 255.f, c.b / 255.f, 1});
    lines.push_back(
        {float(b.x - origin_.x), float(b.y - origin_.y), c.r / 255.f, c.g / 255.f, c.b / 255.f, 1});
  };
  // Borders, roads and markers in the frames' style (frame_style.hpp), lines 1 px wide.
  const MapStyle& style = kMapStyle;
  stats_ = StatsOf(layers);  // (StatsOf's marker area is replaced by SetMarkers')
  std::vector<ColouredVertex> outline, dark;
  std::vector<BorderEdge> classified;
  const std::vector<BorderEdge>& borders =
      layers.borders.empty() ? (classified = ClassifyBorders(layers)) : layers.borders;
  for (const auto& e : borders) {
    if (e.ring_size * e.ring_size < min_hole) continue;  // a ring under a pixel: filled above
    if (e.kind == BorderKind::kInner) {
      add(e.a, e.b, style.inner_border.colour);
      continue;
    }
    const bool region = e.kind == BorderKind::kRegion;
    const Rgb c = region ? style.region_border.colour : style.outline.colour;
    for (const auto p : {e.a, e.b})
      (region ? dark : outline)
          .push_back({float(p.x - origin_.x), float(p.y - origin_.y), c.r / 255.f, c.g / 255.f,
                      c.b / 255.f, 1});
  }
  gpu_->inner_count = static_cast<GLsizei>(lines.size());
  for (std::size_t k = 0; k < layers.roads.size(); ++k)
    add(layers.roads[k].first, layers.roads[k].second,
        k < layers.road_colour.size() ? layers.road_colour[k] : style.road.colour);
  gpu_->road_count = static_cast<GLsizei>(lines.size()) - gpu_->inner_count;
  lines.insert(lines.end(), outline.begin(), outline.end());
  gpu_->outline_count = static_cast<GLsizei>(outline.size());
  lines.insert(lines.end(), dark.begin(), dark.end());  // drawn last, on top
  UploadColoured(gpu_->border_vao, gpu_->border_vbo, lines);
  gpu_->border_count = static_cast<GLsizei>(lines.size());
  // Gates as markers after the checkpoints.
  std::vector<data::Point2> at = layers.checkpoints;
  std::vector<Rgb> colour = layers.checkpoint_colour;
  std::vector<int> radius = layers.checkpoint_radius;
  colour.resize(at.size(), style.marker);
  radius.resize(at.size(), 3);
  for (const auto& g : layers.gates)
    at.push_back(g), colour.push_back(style.gate), radius.push_back(int(style.gate_size / 2) + 1);
  SetMarkers(at, colour, radius);
  SetValues(std::vector<double>(layers.villages.size(), 0.0));
}

void GlMap::SetMarkers(const std::vector<data::Point2>& at, const std::vector<Rgb>& colour,
                       const std::vector<int>& radius) {
  std::vector<ColouredVertex> points;
  stats_.marker_area = 0.0;
  for (std::size_t k = 0; k < at.size(); ++k) {
    const Rgb c = k < colour.size() ? colour[k] : kMapStyle.marker;
    const float size = 2.0f * (k < radius.size() ? radius[k] : 3) + 3.0f;
    stats_.marker_area += M_PI * size * size / 4.0;
    points.push_back({float(at[k].x - origin_.x), float(at[k].y - origin_.y), c.r / 255.f,
                      c.g / 255.f, c.b / 255.f, size});
  }
  UploadColoured(gpu_->marker_vao, gpu_->marker_vbo, points);
  gpu_->marker_count = static_cast<GLsizei>(points.size());
}

void GlMap::SetValues(const std::vector<double>& values) {
  const int rows = std::max(1, (villages_ + kTextureWidth - 1) / kTextureWidth);
  std::vector<float> texels(std::size_t(kTextureWidth) * rows, 0.0f);
  for (std::size_t i = 0; i < values.size() && i < texels.size(); ++i)
    texels[i] = static_cast<float>(values[i]);
  glBindTexture(GL_TEXTURE_2D, gpu_->values);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, kTextureWidth, rows, 0, GL_RED, GL_FLOAT, texels.data());
}

void GlMap::Draw(const Viewport& view, int framebuffer_height) const {
  glViewport(view.x0, framebuffer_height - view.y0 - view.height, view.width, view.height);
  glEnable(GL_SCISSOR_TEST);
  glScissor(view.x0, framebuffer_height - view.y0 - view.height, view.width, view.height);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_BLEND);
  // Pixel -> NDC for the same fit as Viewport::ToPixel.
  const double ww = std::max(view.world.max_x - view.world.min_x, 1e-9);
  const double wh = std::max(view.world.max_y - view.world.min_y, 1e-9);
  const double s = std::min(view.width / ww, view.height / wh);
  const double sx = 2 * s / view.width, sy = 2 * s / view.height;
  const data::Point2 centre = view.world.Center();
  const float scale[2] = {float(sx), float(sy)};
  const float offset[2] = {float((origin_.x - centre.x) * sx), float((origin_.y - centre.y) * sy)};

  glUseProgram(gpu_->fill);
  glUniform2fv(glGetUniformLocation(gpu_->fill, "scale"), 1, scale);
  glUniform2fv(glGetUniformLocation(gpu_->fill, "offset"), 1, offset);
  glUniform1f(glGetUniformLocation(gpu_->fill, "vmin"), float(scale_.min));
  glUniform1f(glGetUniformLocation(gpu_->fill, "vmax"), float(scale_.max));
  glUniform1i(glGetUniformLocation(gpu_->fill, "logscale"), scale_.log ? 1 : 0);
  glUniform1i(glGetUniformLocation(gpu_->fill, "diverging"), scale_.diverging ? 1 : 0);
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, gpu_->values);
  glUniform1i(glGetUniformLocation(gpu_->fill, "values"), 0);
  glBindVertexArray(gpu_->fill_vao);
  glDrawArrays(GL_TRIANGLES, 0, gpu_->fill_count);

  const MapDetail detail = DetailFor(stats_, s);
  glUseProgram(gpu_->lines);
  glUniform2fv(glGetUniformLocation(gpu_->lines, "scale"), 1, scale);
  glUniform2fv(glGetUniformLocation(gpu_->lines, "offset"), 1, offset);
  glUniform1f(glGetUniformLocation(gpu_->lines, "marker_scale"), float(detail.marker_scale));
  glUniform1f(glGetUniformLocation(gpu_->lines, "min_marker_px"), float(detail.min_marker_px));
  glUniform1i(glGetUniformLocation(gpu_->lines, "round_points"), 0);
  glBindVertexArray(gpu_->border_vao);
  // Inner borders, roads and group outlines as the detail allows, then the region border.
  const GLsizei outlines = gpu_->inner_count + gpu_->road_count;
  const GLsizei region = outlines + gpu_->outline_count;
  if (detail.inner_borders) glDrawArrays(GL_LINES, 0, gpu_->inner_count);
  if (detail.roads) glDrawArrays(GL_LINES, gpu_->inner_count, gpu_->road_count);
  if (detail.outlines) glDrawArrays(GL_LINES, outlines, gpu_->outline_count);
  glDrawArrays(GL_LINES, region, gpu_->border_count - region);
  glEnable(GL_PROGRAM_POINT_SIZE);
  glUniform1i(glGetUniformLocation(gpu_->lines, "round_points"), 1);
  glBindVertexArray(gpu_->marker_vao);
  glDrawArrays(GL_POINTS, 0, gpu_->marker_count);
  glBindVertexArray(0);
  glUseProgram(0);
  glDisable(GL_SCISSOR_TEST);
}

}  // namespace cordon::render
