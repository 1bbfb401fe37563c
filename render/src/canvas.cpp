// SPDX-License-Identifier: Apache-2.0
#include "cordon/render/canvas.hpp"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <cmath>
#include <filesystem>
#include <stdexcept>

#include "cordon/base/atomic_file.hpp"
#include "cordon/base/error.hpp"

namespace cordon::render {
namespace {

// Fonts in fallback order: Chinese first (it covers Latin too), then DejaVu for the rest.
constexpr const char* kFontFamilies = "WenQuanYi Micro Hei, DejaVu Sans, sans-serif";

void SetColour(cairo_t* cr, Rgb c) {
  cairo_set_source_rgb(cr, c.r / 255.0, c.g / 255.0, c.b / 255.0);
}

}  // namespace

struct Canvas::Impl {
  cairo_surface_t* surface = nullptr;
  cairo_t* cr = nullptr;
  PangoLayout* layout = nullptr;
  std::string path, temp;  ///< file canvases: the file and the name it is written under

  ~Impl() {
    if (layout) g_object_unref(layout);
    if (cr) cairo_destroy(cr);
    if (surface) cairo_surface_destroy(surface);
    if (!temp.empty()) {
      std::error_code ec;
      std::filesystem::remove(temp, ec);  // unfinished: no partial file is left behind
    }
  }

  // The layout set to `text` at `size` pixels; its logical extent in pixels.
  std::pair<double, double> Layout(const std::string& text, double size, bool bold) {
    if (!layout) layout = pango_cairo_create_layout(cr);
    PangoFontDescription* font = pango_font_description_from_string(kFontFamilies);
    pango_font_description_set_absolute_size(font, size * PANGO_SCALE);
    if (bold) pango_font_description_set_weight(font, PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(layout, font);
    pango_font_description_free(font);
    pango_layout_set_text(layout, text.c_str(), int(text.size()));
    int w = 0, h = 0;
    pango_layout_get_pixel_size(layout, &w, &h);
    return {double(w), double(h)};
  }
};

Canvas::Canvas(std::unique_ptr<Impl> impl, int width, int height)
    : impl_(std::move(impl)), width_(width), height_(height) {}

Canvas::Canvas(int width, int height, Rgb background) : width_(width), height_(height) {
  impl_ = std::make_unique<Impl>();
  impl_->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
  impl_->cr = cairo_create(impl_->surface);
  if (cairo_status(impl_->cr) != CAIRO_STATUS_SUCCESS)
    throw std::runtime_error("cannot make a " + std::to_string(width) + "x" +
                             std::to_string(height) + " image");
  FillRect(0, 0, width, height, background);
}

Canvas Canvas::File(const std::string& path, int width, int height, Rgb background) {
  const std::string ext = std::filesystem::path(path).extension().string();
  if (ext != ".svg" && ext != ".pdf")
    throw InputError(SourceRef{path}, "a vector figure is .svg or .pdf");
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->temp = TempPathFor(path);
  impl->surface = ext == ".svg" ? cairo_svg_surface_create(impl->temp.c_str(), width, height)
                                : cairo_pdf_surface_create(impl->temp.c_str(), width, height);
  impl->cr = cairo_create(impl->surface);
  if (cairo_surface_status(impl->surface) != CAIRO_STATUS_SUCCESS)
    throw std::runtime_error(path + ": cannot be written");
  Canvas canvas(std::move(impl), width, height);
  canvas.FillRect(0, 0, width, height, background);
  return canvas;
}

Canvas::Canvas(Canvas&&) noexcept = default;
Canvas& Canvas::operator=(Canvas&&) noexcept = default;
Canvas::~Canvas() = default;

void Canvas::FillRings(const std::vector<std::vector<PixelPoint>>& rings, Rgb colour) {
  cairo_t* cr = impl_->cr;
  cairo_new_path(cr);
  for (const auto& ring : rings) {
    if (ring.size() < 3) continue;
    cairo_move_to(cr, ring.front().first, ring.front().second);
    for (std::size_t i = 1; i < ring.size(); ++i) cairo_line_to(cr, ring[i].first, ring[i].second);
    cairo_close_path(cr);
  }
  cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
  SetColour(cr, colour);
  cairo_fill(cr);
}

void Canvas::Line(PixelPoint a, PixelPoint b, Rgb colour, double width, bool dashed) {
  cairo_t* cr = impl_->cr;
  cairo_new_path(cr);
  cairo_move_to(cr, a.first, a.second);
  cairo_line_to(cr, b.first, b.second);
  const double dash[] = {6.0, 6.0};
  cairo_set_dash(cr, dash, dashed ? 2 : 0, 0.0);
  cairo_set_line_width(cr, width);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
  SetColour(cr, colour);
  cairo_stroke(cr);
  cairo_set_dash(cr, nullptr, 0, 0.0);
}

void Canvas::Polyline(const std::vector<PixelPoint>& points, Rgb colour, double width,
                      bool dashed) {
  if (points.size() < 2) return;
  cairo_t* cr = impl_->cr;
  cairo_new_path(cr);
  cairo_move_to(cr, points.front().first, points.front().second);
  for (std::size_t i = 1; i < points.size(); ++i)
    cairo_line_to(cr, points[i].first, points[i].second);
  cairo_set_line_width(cr, width);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
  const double dash[] = {6.0, 6.0};
  cairo_set_dash(cr, dash, dashed ? 2 : 0, 0.0);
  SetColour(cr, colour);
  cairo_stroke(cr);
  cairo_set_dash(cr, nullptr, 0, 0.0);
}

void Canvas::FillRect(double x, double y, double w, double h, Rgb colour) {
  cairo_t* cr = impl_->cr;
  cairo_new_path(cr);
  cairo_rectangle(cr, x, y, w, h);
  SetColour(cr, colour);
  cairo_fill(cr);
}

void Canvas::Disc(PixelPoint centre, double r, Rgb fill, Rgb ring, double ring_width) {
  cairo_t* cr = impl_->cr;
  cairo_new_path(cr);
  cairo_arc(cr, centre.first, centre.second, r, 0.0, 2.0 * M_PI);
  SetColour(cr, fill);
  if (ring_width <= 0.0) return cairo_fill(cr);
  cairo_fill_preserve(cr);
  cairo_set_line_width(cr, ring_width);
  SetColour(cr, ring);
  cairo_stroke(cr);
}

double Canvas::Text(double x, double y, const std::string& text, double size, Rgb colour,
                    TextAlign align, bool bold) {
  const auto [w, h] = impl_->Layout(text, size, bold);
  const double left = align == TextAlign::kLeft     ? x
                      : align == TextAlign::kCentre ? x - w / 2
                                                    : x - w;
  cairo_t* cr = impl_->cr;
  cairo_move_to(cr, left, y);
  SetColour(cr, colour);
  pango_cairo_show_layout(cr, impl_->layout);
  cairo_new_path(cr);
  return w;
}

double Canvas::TextWidth(const std::string& text, double size, bool bold) {
  return impl_->Layout(text, size, bold).first;
}

Image Canvas::ToImage() const {
  if (!impl_->path.empty()) throw std::logic_error("ToImage on a file canvas");
  cairo_surface_flush(impl_->surface);
  const unsigned char* data = cairo_image_surface_get_data(impl_->surface);
  const int stride = cairo_image_surface_get_stride(impl_->surface);
  Image out(width_, height_, Rgb{});
  for (int y = 0; y < height_; ++y) {
    const auto* row = reinterpret_cast<const std::uint32_t*>(data + std::ptrdiff_t(y) * stride);
    std::uint8_t* px = out.rgb.data() + std::size_t(y) * std::size_t(width_) * 3;
    for (int x = 0; x < width_; ++x) {  // RGB24: 0x00RRGGBB in native byte order
      px[3 * x] = std::uint8_t(row[x] >> 16);
      px[3 * x + 1] = std::uint8_t(row[x] >> 8);
      px[3 * x + 2] = std::uint8_t(row[x]);
    }
  }
  return out;
}

void Canvas::Finish() {
  if (impl_->path.empty()) return;
  cairo_surface_finish(impl_->surface);
  if (cairo_surface_status(impl_->surface) != CAIRO_STATUS_SUCCESS)
    throw std::runtime_error(impl_->path + ": cannot be written");
  CommitFinishedFile(impl_->temp, impl_->path);
  impl_->temp.clear();
}

void WritePng(const Image& image, const std::string& path) {
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, image.width, image.height);
  unsigned char* data = cairo_image_surface_get_data(s);
  const int stride = cairo_image_surface_get_stride(s);
  for (int y = 0; y < image.height; ++y) {
    auto* row = reinterpret_cast<std::uint32_t*>(data + std::ptrdiff_t(y) * stride);
    const std::uint8_t* px = image.rgb.data() + std::size_t(y) * std::size_t(image.width) * 3;
    for (int x = 0; x < image.width; ++x)
      row[x] = (std::uint32_t(px[3 * x]) << 16) | (std::uint32_t(px[3 * x + 1]) << 8) |
               std::uint32_t(px[3 * x + 2]);
  }
  cairo_surface_mark_dirty(s);
  AtomicFile file(path);
  auto write = [](void* closure, const unsigned char* bytes, unsigned int n) {
    static_cast<std::ostream*>(closure)->write(reinterpret_cast<const char*>(bytes), n);
    return CAIRO_STATUS_SUCCESS;
  };
  const cairo_status_t status = cairo_surface_write_to_png_stream(s, write, &file.Stream());
  cairo_surface_destroy(s);
  if (status != CAIRO_STATUS_SUCCESS) throw std::runtime_error(path + ": cannot encode the PNG");
  file.Commit();
}

}  // namespace cordon::render
