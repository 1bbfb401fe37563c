// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Relocation mobility (docs/model.md, "Relocation"; Li et al. 2020): the travellers of a
/// day move i -> j and stay. Holds the daily traveller matrices (TripMatrix M(i, j),
/// persons per day), their sums per patch, and, when checkpoints stand on the routes, where
/// each day's pairs sit among the network's trips, so that a switch segment's pass
/// fractions gate them and its checkpoints count them.
///
/// Which matrix a step reads (docs/model.md, "Days and dates"): the step in [d, d + 1)
/// forms the flows of day d + 1, so it reads that day's matrix; before the first and after
/// the last matrix the nearest one holds.
///
/// Threading: a Relocation is immutable; each Workspace holds its own RelocationCache.

#include <Eigen/Core>
#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

#include "cordon/sim/interventions.hpp"  // Segment, kNumCheckpointCounters
#include "cordon/sim/network.hpp"

namespace cordon::sim {

/// A workspace's travellers of one (segment, day, scale) after the checkpoints.
struct RelocationCache {
  std::pair<int, int> key{-1, -1};   ///< (segment index, matrix index) it was made for
  double scale = -1.0;               ///< the mobility scale (theta) `counters` was made with
  TripMatrix moving;                 ///< persons per day: each pair times its pass fraction
  Eigen::ArrayXd arriving, leaving;  ///< row and column sums of `moving`, persons per day
  Eigen::ArrayXXd counters;          ///< K x kNumCheckpointCounters, persons per day, scaled
};

class Relocation {
 public:
  Relocation() = default;
  /// The matrices of consecutive days, the first that of day `first_day` (0 or 1), each
  /// patches x patches on `net`. Throws InternalError when checkpoints stand on the routes
  /// and a day's pair is not among net.trips (the engine builds those from the same table).
  Relocation(std::vector<TripMatrix> travellers, int first_day, const Network& net);

  bool Empty() const { return travellers_.empty(); }
  /// True when checkpoints stand on the routes: steps read the gated matrix of their cache.
  bool Gated() const { return !day_pairs_.empty(); }
  /// Index of the matrix the step in [day, day + 1) reads (day in days since the start).
  std::size_t MatrixOf(int day) const {
    const int k = day + 1 - first_day_;
    return std::min(std::size_t(std::max(k, 0)), travellers_.size() - 1);
  }

  /// Fills `cache` for the step of `day` through the checkpoints of `seg`, unless it holds
  /// them already: each pair's travellers times its pass fraction, and the checkpoints'
  /// monitored and turned-back counters (persons per day, times `scale`). Gated() only.
  void Gate(int day, const Segment& seg, double scale, const Network& net,
            RelocationCache& cache) const;

  /// The travellers of the step of `day` (persons per day, unscaled): the gated ones of
  /// `cache` (after Gate) when Gated(), else the day's matrix; their departures per patch
  /// (row sums) and arrivals (column sums).
  const TripMatrix& Moving(int day, const RelocationCache& cache) const {
    return Gated() ? cache.moving : travellers_[MatrixOf(day)];
  }
  const Eigen::ArrayXd& Leaving(int day, const RelocationCache& cache) const {
    return Gated() ? cache.leaving : leaving_[MatrixOf(day)];
  }
  const Eigen::ArrayXd& Arriving(int day, const RelocationCache& cache) const {
    return Gated() ? cache.arriving : arriving_[MatrixOf(day)];
  }

 private:
  std::vector<TripMatrix> travellers_;
  int first_day_ = 1;
  std::vector<Eigen::ArrayXd> arriving_, leaving_;  ///< per matrix: column and row sums
  std::vector<std::vector<int>> day_pairs_;  ///< per matrix, per non-zero: its trips non-zero
};

}  // namespace cordon::sim
