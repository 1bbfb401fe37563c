// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The model state as one flat array of struct-of-arrays blocks, so that
/// generic steppers (RK4) can advance it without knowing what it holds:
///
///   [ block 0 over patches | ... | block n-1 | region counters |
///     checkpoint counters (monitored, turned_back, detected per checkpoint) ]
///
/// A model's blocks are its compartments, then N (relocation), then its per-patch
/// flows; its region counters are its flows' totals (sim/model.hpp). Counters are
/// cumulative since t = 0 (persons); daily values are differences.

#include <Eigen/Core>

namespace cordon::sim {

/// Per-checkpoint cumulative counters.
enum CheckpointCounter : int {
  kMonitoredCount,
  kCheckpointTurnedBackCount,
  kCheckpointDetectedCount,
  kNumCheckpointCounters
};

/// Where each block lives in the flat state array.
struct StateLayout {
  int patches = 0;
  int checkpoints = 0;
  int blocks = 0;           ///< per-patch blocks
  int region_counters = 0;  ///< scalars after the blocks

  Eigen::Index BlockOffset(int b) const { return Eigen::Index(b) * patches; }
  Eigen::Index RegionCounterOffset() const { return Eigen::Index(blocks) * patches; }
  Eigen::Index CheckpointCounterOffset(int counter) const {
    return RegionCounterOffset() + region_counters + Eigen::Index(counter) * checkpoints;
  }
  Eigen::Index Size() const { return CheckpointCounterOffset(kNumCheckpointCounters); }
};

/// A model state: a value type. Accessors return views into `values`.
struct State {
  StateLayout layout;
  Eigen::ArrayXd values;

  explicit State(StateLayout l = {}) : layout(l), values(Eigen::ArrayXd::Zero(l.Size())) {}

  /// Block b (a compartment, N or a per-patch flow) over patches.
  auto Compartment(int b) { return values.segment(layout.BlockOffset(b), layout.patches); }
  auto Compartment(int b) const { return values.segment(layout.BlockOffset(b), layout.patches); }
  double& Region(int counter) { return values[layout.RegionCounterOffset() + counter]; }
  double Region(int counter) const { return values[layout.RegionCounterOffset() + counter]; }
  auto Checkpoints(int counter) {
    return values.segment(layout.CheckpointCounterOffset(counter), layout.checkpoints);
  }
  auto Checkpoints(int counter) const {
    return values.segment(layout.CheckpointCounterOffset(counter), layout.checkpoints);
  }
};

}  // namespace cordon::sim
