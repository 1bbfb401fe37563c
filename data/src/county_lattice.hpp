// SPDX-License-Identifier: Apache-2.0
#pragma once
// The lattice under the synthetic county: a jittered lattice of village
// cells, each split into g x g group cells, whose points are computed from
// their lattice keys, so neighbouring cells share their boundary vertices
// exactly; and the keyed random streams of the county generator.
#include <cstdint>
#include <utility>
#include <vector>

#include "cordon/data/geometry.hpp"
#include "keyed_random.hpp"

namespace cordon::data {

/// The random streams of the county generator, one per kind of draw, in one
/// list so that no two kinds of draw share a stream.
enum CountyStream : std::uint64_t {
  kVertexX = 1,
  kVertexY,
  kInnerX,
  kInnerY,
  kShape,
  kSeatX,
  kSeatY,
  kPopU,
  kPopV,
  kGroupW,
  kLoop,
  kName
};

/// Uniform in [0, 1) for the draw (stream, a, b) of the county with `seed`.
inline double CountyUniform(std::uint64_t seed, CountyStream stream, std::int64_t a,
                            std::int64_t b = 0) {
  return KeyedUniform(seed, stream, a, b);
}

/// pi, for the generator's angles (radians).
constexpr double kCountyPi = 3.14159265358979323846;

/// The lattice: coarse vertices (W+1) x (H+1) of village cells `side` metres
/// wide, and fine points on a g-times finer lattice (the group cells). Points
/// are named by keys (fine column, fine row) packed into one integer.
class Lattice {
 public:
  /// A lattice of w x h village cells of `side` metres, g x g groups per cell.
  Lattice(int w, int h, int g, double side, std::uint64_t seed)
      : w_(w), h_(h), g_(g), side_(side), seed_(seed) {}

  /// Coarse vertex (i, j), jittered by up to a quarter side (metres).
  Point2 Vertex(int i, int j) const;

  /// Fine lattice point (I, J) (metres): coarse vertices, points along
  /// coarse edges (interpolated from that edge's two vertices only, so both
  /// cells agree), or jittered interior points.
  Point2 Fine(std::int64_t I, std::int64_t J) const;

  /// The key of fine point (I, J).
  std::int64_t Key(std::int64_t I, std::int64_t J) const {
    return I * (static_cast<std::int64_t>(h_) * g_ + 1) + J;
  }

  /// The fine point of `key` (metres).
  Point2 FromKey(std::int64_t key) const;

  /// The points of `keys`, in order (metres).
  Ring RingOf(const std::vector<std::int64_t>& keys) const;

  /// Fine-point keys around the rectangle of fine cells [I0, I1) x [J0, J1), counter-clockwise.
  std::vector<std::int64_t> RectRing(std::int64_t I0, std::int64_t J0, std::int64_t I1,
                                     std::int64_t J1) const;

  /// The outline of coarse cell (i, j), counter-clockwise (metres).
  Ring CellRing(int i, int j) const;

  /// Keys of the fine points along side s (0 bottom, 1 right, 2 top, 3 left) of
  /// coarse cell (i, j), in counter-clockwise order, first point included, last excluded.
  std::vector<std::int64_t> Side(int i, int j, int s) const;

  int W() const { return w_; }  ///< village cells across
  int H() const { return h_; }  ///< village cells up
  int G() const { return g_; }  ///< group cells across one village cell

 private:
  int w_, h_, g_;
  double side_;  // metres
  std::uint64_t seed_;
};

/// A directed boundary edge between two fine points (keys), interior on the left.
using KeyEdge = std::pair<std::int64_t, std::int64_t>;

/// Chains directed boundary edges into rings; positive rings become outer
/// rings, negative ones holes of the outer ring that contains them.
MultiPolygon ChainRings(const Lattice& lattice, const std::vector<KeyEdge>& edges);

/// `p` moved by `by` (metres).
inline Point2 Translated(Point2 p, Point2 by) { return {p.x + by.x, p.y + by.y}; }

/// `shape` moved by `by` (metres).
MultiPolygon Translated(MultiPolygon shape, Point2 by);

}  // namespace cordon::data
