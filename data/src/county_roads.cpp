// SPDX-License-Identifier: Apache-2.0
#include "county_roads.hpp"

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <utility>

namespace cordon::data {
namespace {

// Road classes, lowest first; the index of their kind name and speed.
enum RoadClass { kNone = 0, kVillage = 1, kTownship = 2, kHighway = 3 };

// The class of each link between two villages; a link keeps the highest class asked for.
class LinkClasses {
 public:
  explicit LinkClasses(int villages) : villages_(villages) {}

  // Makes the link between villages a and b at least of class `cls`.
  void Upgrade(int a, int b, int cls) {
    if (a > b) std::swap(a, b);
    int& c = class_[std::int64_t(a) * villages_ + b];
    c = std::max(c, cls);
  }

  // One link: villages a < b and its RoadClass.
  struct Link {
    int a, b, cls;
  };

  // The links, ordered by (a, b).
  std::vector<Link> Sorted() const {
    std::vector<std::pair<std::int64_t, int>> keyed(class_.begin(), class_.end());
    std::sort(keyed.begin(), keyed.end());
    std::vector<Link> links;
    links.reserve(keyed.size());
    for (const auto& [key, cls] : keyed)
      links.push_back({static_cast<int>(key / villages_), static_cast<int>(key % villages_), cls});
    return links;
  }

 private:
  int villages_;
  std::unordered_map<std::int64_t, int> class_;  // key: a * villages + b with a < b
};

// Breadth-first tree from `root` over 4-neighbouring villages that `allowed`
// accepts. parent_of must hold -2 for every village it may reach; it gets
// each reached village's parent (-1 for the root). Returns the reached villages.
template <class Allowed>
std::vector<int> BreadthFirst(const CountyCells& cells, int root, Allowed&& allowed,
                              std::vector<int>& parent_of) {
  std::vector<int> queue{root};
  parent_of[root] = -1;
  for (std::size_t q = 0; q < queue.size(); ++q)
    for (int s = 0; s < 4; ++s) {
      const int nb = cells.Neighbour(queue[q], s);
      if (nb >= 0 && parent_of[nb] == -2 && allowed(nb)) {
        parent_of[nb] = queue[q];
        queue.push_back(nb);
      }
    }
  return queue;
}

// Village roads along a breadth-first tree inside each township from its
// seat; `county_tree` is the tree over the whole county from the county seat.
void AddTownshipTrees(const CountyLayout& layout, const std::vector<int>& county_tree,
                      LinkClasses& links) {
  const Townships& t = layout.townships;
  std::vector<int> local(t.of_village.size(), -2);
  for (int k = 0; k < t.Count(); ++k) {
    const auto visited = BreadthFirst(
        layout.cells, t.seat[k], [&](int v) { return t.of_village[v] == k; }, local);
    for (int v : t.members[k]) {
      // A village cut off inside its township joins along the county tree.
      const int parent = local[v] != -2 ? local[v] : county_tree[v];
      if (parent >= 0) links.Upgrade(v, parent, kVillage);
    }
    for (int v : visited) local[v] = -2;
  }
}

// Village roads from villages the county tree misses, and a few loops.
void AddJoinsAndLoops(const CountyLayout& layout, const std::vector<int>& county_tree,
                      std::uint64_t seed, LinkClasses& links) {
  const std::vector<Point2>& centre = layout.village_centre;
  const int n = static_cast<int>(centre.size());
  for (int v = 0; v < n; ++v) {
    if (county_tree[v] == -2) {
      // Cut off in 4-connectivity (a diagonal contact at the fringe): join the nearest village.
      int best = -1;
      for (int u = 0; u < n; ++u)
        if (u != v && county_tree[u] != -2 &&
            (best < 0 || Distance(centre[u], centre[v]) < Distance(centre[best], centre[v])))
          best = u;
      if (best >= 0) links.Upgrade(v, best, kVillage);
    }
    // A few loops, so that closing one road leaves a detour.
    for (int s = 1; s <= 2; ++s) {
      const int nb = layout.cells.Neighbour(v, s);
      if (nb >= 0 && CountyUniform(seed, kLoop, v, s) < 0.12) links.Upgrade(v, nb, kVillage);
    }
  }
}

// A road that leaves the county: from a village's centre to a point outside (lattice frame).
struct GateLink {
  int village;
  Point2 outer;  // metres
  int cls;       // RoadClass
};

// A highway east-west through the seat and a township road north-south,
// each leaving the county at both ends (the gates).
std::vector<GateLink> AddCrossRoads(const CountyLayout& layout, LinkClasses& links) {
  const CountyCells& cells = layout.cells;
  std::vector<GateLink> gates;
  for (int axis = 0; axis < 2; ++axis) {
    const int cls = axis == 0 ? kHighway : kTownship;
    for (int dir : {-1, 1}) {
      int i = cells.Column(layout.seat), j = cells.Row(layout.seat), prev = layout.seat;
      while (true) {
        const int ni = i + (axis == 0 ? dir : 0), nj = j + (axis == 1 ? dir : 0);
        if (!cells.InCounty(ni, nj)) {
          // The next cell lies outside: its centre is the gate.
          const MultiPolygon outside{Polygon{layout.lattice.CellRing(ni, nj), {}}};
          gates.push_back({prev, Centroid(outside), cls});
          break;
        }
        const int next = cells.village_of[cells.Index(ni, nj)];
        links.Upgrade(prev, next, cls);
        prev = next, i = ni, j = nj;
      }
    }
  }
  return gates;
}

}  // namespace

RoadNetwork BuildRoads(const CountyLayout& layout, const std::vector<AdminUnit>& groups,
                       const std::vector<Point2>& group_centre, std::uint64_t seed, Point2 shift) {
  const int n = static_cast<int>(layout.village_centre.size());
  const Townships& t = layout.townships;
  LinkClasses links(n);
  // Township roads follow the breadth-first tree over the whole county from the county seat.
  std::vector<int> county_tree(n, -2);
  BreadthFirst(
      layout.cells, layout.seat, [](int) { return true; }, county_tree);
  AddTownshipTrees(layout, county_tree, links);
  AddJoinsAndLoops(layout, county_tree, seed, links);
  for (int k = 0; k < t.Count(); ++k)
    for (int v = t.seat[k]; v >= 0 && county_tree[v] >= 0; v = county_tree[v])
      links.Upgrade(v, county_tree[v], kTownship);
  const std::vector<GateLink> gate_links = AddCrossRoads(layout, links);

  const char* kind_name[] = {"", "village", "township", "highway"};
  const double speed[] = {0, 30, 50, 80};  // km/h
  auto centre = [&](int v) { return Translated(layout.village_centre[v], shift); };
  const auto sorted = links.Sorted();
  RoadNetwork net;
  net.roads.reserve(sorted.size() + gate_links.size() + groups.size());
  for (const auto& link : sorted)
    net.roads.push_back({{centre(link.a), centre(link.b)}, kind_name[link.cls], speed[link.cls]});
  for (const GateLink& gate : gate_links) {
    const Point2 outer = Translated(gate.outer, shift);
    net.roads.push_back({{centre(gate.village), outer}, kind_name[gate.cls], speed[gate.cls]});
    net.gates.push_back(outer);
  }
  // Lanes from each group's centre to its village centre (skipping the group holding it).
  const std::size_t per_village = std::size_t(layout.lattice.G()) * layout.lattice.G();
  for (std::size_t k = 0; k < groups.size(); ++k) {
    const Point2 vc = centre(static_cast<int>(k / per_village));
    if (Contains(groups[k].shape, vc)) continue;
    net.roads.push_back({{group_centre[k], vc}, "lane", 15.0});
  }
  return net;
}

}  // namespace cordon::data
