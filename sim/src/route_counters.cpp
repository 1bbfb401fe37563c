// SPDX-License-Identifier: Apache-2.0
#include "cordon/sim/route_counters.hpp"

#include <algorithm>

#include "cordon/sim/patch_chunks.hpp"
#include "cordon/sim/state.hpp"

namespace cordon::sim {

int RouteCounters::BlockPatches() const {
  const long long block_bytes = 8LL * kNumCheckpointCounters * std::max(1, checkpoints_);
  const long long max_blocks = std::max(1LL, (32LL << 20) / block_bytes);
  const long long chunks = ChunkCount(patches_);
  return static_cast<int>((chunks + max_blocks - 1) / max_blocks) * kPatchChunk;
}

void RouteCounters::Count(const Interventions& interventions, const Network& net,
                          const Segment& seg, const Eigen::ArrayXXd& free_detectable,
                          double febrile, WorkerPool* workers, RouteCounterCache& cache,
                          Eigen::ArrayXXd& rates) const {
  const std::size_t width = std::size_t(kNumCheckpointCounters) * std::size_t(checkpoints_);
  const int block_patches = BlockPatches();
  const int blocks = ChunkCount(patches_, block_patches);
  cache.blocks.resize(std::size_t(blocks) * width);  // each block clears its own
  rates.resize(checkpoints_, kNumCheckpointCounters);
  ForChunks(
      workers, patches_,
      [&](int block, Eigen::Index b, Eigen::Index n) {
        interventions.CheckpointRatesOfPatches(net, routed_, seg, free_detectable, febrile, int(b),
                                               int(n), &cache.blocks[block * width]);
      },
      block_patches);
  ForChunks(workers, checkpoints_, [&](int, Eigen::Index b, Eigen::Index n) {
    for (int c = 0; c < kNumCheckpointCounters; ++c) rates.col(c).segment(b, n).setZero();
    // Block after block, each read in order: a sum per counter in block order.
    for (int block = 0; block < blocks; ++block) {
      const double* part = &cache.blocks[block * width + std::size_t(b) * kNumCheckpointCounters];
      for (Eigen::Index k = 0; k < n; ++k)
        for (int c = 0; c < kNumCheckpointCounters; ++c)
          rates(b + k, c) += part[k * kNumCheckpointCounters + c];
    }
  });
}

void RouteCounters::Hold(const Eigen::ArrayXXd& free_detectable, double febrile, double weight,
                         int segment, WorkerPool* workers, RouteCounterCache& cache) const {
  const bool first = cache.held_segment < 0;
  if (first) cache.held.resize(2, patches_);
  cache.held_segment = segment;
  ForChunks(workers, patches_, [&](int, Eigen::Index b, Eigen::Index n) {
    auto free = cache.held.row(0).segment(b, n);
    auto detectable = cache.held.row(1).segment(b, n);
    if (first) {
      free = weight * free_detectable.row(0).segment(b, n);
      detectable = (weight * febrile) * free_detectable.row(1).segment(b, n);
    } else {
      free += weight * free_detectable.row(0).segment(b, n);
      detectable += (weight * febrile) * free_detectable.row(1).segment(b, n);
    }
  });
}

void RouteCounters::CountHeld(const Interventions& interventions, const Network& net,
                              const Segment& seg, double weight, WorkerPool* workers,
                              RouteCounterCache& cache, Eigen::ArrayXXd& rates) const {
  Count(interventions, net, seg, cache.held, 1.0, workers, cache, cache.counted);
  rates += cache.counted / weight;
  cache.held_segment = -1;
}

}  // namespace cordon::sim
