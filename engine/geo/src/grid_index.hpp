// SPDX-License-Identifier: Apache-2.0
#pragma once
// A uniform grid over boxes for "what is near here" queries (patches, road
// nodes, road segments). Built once from all items, then read-only, so it is
// safe to query from many threads.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "cordon/data/geometry.hpp"

namespace cordon::geo {

class GridIndex {
 public:
  /// Indexes items 0..boxes.size()-1; `cell` <= 0 picks a size that puts about one item per cell.
  explicit GridIndex(const std::vector<data::Box>& boxes, double cell = 0.0) {
    for (const auto& b : boxes) extent_.Add(b);
    if (extent_.Empty()) extent_.Add(data::Point2{0, 0});
    const double w = std::max(extent_.max_x - extent_.min_x, 1e-9);
    const double h = std::max(extent_.max_y - extent_.min_y, 1e-9);
    if (cell <= 0) cell = std::sqrt(w * h / std::max<std::size_t>(boxes.size(), 1));
    cell_ = std::max({cell, w / 4096.0, h / 4096.0, 1e-9});
    nx_ = static_cast<int>(w / cell_) + 1;
    ny_ = static_cast<int>(h / cell_) + 1;
    std::vector<std::pair<std::int64_t, int>> entries;
    for (std::size_t k = 0; k < boxes.size(); ++k) {
      if (boxes[k].Empty()) continue;
      int x0, y0, x1, y1;
      Cells(boxes[k], 0.0, x0, y0, x1, y1);
      for (int y = y0; y <= y1; ++y)
        for (int x = x0; x <= x1; ++x)
          entries.push_back({std::int64_t(y) * nx_ + x, static_cast<int>(k)});
    }
    std::sort(entries.begin(), entries.end());
    offsets_.assign(std::size_t(nx_) * ny_ + 1, 0);
    items_.reserve(entries.size());
    for (const auto& e : entries) {
      ++offsets_[e.first + 1];
      items_.push_back(e.second);
    }
    for (std::size_t c = 1; c < offsets_.size(); ++c) offsets_[c] += offsets_[c - 1];
  }

  /// Calls fn(item) for every item whose cells meet `box` grown by `margin`;
  /// an item spanning several cells may be reported more than once.
  template <typename Fn>
  void Query(const data::Box& box, double margin, Fn&& fn) const {
    int x0, y0, x1, y1;
    Cells(box, margin, x0, y0, x1, y1);
    for (int y = y0; y <= y1; ++y)
      for (int x = x0; x <= x1; ++x) {
        const std::int64_t c = std::int64_t(y) * nx_ + x;
        for (std::int64_t k = offsets_[c]; k < offsets_[c + 1]; ++k) fn(items_[k]);
      }
  }

  /// The item nearest to p by `distance(item)` (-1 when the index is empty);
  /// the search grows until the found distance is inside the searched box.
  template <typename Distance>
  int Nearest(data::Point2 p, Distance&& distance) const {
    data::Box b;
    b.Add(p);
    int found = -1;
    double best = 1e300;
    for (double r = cell_; found < 0 || r < best; r *= 2) {
      Query(b, r, [&](int item) {
        const double d = distance(item);
        if (d < best) best = d, found = item;
      });
      if (r > 1e8) break;
    }
    return found;
  }

  double CellSize() const { return cell_; }

 private:
  void Cells(const data::Box& b, double margin, int& x0, int& y0, int& x1, int& y1) const {
    auto clampx = [&](double v) {
      return std::clamp(static_cast<int>(std::floor((v - extent_.min_x) / cell_)), 0, nx_ - 1);
    };
    auto clampy = [&](double v) {
      return std::clamp(static_cast<int>(std::floor((v - extent_.min_y) / cell_)), 0, ny_ - 1);
    };
    x0 = clampx(b.min_x - margin);
    x1 = clampx(b.max_x + margin);
    y0 = clampy(b.min_y - margin);
    y1 = clampy(b.max_y + margin);
  }

  data::Box extent_;
  double cell_ = 1.0;
  int nx_ = 1, ny_ = 1;
  std::vector<std::int64_t> offsets_;
  std::vector<int> items_;
};

}  // namespace cordon::geo
