// SPDX-License-Identifier: Apache-2.0
#include "cordon/geo/routing.hpp"

#include <algorithm>
#include <atomic>
#include <functional>
#include <limits>
#include <tuple>

#include "cordon/base/error.hpp"
#include "cordon/base/threads.hpp"

namespace cordon::geo {

EdgeCheckpoints EdgeCheckpoints::Build(int edges,
                                       std::vector<std::tuple<int, double, int>> placed) {
  std::sort(placed.begin(), placed.end());
  EdgeCheckpoints out;
  out.offsets.assign(edges + 1, 0);
  for (const auto& [e, t, c] : placed) {
    ++out.offsets[e + 1];
    out.t.push_back(t);
    out.checkpoint.push_back(c);
  }
  for (int e = 0; e < edges; ++e) out.offsets[e + 1] += out.offsets[e];
  return out;
}

namespace {

// Dijkstra over travel time with reusable per-thread arrays. Each settled
// node remembers the nearest tree ancestor reached over an edge carrying
// checkpoints, so collecting a route's checkpoints skips the plain edges.
class PathTree {
 public:
  PathTree(const RoadGraph& g, const EdgeCheckpoints& ck) : g_(g), ck_(ck), node_(g.Nodes()) {}

  // Grows the tree from `sources`; stops past `max_km` or after `visit` returns false.
  template <typename Visit>
  void Run(const std::vector<int>& sources, double max_km, Visit&& visit) {
    RunFrom(sources.data(), sources.size(), max_km, visit);
  }
  template <typename Visit>
  void Run(int source, double max_km, Visit&& visit) {
    RunFrom(&source, 1, max_km, visit);
  }

  double Km(int n) const { return node_[n].km; }

  // Checkpoints on the tree path to n, in travel order, each once. Paths that share their
  // last checkpoint edge share the list: it is made once per search and copied after.
  void Checkpoints(int n, std::vector<int>& out) {
    out.clear();
    const int last = node_[n].ck_ancestor;
    if (last < 0) return;
    NodeState& a = node_[last];
    if (a.listed != round_) {
      a.listed = round_;
      a.list_begin = static_cast<int>(lists_.size());
      PathCheckpoints(last, out);
      lists_.insert(lists_.end(), out.begin(), out.end());
      a.list_size = static_cast<int>(out.size());
      return;
    }
    out.assign(lists_.begin() + a.list_begin, lists_.begin() + a.list_begin + a.list_size);
  }

 private:
  // What a search knows of a node, side by side: one place to read per node visited, not six
  // arrays.
  struct NodeState {
    double minutes = 0.0, km = 0.0;
    int parent_edge = -1, ck_ancestor = -1;
    int stamp = 0;    ///< round in which the fields above were last reset
    int settled = 0;  ///< round in which the node was settled
    int listed = 0;   ///< round in which the path's checkpoints were put in lists_
    int list_begin = 0, list_size = 0;
  };
  using Item = std::pair<double, int>;  // (minutes, node), the smallest first

  // The walk behind Checkpoints from `x`, a node reached over an edge carrying checkpoints.
  void PathCheckpoints(int x, std::vector<int>& out) const {
    while (x >= 0) {
      const int e = node_[x].parent_edge;
      const bool forward = g_.edges[e].to == x;  // travelled from -> to
      const int b = ck_.offsets[e], end = ck_.offsets[e + 1];
      // Walking backwards: push in reverse travel order.
      if (forward)
        for (int k = end - 1; k >= b; --k) out.push_back(ck_.checkpoint[k]);
      else
        for (int k = b; k < end; ++k) out.push_back(ck_.checkpoint[k]);
      x = node_[g_.Other(e, x)].ck_ancestor;
    }
    std::reverse(out.begin(), out.end());
    // A route crossing a cordon polygon twice meets its checkpoint once: the kept ones are
    // out[0, w), searched in place (a list of seen ones per route was 50M allocations).
    std::size_t w = 0;
    for (std::size_t r = 0; r < out.size(); ++r) {
      if (std::find(out.begin(), out.begin() + std::ptrdiff_t(w), out[r]) !=
          out.begin() + std::ptrdiff_t(w))
        continue;
      out[w++] = out[r];
    }
    out.resize(w);
  }

  template <typename Visit>
  void RunFrom(const int* sources, std::size_t count, double max_km, Visit& visit) {
    ++round_;
    lists_.clear();
    // The heap's storage is kept between searches; push_heap and pop_heap as a
    // std::priority_queue calls them, so equal times leave in the same order.
    heap_.clear();
    const auto push = [&](Item item) {
      heap_.push_back(item);
      std::push_heap(heap_.begin(), heap_.end(), std::greater<Item>());
    };
    for (std::size_t k = 0; k < count; ++k) {
      const int s = sources[k];
      Touch(s);
      node_[s].minutes = 0;
      node_[s].km = 0;
      push({0.0, s});
    }
    while (!heap_.empty()) {
      const auto [m, n] = heap_.front();
      std::pop_heap(heap_.begin(), heap_.end(), std::greater<Item>());
      heap_.pop_back();
      NodeState& from = node_[n];
      if (m > from.minutes || from.settled == round_) continue;
      from.settled = round_;
      if (!visit(n)) return;
      for (int k = g_.offsets[n]; k < g_.offsets[n + 1]; ++k) {
        const int e = g_.incident[k];
        const int to = g_.Other(e, n);
        const double nm = m + g_.edges[e].minutes, nk = from.km + g_.edges[e].km;
        if (nk > max_km) continue;
        Touch(to);
        NodeState& next = node_[to];
        if (nm < next.minutes && next.settled != round_) {
          next.minutes = nm;
          next.km = nk;
          next.parent_edge = e;
          next.ck_ancestor = ck_.Any(e) ? to : from.ck_ancestor;
          push({nm, to});
        }
      }
    }
  }

  void Touch(int n) {
    NodeState& s = node_[n];
    if (s.stamp == round_) return;
    s.stamp = round_;
    s.minutes = std::numeric_limits<double>::infinity();
    s.parent_edge = -1;
    s.ck_ancestor = -1;
  }

  const RoadGraph& g_;
  const EdgeCheckpoints& ck_;
  std::vector<NodeState> node_;
  std::vector<Item> heap_;
  std::vector<int> lists_;  ///< this search's checkpoint lists, by the node that ends them
  int round_ = 0;
};

// The routes of a chunk of origins, flat: a few vectors per chunk rather than per origin
// (1e6 origins made 4e6 small allocations).
struct ChunkRoutes {
  std::vector<int> per_origin;  ///< routes of each origin of the chunk, in order
  std::vector<int> destination;
  std::vector<float> km;
  std::vector<int> ck_count;
  std::vector<int> checkpoints;
};

}  // namespace

RouteTable ComputeRoutes(const RoadGraph& graph, const AccessPoints& access,
                         const EdgeCheckpoints& checkpoints, const RouteOptions& options) {
  const int patches = static_cast<int>(access.node.size());
  // Patches by access node (several patches may share one).
  std::vector<int> at_offsets(graph.Nodes() + 1, 0), at_patch(patches);
  for (int p = 0; p < patches; ++p)
    if (access.node[p] >= 0) ++at_offsets[access.node[p] + 1];
  for (int n = 0; n < graph.Nodes(); ++n) at_offsets[n + 1] += at_offsets[n];
  {
    std::vector<int> fill(at_offsets.begin(), at_offsets.end() - 1);
    for (int p = 0; p < patches; ++p)
      if (access.node[p] >= 0) at_patch[fill[access.node[p]]++] = p;
  }

  // Origins are processed in chunks; each chunk's results are kept apart and
  // concatenated in origin order, so the table does not depend on threads.
  const int chunk = 256;
  const int chunks = (patches + chunk - 1) / chunk;
  std::vector<ChunkRoutes> results(chunks);
  struct Scratch {
    PathTree tree;
    std::vector<int> list;
    std::vector<std::pair<int, int>> found;  // (destination, node)
  };
  auto route_chunk = [&](Scratch& scratch, long long c) {
    PathTree& tree = scratch.tree;
    std::vector<int>& list = scratch.list;
    std::vector<std::pair<int, int>>& found = scratch.found;
    {
      ChunkRoutes& r = results[c];
      for (int o = int(c) * chunk; o < std::min(patches, int(c + 1) * chunk); ++o) {
        r.per_origin.push_back(0);
        if (access.node[o] < 0) continue;
        found.clear();
        const double budget = options.max_km - access.connector_km[o];
        if (budget < 0) continue;
        tree.Run(access.node[o], budget, [&](int n) {
          for (int k = at_offsets[n]; k < at_offsets[n + 1]; ++k) {
            const int d = at_patch[k];
            if (d == o) continue;
            if (tree.Km(n) + access.connector_km[o] + access.connector_km[d] > options.max_km)
              continue;
            found.push_back({d, n});
          }
          return static_cast<int>(found.size()) < options.max_destinations;
        });
        if (static_cast<int>(found.size()) > options.max_destinations)
          found.resize(options.max_destinations);
        std::sort(found.begin(), found.end());
        for (const auto& [d, n] : found) {
          r.destination.push_back(d);
          r.km.push_back(
              static_cast<float>(tree.Km(n) + access.connector_km[o] + access.connector_km[d]));
          tree.Checkpoints(n, list);
          r.ck_count.push_back(static_cast<int>(list.size()));
          r.checkpoints.insert(r.checkpoints.end(), list.begin(), list.end());
        }
        r.per_origin.back() = static_cast<int>(found.size());
      }
    }
  };
  ParallelFor(
      chunks, options.threads,
      [&] {
        return Scratch{PathTree(graph, checkpoints), {}, {}};
      },
      route_chunk);

  // The table sized once, then filled chunk by chunk, each chunk freed once copied: no
  // regrowth (its copies and fresh pages were a fifth of routing at 1e6 villages).
  std::size_t routes = 0, entries = 0;
  for (const auto& r : results) routes += r.destination.size(), entries += r.checkpoints.size();
  RouteTable table;
  table.offsets.reserve(std::size_t(patches) + 1);
  table.offsets.assign(1, 0);
  table.destination.reserve(routes);
  table.km.reserve(routes);
  table.ck_offsets.reserve(routes + 1);
  table.ck_offsets.assign(1, 0);
  table.checkpoints.reserve(entries);
  for (auto& r : results) {
    table.destination.insert(table.destination.end(), r.destination.begin(), r.destination.end());
    table.km.insert(table.km.end(), r.km.begin(), r.km.end());
    for (int count : r.ck_count) table.ck_offsets.push_back(table.ck_offsets.back() + count);
    table.checkpoints.insert(table.checkpoints.end(), r.checkpoints.begin(), r.checkpoints.end());
    for (int count : r.per_origin) table.offsets.push_back(table.offsets.back() + count);
    r = ChunkRoutes{};
  }
  return table;
}

std::vector<std::vector<int>> GateCheckpoints(const RoadGraph& graph, const AccessPoints& access,
                                              const std::vector<int>& gate_nodes,
                                              const EdgeCheckpoints& checkpoints) {
  std::vector<std::vector<int>> out(access.node.size());
  if (gate_nodes.empty()) return out;
  PathTree tree(graph, checkpoints);
  tree.Run(gate_nodes, std::numeric_limits<double>::infinity(), [](int) { return true; });
  for (std::size_t p = 0; p < access.node.size(); ++p) {
    if (access.node[p] < 0) continue;
    tree.Checkpoints(access.node[p], out[p]);
  }
  return out;
}

}  // namespace cordon::geo
