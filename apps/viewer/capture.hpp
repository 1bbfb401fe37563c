// SPDX-License-Identifier: Apache-2.0
#pragma once
/// What `--screenshot` writes besides the PNG, for tests: FILE.png.json with
/// the map rectangle, the colour scale, the day, every village's sample pixel
/// and value, every checkpoint marker's pixel and colour, and the legend bar.

#include <string>

#include "viewer/screen.hpp"
#include "viewer/viewer_state.hpp"

namespace cordon::viewer {

/// Writes the view description of the frame just drawn to `path`. Needs state.Run().
void WriteViewJson(const std::string& path, const ViewerState& state, const Screen& screen,
                   const render::Viewport& map);

}  // namespace cordon::viewer
