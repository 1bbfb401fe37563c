// SPDX-License-Identifier: Apache-2.0
#pragma once
/// A value over two keys as a table of coloured cells (a heatmap) with the value written in
/// each: how a two-key sweep's metric varies over its grid (`cordon sweep`'s
/// sweep_METRIC.png).

#include <string>
#include <vector>

#include "cordon/render/image.hpp"

namespace cordon::render {

struct GridChart {
  std::string title;                       ///< above the grid
  std::string row_key;                     ///< what the rows vary (down the left side)
  std::string column_key;                  ///< what the columns vary (along the top)
  std::string value_label;                 ///< the legend's title
  std::vector<std::string> rows, columns;  ///< each key's values as text, in order
  std::vector<double> values;              ///< rows x columns, row by row (NaN: none)
  int width = 960, height = 640;           ///< pixels
  double text_size = 14.0;                 ///< pixel height of labels; the title is 1.4x
};

/// Draws the chart: cells coloured on a ramp from the smallest to the largest value (the
/// legend below), each with its value to three significant digits. Throws
/// std::invalid_argument when values does not hold rows x columns numbers.
Image PlotGrid(const GridChart& chart);

}  // namespace cordon::render
