// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Routes on the road graph: for every origin patch, the destinations it
/// reaches within `max_km` (nearest first by travel time), each with its
/// road length and the ordered checkpoints its shortest path meets; and for
/// imports, the checkpoints on the way in from the nearest gate.

#include <cstdint>
#include <vector>

#include "cordon/geo/road_graph.hpp"

namespace cordon::geo {

/// Checkpoints sitting on edges, CSR by edge, sorted by position t along the
/// edge (0 at its `from` node).
struct EdgeCheckpoints {
  std::vector<int> offsets;     ///< size edges + 1
  std::vector<int> checkpoint;  ///< checkpoint index
  std::vector<double> t;        ///< position along the edge, [0, 1]

  /// Builds from (edge, t, checkpoint) triples.
  static EdgeCheckpoints Build(int edges, std::vector<std::tuple<int, double, int>> placed);
  bool Any(int edge) const { return offsets[edge + 1] > offsets[edge]; }
};

struct RouteOptions {
  double max_km = 50.0;       ///< longest route, km (connectors included)
  int max_destinations = 50;  ///< nearest destinations kept per origin
  int threads = 0;            ///< 0 = the default count (cordon/base/threads.hpp)
};

/// Routes, CSR by origin patch; within an origin, destinations ascend by index.
struct RouteTable {
  std::vector<std::int64_t> offsets;  ///< size patches + 1
  std::vector<int> destination;
  std::vector<float> km;                 ///< road length incl. both connectors
  std::vector<std::int64_t> ck_offsets;  ///< size routes + 1
  std::vector<int> checkpoints;          ///< in the order met, each at most once

  std::int64_t Routes() const { return static_cast<std::int64_t>(destination.size()); }
};

/// Shortest (fastest) paths from every patch's access node. Patches without
/// an access node get no routes. Deterministic whatever the thread count.
RouteTable ComputeRoutes(const RoadGraph& graph, const AccessPoints& access,
                         const EdgeCheckpoints& checkpoints, const RouteOptions& options);

/// For each patch, the checkpoints met on the fastest path from the nearest
/// of `gate_nodes` to its access node, in order. Empty lists when there are no gates.
std::vector<std::vector<int>> GateCheckpoints(const RoadGraph& graph, const AccessPoints& access,
                                              const std::vector<int>& gate_nodes,
                                              const EdgeCheckpoints& checkpoints);

}  // namespace cordon::geo
