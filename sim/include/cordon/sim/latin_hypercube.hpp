// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The one Latin hypercube of cordon (sweeps' `samples:`, calibration's starts and first
/// ensemble): n points in [0, 1)^dims, one in each of the n strata of every dimension.

#include <cstdint>
#include <vector>

namespace cordon::sim {

/// n points of `dims` coordinates in [0, 1): along each dimension the strata [k/n, (k+1)/n)
/// are dealt to the points in a random order, and each point draws uniformly in its
/// stratum. Keyed by (seed, stream) alone (sim::KeyedUniform), so any thread count and any
/// call order give the same points.
std::vector<std::vector<double>> LatinHypercube(int n, int dims, std::uint64_t seed,
                                                std::uint64_t stream);

}  // namespace cordon::sim
