// SPDX-License-Identifier: Apache-2.0
// An index of a network for gathers: the trips by destination (a counting sort,
// stable, so each destination keeps storage order), and the pairs that meet checkpoints.
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

RoutedPairs PairsWithCheckpoints(const Network& net) {
  RoutedPairs routed;
  const int* outer = net.trips.outerIndexPtr();
  routed.offsets.assign(std::size_t(net.Patches()) + 1, 0);
  routed.routes.push_back(0);
  for (int i = 0; i < net.Patches(); ++i) {
    for (int p = outer[i]; p < outer[i + 1]; ++p) {
      const int first = net.route_offsets[std::size_t(p)];
      const int last = net.route_offsets[std::size_t(p) + 1];
      if (first == last) continue;
      // Pairs between two routed ones meet nothing, so their entries follow each other.
      routed.routes.back() = first;
      routed.routes.push_back(last);
      routed.trips.push_back(net.trips.valuePtr()[p]);
    }
    routed.offsets[std::size_t(i) + 1] = static_cast<int>(routed.trips.size());
  }
  return routed;
}

}  // namespace cordon::sim
