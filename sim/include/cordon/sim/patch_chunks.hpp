// SPDX-License-Identifier: Apache-2.0
#pragma once
/// How the kernel splits patches among threads: into fixed chunks of
/// kPatchChunk patches, whatever the thread count. A sum over patches is
/// formed per chunk and the chunk sums are added in chunk order, so a run
/// gives bitwise the same results on 1, 2 or 16 threads; with one chunk
/// (<= kPatchChunk patches) every sum is the plain sum over the patches.

#include <algorithm>

#include "cordon/base/worker_pool.hpp"

namespace cordon::sim {

/// Patches per chunk: a chunk's dozen per-patch arrays fit in a core's L2 cache.
constexpr int kPatchChunk = 4096;

/// Chunks covering n items.
inline int ChunkCount(long long n, int chunk = kPatchChunk) {
  return static_cast<int>((n + chunk - 1) / chunk);
}

/// x[0] + ... + x[n - 1] in a fixed order: sixteen running sums side by side, added
/// pairwise at the end. The compiler keeps them in vector registers; one running sum
/// would wait on every add's latency (the sums of a chunk's flows were a tenth of a
/// small model's stage).
inline double ChunkSum(const double* x, long long n) {
  constexpr int kLanes = 16;
  double lane[kLanes] = {};
  long long i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (int k = 0; k < kLanes; ++k) lane[k] += x[i + k];
  for (int k = 0; i < n; ++i, ++k) lane[k] += x[i];
  for (int width = kLanes / 2; width > 0; width /= 2)
    for (int k = 0; k < width; ++k) lane[k] += lane[k + width];
  return lane[0];
}

/// fn(chunk, begin, count) for every chunk of [0, n), on `pool` when given (nullptr: the
/// caller's thread alone).
template <typename Fn>
void ForChunks(WorkerPool* pool, long long n, Fn&& fn, int chunk = kPatchChunk) {
  auto body = [&](int c) {
    const long long begin = static_cast<long long>(c) * chunk;
    fn(c, begin, std::min<long long>(n - begin, chunk));
  };
  const int chunks = ChunkCount(n, chunk);
  if (pool != nullptr && chunks > 1) {
    pool->Run(chunks, body);
  } else {
    for (int c = 0; c < chunks; ++c) body(c);
  }
}

}  // namespace cordon::sim
