// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The checkpoint counters of travellers on routes (docs/model.md, "Checkpoints"): the
/// commuters' trips of every pair whose route meets a checkpoint, and residents' external
/// trips through the gates, as persons per day per checkpoint and counter (monitored,
/// turned back, detected). A scatter per block of patches into the block's own counters
/// (origins read in order, counters in cache), then the blocks added in order per
/// checkpoint: the same bits for any thread count.
///
/// Threading: a RouteCounters is immutable; each Workspace holds its own cache.

#include <Eigen/Core>
#include <vector>

#include "cordon/sim/interventions.hpp"
#include "cordon/sim/network.hpp"

namespace cordon {
class WorkerPool;
}

namespace cordon::sim {

/// A workspace's per-block counters: kNumCheckpointCounters x K each, one after another.
struct RouteCounterCache {
  std::vector<double> blocks;  ///< sized at the first stage that counts
};

class RouteCounters {
 public:
  RouteCounters() = default;
  explicit RouteCounters(const Network& net)
      : routed_(PairsWithCheckpoints(net)),
        patches_(net.Patches()),
        checkpoints_(int(net.checkpoints.size())) {}

  /// Patches per block: one chunk (kPatchChunk), or as many chunks as keep all blocks'
  /// counters within 32 MiB. Fixed by the patch and checkpoint counts alone, so results do
  /// not depend on the thread count.
  int BlockPatches() const;
  /// rates (K x kNumCheckpointCounters, persons per day) of the travellers of segment `seg`
  /// with free_detectable (2 x patches: free travellers, the screenable compartment) and
  /// `febrile` of the screenable detectable, on `workers` (nullptr: the caller's thread).
  void Count(const Interventions& interventions, const Network& net, const Segment& seg,
             const Eigen::ArrayXXd& free_detectable, double febrile, WorkerPool* workers,
             RouteCounterCache& cache, Eigen::ArrayXXd& rates) const;

 private:
  RoutedPairs routed_;
  int patches_ = 0, checkpoints_ = 0;
};

}  // namespace cordon::sim
