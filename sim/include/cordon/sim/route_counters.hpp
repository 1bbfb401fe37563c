// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The checkpoint counters of travellers on routes (docs/model.md, "Checkpoints"): the
/// commuters' trips of every pair whose route meets a checkpoint, and residents' external
/// trips through the gates, as persons per day per checkpoint and counter (monitored,
/// turned back, detected). A scatter per block of patches into the block's own counters
/// (origins read in order, counters in cache), then the blocks added in order per
/// checkpoint: the same bits for any thread count.
///
/// Counters are linear in the travellers, and nothing in a run reads them back, so an RK4
/// step counts once (Hold, then Count at its last stage) what its four stages would have:
/// the scatter over the routes, the costly part, runs once per step instead of four times.
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

/// A workspace's per-block counters and the travellers a step holds back.
struct RouteCounterCache {
  std::vector<double> blocks;  ///< kNumCheckpointCounters x K per block; sized when first used
  /// 2 x patches: the step's stage-weighted free travellers and detectable travellers
  /// (febrile share applied), held since the stage `held_segment` began (-1: none held).
  Eigen::ArrayXXd held;
  int held_segment = -1;
  Eigen::ArrayXXd counted;  ///< K x kNumCheckpointCounters: what Count(held) gave
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
  /// rates (sized K x kNumCheckpointCounters, persons per day) of the travellers of segment `seg`
  /// with free_detectable (2 x patches: free travellers, the screenable compartment) and
  /// `febrile` of the screenable detectable, on `workers` (nullptr: the caller's thread).
  void Count(const Interventions& interventions, const Network& net, const Segment& seg,
             const Eigen::ArrayXXd& free_detectable, double febrile, WorkerPool* workers,
             RouteCounterCache& cache, Eigen::ArrayXXd& rates) const;
  /// Adds `weight` x this stage's travellers (free_detectable as in Count, `febrile` applied)
  /// to those the step holds back in segment `segment`; on `workers`.
  void Hold(const Eigen::ArrayXXd& free_detectable, double febrile, double weight, int segment,
            WorkerPool* workers, RouteCounterCache& cache) const;
  /// Counts the held travellers with the coefficients of `seg` (the segment they were held
  /// in) and adds them, divided by `weight`, to `rates`; nothing is held afterwards.
  void CountHeld(const Interventions& interventions, const Network& net, const Segment& seg,
                 double weight, WorkerPool* workers, RouteCounterCache& cache,
                 Eigen::ArrayXXd& rates) const;

 private:
  RoutedPairs routed_;
  int patches_ = 0, checkpoints_ = 0;
};

}  // namespace cordon::sim
