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
