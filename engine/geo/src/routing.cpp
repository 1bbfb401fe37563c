// SPDX-License-Identifier: Apache-2.0
#include "cordon/geo/routing.hpp"

#include <algorithm>
#include <atomic>
#include <limits>
#include <queue>
#include <tuple>

#include "cordon/base/error.hpp"
#include "cordon/base/threads.hpp"

namespace cordon::engine {

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
  PathTree(const RoadGraph& g, const EdgeCheckpoints& ck)
      : g_(g),
        ck_(ck),
        minutes_(g.Nodes()),
        km_(g.Nodes()),
        parent_edge_(g.Nodes(), -1),
        ck_ancestor_(g.Nodes(), -1),
        stamp_(g.Nodes(), 0),
        settled_(g.Nodes(), 0) {}

  // Grows the tree from `sources`; stops past `max_km` or after `visit` returns false.
  template <typename Visit>
  void Run(const std::vector<int>& sources, double max_km, Visit&& visit) {
    ++round_;
    using Item = std::pair<double, int>;
    std::priority_queue<Item, std::vector<Item>, std::greater<Item>> heap;
    for (int s : sources) {
      Touch(s);
      minutes_[s] = 0;
      km_[s] = 0;
      heap.push({0.0, s});
    }
    while (!heap.empty()) {
      const auto [m, n] = heap.top();
      heap.pop();
      if (m > minutes_[n] || settled_[n] == round_) continue;
      settled_[n] = round_;
      if (!visit(n)) return;
      for (int k = g_.offsets[n]; k < g_.offsets[n + 1]; ++k) {
        const int e = g_.incident[k];
        const int to = g_.Other(e, n);
        const double nm = m + g_.edges[e].minutes, nk = km_[n] + g_.edges[e].km;
        if (nk > max_km) continue;
        Touch(to);
        if (nm < minutes_[to] && settled_[to] != round_) {
          minutes_[to] = nm;
          km_[to] = nk;
          parent_edge_[to] = e;
          ck_ancestor_[to] = ck_.Any(e) ? to : ck_ancestor_[n];
          heap.push({nm, to});
        }
      }
    }
  }

  double Km(int n) const { return km_[n]; }

  // Checkpoints on the tree path to n, in travel order, each once.
  void Checkpoints(int n, std::vector<int>& out) const {
    out.clear();
    for (int x = ck_ancestor_[n]; x >= 0;) {
      const int e = parent_edge_[x];
      const bool forward = g_.edges[e].to == x;  // travelled from -> to
      const int b = ck_.offsets[e], end = ck_.offsets[e + 1];
      // Walking backwards: push in reverse travel order.
      if (forward)
        for (int k = end - 1; k >= b; --k) out.push_back(ck_.checkpoint[k]);
      else
        for (int k = b; k < end; ++k) out.push_back(ck_.checkpoint[k]);
      x = ck_ancestor_[g_.Other(e, x)];
    }
    std::reverse(out.begin(), out.end());
    // A route crossing a cordon polygon twice meets its checkpoint once.
    std::vector<int> seen;
    std::size_t w = 0;
    for (std::size_t r = 0; r < out.size(); ++r) {
      if (std::find(seen.begin(), seen.end(), out[r]) != seen.end()) continue;
      seen.push_back(out[r]);
      out[w++] = out[r];
    }
    out.resize(w);
  }

 private:
  void Touch(int n) {
    if (stamp_[n] == round_) return;
    stamp_[n] = round_;
    minutes_[n] = std::numeric_limits<double>::infinity();
    parent_edge_[n] = -1;
    ck_ancestor_[n] = -1;
  }

  const RoadGraph& g_;
  const EdgeCheckpoints& ck_;
  std::vector<double> minutes_, km_;
  std::vector<int> parent_edge_, ck_ancestor_, stamp_, settled_;
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
        tree.Run({access.node[o]}, budget, [&](int n) {
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

}  // namespace cordon::engine
