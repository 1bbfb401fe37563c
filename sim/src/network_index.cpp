// SPDX-License-Identifier: Apache-2.0
// Indexes of a network for gathers: the trips by destination and the route
// entries by checkpoint (counting sorts, stable, so each group keeps storage order).
#include "cordon/sim/network.hpp"

namespace cordon::sim {
namespace {

// offsets[g] .. offsets[g+1) for `groups` groups of the keys, by counting.
std::vector<int> GroupOffsets(const std::vector<int>& keys, int groups) {
  std::vector<int> offsets(std::size_t(groups) + 1, 0);
  for (int k : keys) ++offsets[std::size_t(k) + 1];
  for (int g = 0; g < groups; ++g) offsets[std::size_t(g) + 1] += offsets[std::size_t(g)];
  return offsets;
}

}  // namespace

TripsByDestination TripsToDestinations(const TripMatrix& trips) {
  const int patches = static_cast<int>(trips.rows());
  const int* outer = trips.outerIndexPtr();
  const std::vector<int> columns(trips.innerIndexPtr(), trips.innerIndexPtr() + trips.nonZeros());
  TripsByDestination t;
  t.offsets = GroupOffsets(columns, static_cast<int>(trips.cols()));
  t.origin.resize(columns.size());
  t.entry.resize(columns.size());
  std::vector<int> next(t.offsets.begin(), t.offsets.end() - 1);
  for (int i = 0; i < patches; ++i)
    for (int p = outer[i]; p < outer[i + 1]; ++p) {
      const int q = next[std::size_t(columns[std::size_t(p)])]++;
      t.origin[std::size_t(q)] = i;
      t.entry[std::size_t(q)] = p;
    }
  return t;
}

RoutesByCheckpoint RoutesToCheckpoints(const Network& net) {
  RoutesByCheckpoint r;
  r.offsets = GroupOffsets(net.route_checkpoints, static_cast<int>(net.checkpoints.size()));
  const std::size_t entries = net.route_checkpoints.size();
  r.entry.resize(entries);
  r.pair.resize(entries);
  r.origin.resize(entries);
  std::vector<int> next(r.offsets.begin(), r.offsets.end() - 1);
  const int* outer = net.trips.outerIndexPtr();
  for (int i = 0; i < net.Patches(); ++i)
    for (int p = outer[i]; p < outer[i + 1]; ++p)
      for (int m = net.route_offsets[std::size_t(p)]; m < net.route_offsets[std::size_t(p) + 1];
           ++m) {
        const std::size_t q =
            std::size_t(next[std::size_t(net.route_checkpoints[std::size_t(m)])]++);
        r.entry[q] = m;
        r.pair[q] = p;
        r.origin[q] = i;
      }
  return r;
}

}  // namespace cordon::sim
