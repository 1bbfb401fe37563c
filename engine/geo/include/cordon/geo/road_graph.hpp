// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The road graph: a line layer noded at shared vertices and crossings,
/// snapped within a tolerance and cut into short edges, so that every edge
/// lies (up to its length) in one patch or crosses one boundary. Without a
/// road layer, the polygon adjacency graph between patch anchors stands in.

#include <map>
#include <string>
#include <vector>

#include "cordon/data/geometry.hpp"
#include "cordon/data/vector_io.hpp"
#include "cordon/geo/region.hpp"

namespace cordon::geo {

struct RoadEdge {
  int from = 0, to = 0;
  double km = 0.0;       ///< length
  double minutes = 0.0;  ///< travel time at the edge's speed
};

/// Undirected graph with node coordinates in the working CRS (metres).
struct RoadGraph {
  std::vector<data::Point2> nodes;
  std::vector<RoadEdge> edges;
  std::vector<int> offsets;   ///< CSR: edges at node n are incident[offsets[n] .. offsets[n+1])
  std::vector<int> incident;  ///< edge indices

  int Nodes() const { return static_cast<int>(nodes.size()); }
  int Edges() const { return static_cast<int>(edges.size()); }
  /// The endpoint of edge e that is not n.
  int Other(int e, int n) const { return edges[e].from == n ? edges[e].to : edges[e].from; }
  /// Fills offsets/incident from edges.
  void BuildIncidence();
};

struct RoadOptions {
  double snap_m = 5.0;         ///< vertices closer than this become one node
  double max_segment_m = 0.0;  ///< longer edges are cut (0 = never)
  std::string speed_field;     ///< km/h per feature; "" or null = by class, else default
  std::string class_field;     ///< road class per feature (highway, ...), looked up in class_speeds
  std::map<std::string, double> class_speeds;  ///< km/h per class
  double default_speed_kmh = 30.0;
};

/// Builds the graph from a line layer in the working CRS. Throws
/// InputError for a non-positive or non-numeric speed (naming the feature).
RoadGraph BuildRoadGraph(const data::VectorLayer& roads, const RoadOptions& options);

/// The adjacency graph: one node per patch anchor, one edge per adjacent
/// pair through the midpoint of their shared border; speed in km/h.
RoadGraph AdjacencyGraph(const Region& region, const std::vector<Adjacency>& adjacency,
                         double speed_kmh);

/// Adds a gate to an adjacency graph per border exit: a node just outside the region beyond
/// the exit point (not in any patch) and an edge to it from the patch's node; speed in km/h.
void AddBorderGates(const Region& region, const std::vector<BorderExit>& exits, double speed_kmh,
                    RoadGraph& graph);

/// Where each patch joins the graph: the nearest node to its anchor, and the
/// straight connector length (km), counted in route lengths.
struct AccessPoints {
  std::vector<int> node;
  std::vector<double> connector_km;
};
AccessPoints FindAccessPoints(const RoadGraph& graph, const std::vector<data::Point2>& anchors);

/// Nearest edge to a point: edge index (-1 if none), distance (m) and the
/// position t in [0, 1] from the edge's `from` node.
struct EdgeHit {
  int edge = -1;
  double distance_m = 0.0;
  double t = 0.0;
};
std::vector<EdgeHit> NearestEdges(const RoadGraph& graph, const std::vector<data::Point2>& points);

}  // namespace cordon::geo
