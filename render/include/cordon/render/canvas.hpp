// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Where `cordon render`, reports and tests draw: Cairo (antialiased paths)
/// and Pango (text in any script, found by fontconfig: WenQuanYi Micro Hei for
/// Chinese, DejaVu Sans otherwise) on an image in memory or on an SVG or PDF
/// file. Units are pixels (points in SVG/PDF), (0, 0) at the top left.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cordon/render/image.hpp"

namespace cordon::render {

/// A point in canvas units.
using PixelPoint = std::pair<double, double>;

/// Horizontal anchor of a text: its left end, centre or right end at x.
enum class TextAlign { kLeft, kCentre, kRight };

class Canvas {
 public:
  /// An RGB image of width x height pixels filled with `background`.
  Canvas(int width, int height, Rgb background);
  /// A vector figure of width x height points, written to `path` (.svg or .pdf) by Finish().
  /// Throws InputError for another extension.
  static Canvas File(const std::string& path, int width, int height, Rgb background);
  Canvas(Canvas&&) noexcept;
  Canvas& operator=(Canvas&&) noexcept;
  ~Canvas();

  int Width() const { return width_; }
  int Height() const { return height_; }

  /// Fills the rings (outer rings and holes; even-odd rule), antialiased.
  void FillRings(const std::vector<std::vector<PixelPoint>>& rings, Rgb colour);
  /// A straight line `width` wide (round caps); dashed: 6 on, 6 off.
  void Line(PixelPoint a, PixelPoint b, Rgb colour, double width, bool dashed = false);
  /// A polyline through `points`; dashed: 6 on, 6 off.
  void Polyline(const std::vector<PixelPoint>& points, Rgb colour, double width,
                bool dashed = false);
  void FillRect(double x, double y, double w, double h, Rgb colour);
  /// A disc of radius r with a ring `ring_width` wide around it (0: none).
  void Disc(PixelPoint centre, double r, Rgb fill, Rgb ring, double ring_width);
  /// Draws UTF-8 `text` with its top at y and its anchor at x; `size` is the font's pixel
  /// height. Returns the text's width.
  double Text(double x, double y, const std::string& text, double size, Rgb colour,
              TextAlign align = TextAlign::kLeft, bool bold = false);
  /// The width `text` would take at `size`.
  double TextWidth(const std::string& text, double size, bool bold = false);

  /// The pixels of an image canvas (throws std::logic_error for a file canvas).
  Image ToImage() const;
  /// Writes a file canvas (under a temporary name, renamed when complete). Throws
  /// std::runtime_error when the file cannot be written.
  void Finish();

 private:
  struct Impl;
  Canvas(std::unique_ptr<Impl> impl, int width, int height);
  std::unique_ptr<Impl> impl_;
  int width_ = 0, height_ = 0;
};

}  // namespace cordon::render
