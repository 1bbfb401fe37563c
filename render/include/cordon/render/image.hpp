// SPDX-License-Identifier: Apache-2.0
#pragma once
/// An RGB image in memory (frames for video, screenshots, pixel tests) and
/// its PNG file (compressed, through Cairo's libpng; written in canvas.cpp).

#include <cstdint>
#include <string>
#include <vector>

namespace cordon::render {

struct Rgb {
  std::uint8_t r = 0, g = 0, b = 0;
  bool operator==(const Rgb&) const = default;
};

/// Row-major RGB pixels, (0, 0) at the top left.
struct Image {
  int width = 0, height = 0;
  std::vector<std::uint8_t> rgb;  ///< 3 bytes per pixel

  Image() = default;
  Image(int w, int h, Rgb fill);
  Rgb At(int x, int y) const;
  /// Sets a pixel; outside the image does nothing.
  void Set(int x, int y, Rgb c);
};

/// Writes `image` as PNG, under a temporary name renamed when complete.
/// Throws std::runtime_error when the file cannot be written.
void WritePng(const Image& image, const std::string& path);

}  // namespace cordon::render
