// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The model state as one flat array of struct-of-arrays blocks, so that
/// generic steppers (RK4) can advance it without knowing what it holds:
///
///   [ compartment 0 over patches | ... | compartment n-1 | cumulative incidence per patch |
///     region counters | checkpoint counters (monitored, turned_back, detected per checkpoint) ]
///
/// Counters are cumulative since t = 0 (persons); daily values are differences.

#include <Eigen/Core>

#include "cordon/sim/compartments.hpp"

namespace cordon::sim {

/// Region-wide cumulative counters (persons since t = 0).
enum RegionCounter : int {
  kIncidenceCount,   ///< S->E + Sh->Eh + Sc->Ec
  kDetectionCount,   ///< detected (to H, or to Ih by overflow), travel and gates included
  kImportCount,      ///< arrivals that passed the gate checkpoints
  kTurnedBackCount,  ///< travellers and arrivals turned back
  kOverflowCount,    ///< detected people sent to Ih because no bed was free
  kNumRegionCounters
};

/// Per-checkpoint cumulative counters.
enum CheckpointCounter : int {
  kMonitoredCount,
  kCheckpointTurnedBackCount,
  kCheckpointDetectedCount,
  kNumCheckpointCounters
};

/// Where each block lives in the flat state array. The built-in model has its
/// compartments, then one block of cumulative incidence; a compiled model puts all its
/// per-patch blocks under `compartments` and has no incidence block (patch_blocks 0).
struct StateLayout {
  int patches = 0;
  int checkpoints = 0;
  int compartments = kNumCompartments;
  int patch_blocks = 1;                      ///< per-patch blocks after the compartments
  int region_counters = kNumRegionCounters;  ///< scalars after the per-patch blocks

  Eigen::Index CompartmentOffset(int c) const { return Eigen::Index(c) * patches; }
  Eigen::Index PatchIncidenceOffset() const { return Eigen::Index(compartments) * patches; }
  Eigen::Index RegionCounterOffset() const {
    return Eigen::Index(compartments + patch_blocks) * patches;
  }
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

  auto Compartment(int c) { return values.segment(layout.CompartmentOffset(c), layout.patches); }
  auto Compartment(int c) const {
    return values.segment(layout.CompartmentOffset(c), layout.patches);
  }
  auto PatchIncidence() { return values.segment(layout.PatchIncidenceOffset(), layout.patches); }
  auto PatchIncidence() const {
    return values.segment(layout.PatchIncidenceOffset(), layout.patches);
  }
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
