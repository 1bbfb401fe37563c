// SPDX-License-Identifier: Apache-2.0
#include "cordon/sim/latin_hypercube.hpp"

#include <algorithm>
#include <utility>

#include "cordon/sim/counter_rng.hpp"

namespace cordon::sim {

std::vector<std::vector<double>> LatinHypercube(int n, int dims, std::uint64_t seed,
                                                std::uint64_t stream) {
  std::vector<std::vector<double>> points(static_cast<std::size_t>(n),
                                          std::vector<double>(static_cast<std::size_t>(dims)));
  for (int d = 0; d < dims; ++d) {
    // Points sorted by a random key take the strata in order: a random permutation.
    std::vector<std::pair<double, int>> order;
    for (int i = 0; i < n; ++i) order.push_back({KeyedUniform(seed, stream, 2 * d, i), i});
    std::sort(order.begin(), order.end());
    for (int k = 0; k < n; ++k) {
      const int point = order[std::size_t(k)].second;
      points[std::size_t(point)][std::size_t(d)] =
          (k + KeyedUniform(seed, stream, 2 * d + 1, point)) / n;
    }
  }
  return points;
}

}  // namespace cordon::sim
