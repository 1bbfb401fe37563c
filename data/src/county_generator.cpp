// SPDX-License-Identifier: Apache-2.0
// The synthetic county: a jittered lattice of village cells, each split into
// g x g group cells, inside a star-shaped county; townships are Voronoi cells
// of jittered seats over the village cells, so every level nests exactly and
// neighbouring units share their boundary vertices.
#include "cordon/data/county_generator.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <unordered_map>

#include "cordon/base/error.hpp"
#include "keyed_random.hpp"

namespace cordon::data {
namespace {

constexpr double kPi = 3.14159265358979323846;

double Uniform(std::uint64_t seed, std::uint64_t stream, std::int64_t a, std::int64_t b = 0) {
  return KeyedUniform(seed, stream, a, b);
}

enum Stream : std::uint64_t {
  kVertexX = 1,
  kVertexY,
  kInnerX,
  kInnerY,
  kShape,
  kSeatX,
  kSeatY,
  kPopU,
  kPopV,
  kGroupW,
  kLoop,
  kName
};

Point2 Lerp(Point2 a, Point2 b, double t) { return {a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t}; }

// The lattice: coarse vertices (W+1) x (H+1), fine points on a g-times finer lattice.
class Lattice {
 public:
  Lattice(int w, int h, int g, double side, std::uint64_t seed)
      : w_(w), h_(h), g_(g), side_(side), seed_(seed) {}

  Point2 Vertex(int i, int j) const {
    const double jit = 0.25 * side_;
    return {i * side_ + (2 * Uniform(seed_, kVertexX, i, j) - 1) * jit,
            j * side_ + (2 * Uniform(seed_, kVertexY, i, j) - 1) * jit};
  }

  // Fine lattice point (I, J): coarse vertices, points along coarse edges
  // (interpolated from that edge's two vertices only, so both cells agree),
  // or jittered interior points.
  Point2 Fine(std::int64_t I, std::int64_t J) const {
    const int i = static_cast<int>(I / g_), j = static_cast<int>(J / g_);
    const int k = static_cast<int>(I % g_), l = static_cast<int>(J % g_);
    const double u = double(k) / g_, v = double(l) / g_;
    if (k == 0 && l == 0) return Vertex(i, j);
    if (l == 0) return Lerp(Vertex(i, j), Vertex(i + 1, j), u);
    if (k == 0) return Lerp(Vertex(i, j), Vertex(i, j + 1), v);
    const Point2 bottom = Lerp(Vertex(i, j), Vertex(i + 1, j), u);
    const Point2 top = Lerp(Vertex(i, j + 1), Vertex(i + 1, j + 1), u);
    const Point2 p = Lerp(bottom, top, v);
    const double jit = 0.15 * side_ / g_;
    return {p.x + (2 * Uniform(seed_, kInnerX, I, J) - 1) * jit,
            p.y + (2 * Uniform(seed_, kInnerY, I, J) - 1) * jit};
  }

  std::int64_t Key(std::int64_t I, std::int64_t J) const {
    return I * (static_cast<std::int64_t>(h_) * g_ + 1) + J;
  }
  Point2 FromKey(std::int64_t key) const {
    const std::int64_t stride = static_cast<std::int64_t>(h_) * g_ + 1;
    return Fine(key / stride, key % stride);
  }

  // Fine-point keys around the rectangle of fine cells [I0, I1) x [J0, J1), counter-clockwise.
  std::vector<std::int64_t> RectRing(std::int64_t I0, std::int64_t J0, std::int64_t I1,
                                     std::int64_t J1) const {
    std::vector<std::int64_t> r;
    for (std::int64_t I = I0; I < I1; ++I) r.push_back(Key(I, J0));
    for (std::int64_t J = J0; J < J1; ++J) r.push_back(Key(I1, J));
    for (std::int64_t I = I1; I > I0; --I) r.push_back(Key(I, J1));
    for (std::int64_t J = J1; J > J0; --J) r.push_back(Key(I0, J));
    return r;
  }

  // Keys of the fine points along side s (0 bottom, 1 right, 2 top, 3 left) of
  // coarse cell (i, j), in counter-clockwise order, first point included, last excluded.
  std::vector<std::int64_t> Side(int i, int j, int s) const {
    const std::int64_t I0 = std::int64_t(i) * g_, J0 = std::int64_t(j) * g_;
    std::vector<std::int64_t> r;
    for (int k = 0; k < g_; ++k) {
      switch (s) {
        case 0:
          r.push_back(Key(I0 + k, J0));
          break;
        case 1:
          r.push_back(Key(I0 + g_, J0 + k));
          break;
        case 2:
          r.push_back(Key(I0 + g_ - k, J0 + g_));
          break;
        default:
          r.push_back(Key(I0, J0 + g_ - k));
          break;
      }
    }
    return r;
  }

  int W() const { return w_; }
  int H() const { return h_; }
  int G() const { return g_; }

 private:
  int w_, h_, g_;
  double side_;
  std::uint64_t seed_;
};

Ring KeysToRing(const Lattice& lat, const std::vector<std::int64_t>& keys) {
  Ring r;
  r.reserve(keys.size());
  for (auto k : keys) r.push_back(lat.FromKey(k));
  return r;
}

// Chains directed boundary edges (a -> b) into rings; positive rings become
// outer rings, negative ones holes of the outer ring that contains them.
MultiPolygon ChainRings(const Lattice& lat,
                        const std::vector<std::pair<std::int64_t, std::int64_t>>& edges) {
  std::unordered_map<std::int64_t, std::vector<std::size_t>> from;
  from.reserve(edges.size() * 2);
  for (std::size_t e = 0; e < edges.size(); ++e) from[edges[e].first].push_back(e);
  std::vector<bool> used(edges.size(), false);
  std::vector<Ring> outers, holes;
  for (std::size_t e0 = 0; e0 < edges.size(); ++e0) {
    if (used[e0]) continue;
    std::vector<std::int64_t> keys;
    std::size_t e = e0;
    while (!used[e]) {
      used[e] = true;
      keys.push_back(edges[e].first);
      const auto it = from.find(edges[e].second);
      if (it == from.end()) break;
      std::size_t next = e;
      for (std::size_t cand : it->second)
        if (!used[cand]) {
          next = cand;
          break;
        }
      if (next == e) break;
      e = next;
    }
    if (keys.size() < 3) continue;
    Ring ring = KeysToRing(lat, keys);
    (SignedArea(ring) > 0 ? outers : holes).push_back(std::move(ring));
  }
  MultiPolygon shape;
  for (auto& o : outers) shape.push_back({std::move(o), {}});
  for (auto& h : holes) {
    for (auto& poly : shape)
      if (Contains(MultiPolygon{Polygon{poly.outer, {}}}, h.front()) || shape.size() == 1) {
        poly.holes.push_back(std::move(h));
        break;
      }
  }
  return shape;
}

int Digits(long long n) {
  int d = 1;
  while (n >= 10) n /= 10, ++d;
  return d;
}

std::string Padded(long long n, int width) {
  std::string s = std::to_string(n);
  return std::string(width > int(s.size()) ? width - s.size() : 0, '0') + s;
}

const char* kSyllables[] = {"云", "岭", "石", "河", "桥", "松", "林", "坝", "沟", "山",
                            "水", "溪", "田", "湾", "坪", "竹", "梅", "花", "龙", "凤",
                            "金", "银", "白", "青", "红", "新", "安", "和", "平", "阳"};

std::string Name(std::uint64_t seed, std::int64_t index, const char* suffix) {
  const int n = sizeof kSyllables / sizeof kSyllables[0];
  const int a = static_cast<int>(Uniform(seed, kName, index, 1) * n);
  const int b = static_cast<int>(Uniform(seed, kName, index, 2) * n);
  return std::string(kSyllables[a]) + kSyllables[b] + suffix;
}

}  // namespace

GeneratedCounty GenerateCounty(const CountyOptions& o) {
  if (o.villages < 1 || o.villages > 5000000)
    throw InputError("villages must be between 1 and 5,000,000");
  if (o.group_grid < 1 || o.group_grid > 9) throw InputError("group grid must be between 1 and 9");
  if (!(o.village_km > 0)) throw InputError("village size must be positive");
  if (o.villages_per_township < 1) throw InputError("villages per township must be >= 1");

  const int n = o.villages, g = o.group_grid;
  const double side = o.village_km * 1000.0;
  const int w = static_cast<int>(std::ceil(1.7 * std::sqrt(double(n)))) + 6;
  const Lattice lat(w, w, g, side, o.seed);
  auto cell_index = [w](int i, int j) { return static_cast<std::int64_t>(j) * w + i; };

  // The county: the n cells of smallest radius relative to a wavy star shape.
  const double phase[3] = {2 * kPi * Uniform(o.seed, kShape, 1),
                           2 * kPi * Uniform(o.seed, kShape, 2),
                           2 * kPi * Uniform(o.seed, kShape, 3)};
  const Point2 centre{w * side / 2, w * side / 2};
  std::vector<std::pair<double, std::int64_t>> radius;
  radius.reserve(std::size_t(w) * w);
  for (int j = 0; j < w; ++j)
    for (int i = 0; i < w; ++i) {
      const double dx = (i + 0.5) * side - centre.x, dy = (j + 0.5) * side - centre.y;
      const double theta = std::atan2(dy, dx);
      const double shape = 1 + 0.16 * std::sin(3 * theta + phase[0]) +
                           0.09 * std::sin(5 * theta + phase[1]) +
                           0.05 * std::sin(7 * theta + phase[2]);
      radius.push_back({std::hypot(dx, dy) / shape, cell_index(i, j)});
    }
  std::nth_element(radius.begin(), radius.begin() + (n - 1), radius.end());
  std::vector<int> village_of(std::size_t(w) * w, -1);  // cell -> village index
  std::vector<std::int64_t> cells(n);
  for (int v = 0; v < n; ++v) cells[v] = radius[v].second;
  std::sort(cells.begin(), cells.end());
  for (int v = 0; v < n; ++v) village_of[cells[v]] = v;
  radius.clear();
  radius.shrink_to_fit();
  auto in_county = [&](int i, int j) {
    return i >= 0 && j >= 0 && i < w && j < w && village_of[cell_index(i, j)] >= 0;
  };

  // Village cell centroids (from the coarse corners).
  std::vector<Point2> village_centre(n);
  std::vector<MultiPolygon> village_shape(n);
  for (int v = 0; v < n; ++v) {
    const int i = static_cast<int>(cells[v] % w), j = static_cast<int>(cells[v] / w);
    village_shape[v] = {
        Polygon{KeysToRing(lat, lat.RectRing(std::int64_t(i) * g, std::int64_t(j) * g,
                                             std::int64_t(i + 1) * g, std::int64_t(j + 1) * g)),
                {}}};
    village_centre[v] = Centroid(village_shape[v]);
  }
  // County seat: the village nearest the centre.
  int seat = 0;
  for (int v = 1; v < n; ++v)
    if (Distance(village_centre[v], centre) < Distance(village_centre[seat], centre)) seat = v;

  // Townships: Voronoi cells of one jittered seat per block of m x m village cells.
  const double m = std::sqrt(double(o.villages_per_township));  // seat spacing, in cells
  const int blocks = static_cast<int>(std::ceil(w / m));
  auto seat_point = [&](int a, int b) {
    return Point2{(a + 0.15 + 0.7 * Uniform(o.seed, kSeatX, a, b)) * m * side,
                  (b + 0.15 + 0.7 * Uniform(o.seed, kSeatY, a, b)) * m * side};
  };
  std::vector<std::int64_t> block_of(n);
  for (int v = 0; v < n; ++v) {
    const int i = static_cast<int>(cells[v] % w), j = static_cast<int>(cells[v] / w);
    const int a0 = static_cast<int>(i / m), b0 = static_cast<int>(j / m);
    double best = 1e300;
    for (int b = std::max(0, b0 - 1); b <= std::min(blocks - 1, b0 + 1); ++b)
      for (int a = std::max(0, a0 - 1); a <= std::min(blocks - 1, a0 + 1); ++a) {
        const double d = Distance(village_centre[v], seat_point(a, b));
        if (d < best) best = d, block_of[v] = std::int64_t(b) * blocks + a;
      }
  }
  // Number the townships by first appearance in village order.
  std::unordered_map<std::int64_t, int> township_of_block;
  std::vector<int> township_of(n);
  for (int v = 0; v < n; ++v) {
    const auto it = township_of_block.emplace(block_of[v], int(township_of_block.size())).first;
    township_of[v] = it->second;
  }
  const int townships = static_cast<int>(township_of_block.size());
  std::vector<std::vector<int>> members(townships);
  for (int v = 0; v < n; ++v) members[township_of[v]].push_back(v);
  // Township seats: the member nearest the block's seat point (the county seat for its own).
  std::vector<int> township_seat(townships, -1);
  for (const auto& [blk, t] : township_of_block) {
    const Point2 sp = seat_point(static_cast<int>(blk % blocks), static_cast<int>(blk / blocks));
    for (int v : members[t])
      if (township_seat[t] < 0 ||
          Distance(village_centre[v], sp) < Distance(village_centre[township_seat[t]], sp))
        township_seat[t] = v;
  }
  township_seat[township_of[seat]] = seat;

  GeneratedCounty out;
  // A local equal-area CRS in south-west China, so lon/lat outputs look plausible.
  out.crs =
      "PROJCS[\"cordon synthetic county (LAEA 27.5N 99.5E)\",GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\","
      "SPHEROID[\"WGS 84\",6378137,298.257223563]],PRIMEM[\"Greenwich\",0],UNIT[\"degree\","
      "0.0174532925199433]],PROJECTION[\"Lambert_Azimuthal_Equal_Area\"],PARAMETER["
      "\"latitude_of_center\",27.5],PARAMETER[\"longitude_of_center\",99.5],PARAMETER["
      "\"false_easting\",0],PARAMETER[\"false_northing\",0],UNIT[\"metre\",1]]";
  const Point2 shift{-centre.x, -centre.y};
  auto shifted = [&](MultiPolygon s) {
    for (auto& p : s) {
      for (auto& q : p.outer) q = {q.x + shift.x, q.y + shift.y};
      for (auto& h : p.holes)
        for (auto& q : h) q = {q.x + shift.x, q.y + shift.y};
    }
    return s;
  };
  auto moved = [&](Point2 p) { return Point2{p.x + shift.x, p.y + shift.y}; };

  // Codes and names.
  const int tw = std::max(3, Digits(townships));
  std::size_t most = 0;
  for (const auto& mem : members) most = std::max(most, mem.size());
  const int vw = std::max(3, Digits(static_cast<long long>(most)));
  out.county.code = o.code;
  out.county.name = o.name;

  // Populations: county seat tens of thousands, township seats thousands, hamlets hundreds.
  std::vector<double> village_pop(n);
  for (int v = 0; v < n; ++v) {
    const double u = Uniform(o.seed, kPopU, v), u2 = Uniform(o.seed, kPopV, v);
    const double z = std::sqrt(-2 * std::log(1 - u)) * std::cos(2 * kPi * u2);
    double p = std::clamp(std::exp(std::log(600.0) + 0.6 * z), 150.0, 4000.0);
    if (township_seat[township_of[v]] == v) p = 1200 + 2400 * u;
    if (v == seat) p = 12000 + 18000 * u;
    village_pop[v] = std::round(p);
  }

  // Townships and county polygons: boundary sides of member cells, chained.
  const int dx[4] = {0, 1, 0, -1}, dy[4] = {-1, 0, 1, 0};
  std::vector<std::vector<std::pair<std::int64_t, std::int64_t>>> t_edges(townships);
  std::vector<std::pair<std::int64_t, std::int64_t>> c_edges;
  for (int v = 0; v < n; ++v) {
    const int i = static_cast<int>(cells[v] % w), j = static_cast<int>(cells[v] / w);
    for (int s = 0; s < 4; ++s) {
      const int ni = i + dx[s], nj = j + dy[s];
      const bool inside = in_county(ni, nj);
      const bool same = inside && township_of[village_of[cell_index(ni, nj)]] == township_of[v];
      if (same) continue;
      const auto keys = lat.Side(i, j, s);
      // The side's last point is the first point of the next side.
      std::vector<std::int64_t> pts = keys;
      pts.push_back(lat.Side(i, j, (s + 1) % 4).front());
      for (std::size_t k = 0; k + 1 < pts.size(); ++k) {
        t_edges[township_of[v]].push_back({pts[k], pts[k + 1]});
        if (!inside) c_edges.push_back({pts[k], pts[k + 1]});
      }
    }
  }
  out.county.shape = shifted(ChainRings(lat, c_edges));
  c_edges.clear();
  out.townships.resize(townships);
  std::vector<double> township_pop(townships, 0.0);
  for (int v = 0; v < n; ++v) township_pop[township_of[v]] += village_pop[v];
  for (int t = 0; t < townships; ++t) {
    AdminUnit& u = out.townships[t];
    u.code = o.code + Padded(t + 1, tw);
    const bool is_seat_town = t == township_of[seat];
    u.name =
        is_seat_town ? Name(o.seed, -1 - t, "镇") : Name(o.seed, -1 - t, t % 3 == 0 ? "镇" : "乡");
    u.parent = o.code;
    u.population = township_pop[t];
    u.shape = shifted(ChainRings(lat, t_edges[t]));
    t_edges[t].clear();
    t_edges[t].shrink_to_fit();
  }
  for (double p : township_pop) out.county.population += p;

  // Villages (and their groups), numbered within their township.
  std::vector<int> rank_in_township(n);
  for (const auto& mem : members)
    for (std::size_t k = 0; k < mem.size(); ++k) rank_in_township[mem[k]] = static_cast<int>(k);
  out.villages.resize(n);
  for (int v = 0; v < n; ++v) {
    AdminUnit& u = out.villages[v];
    const AdminUnit& town = out.townships[township_of[v]];
    u.code = town.code + Padded(rank_in_township[v] + 1, vw);
    u.name = Name(o.seed, v, v == seat ? "社区" : "村");
    u.parent = town.code;
    u.population = village_pop[v];
    u.shape = shifted(village_shape[v]);
  }
  std::vector<Point2> group_centre;
  if (g > 1) {
    out.groups.reserve(std::size_t(n) * g * g);
    group_centre.reserve(std::size_t(n) * g * g);
    for (int v = 0; v < n; ++v) {
      const std::int64_t i = cells[v] % w, j = cells[v] / w;
      std::vector<double> weights;
      for (int k = 0; k < g * g; ++k) weights.push_back(0.5 + Uniform(o.seed, kGroupW, v, k));
      const auto pops = Apportion(village_pop[v], weights);
      for (int b = 0; b < g; ++b)
        for (int a = 0; a < g; ++a) {
          AdminUnit u;
          const int k = b * g + a;
          u.code = out.villages[v].code + Padded(k + 1, 2);
          u.name = Name(o.seed, std::int64_t(v) * 100 + k + 7, "组");
          u.parent = out.villages[v].code;
          u.population = pops[k];
          MultiPolygon shape{Polygon{
              KeysToRing(lat, lat.RectRing(i * g + a, j * g + b, i * g + a + 1, j * g + b + 1)),
              {}}};
          group_centre.push_back(moved(Centroid(shape)));
          u.shape = shifted(std::move(shape));
          out.groups.push_back(std::move(u));
        }
    }
  }

  // Roads. Links join the centres of 4-neighbouring village cells, so each
  // link crosses exactly the one boundary between them.
  enum Class { kNone = 0, kVillage = 1, kTownship = 2, kHighway = 3 };
  std::unordered_map<std::int64_t, int> link_class;  // key: a * n + b with a < b
  auto link_key = [n](int a, int b) {
    if (a > b) std::swap(a, b);
    return std::int64_t(a) * n + b;
  };
  auto upgrade = [&](int a, int b, int c) {
    int& cls = link_class[link_key(a, b)];
    cls = std::max(cls, c);
  };
  auto neighbour = [&](int v, int s) {
    const int i = static_cast<int>(cells[v] % w) + dx[s],
              j = static_cast<int>(cells[v] / w) + dy[s];
    return in_county(i, j) ? village_of[cell_index(i, j)] : -1;
  };
  // Breadth-first trees: inside each township from its seat, and over the
  // whole county from the county seat (township roads follow the latter).
  // parent_of must hold -2 for every village BFS may reach; visited villages are returned.
  auto bfs = [&](int root, auto&& allowed, std::vector<int>& parent_of) {
    std::vector<int> queue{root};
    parent_of[root] = -1;
    for (std::size_t q = 0; q < queue.size(); ++q)
      for (int s = 0; s < 4; ++s) {
        const int nb = neighbour(queue[q], s);
        if (nb >= 0 && parent_of[nb] == -2 && allowed(nb)) {
          parent_of[nb] = queue[q];
          queue.push_back(nb);
        }
      }
    return queue;
  };
  std::vector<int> county_tree(n, -2);
  bfs(
      seat, [](int) { return true; }, county_tree);
  std::vector<int> local(n, -2);
  for (int t = 0; t < townships; ++t) {
    const auto visited = bfs(
        township_seat[t], [&](int v) { return township_of[v] == t; }, local);
    for (int v : members[t]) {
      // A village cut off inside its township joins along the county tree.
      const int parent = local[v] != -2 ? local[v] : county_tree[v];
      if (parent >= 0) upgrade(v, parent, kVillage);
    }
    for (int v : visited) local[v] = -2;
  }
  for (int v = 0; v < n; ++v) {
    if (county_tree[v] == -2) {
      // Cut off in 4-connectivity (a diagonal contact at the fringe): join the nearest village.
      int best = -1;
      for (int u = 0; u < n; ++u)
        if (u != v && county_tree[u] != -2 &&
            (best < 0 || Distance(village_centre[u], village_centre[v]) <
                             Distance(village_centre[best], village_centre[v])))
          best = u;
      if (best >= 0) upgrade(v, best, kVillage);
    }
    // A few loops, so that closing one road leaves a detour.
    for (int s = 1; s <= 2; ++s) {
      const int nb = neighbour(v, s);
      if (nb >= 0 && Uniform(o.seed, kLoop, v, s) < 0.12) upgrade(v, nb, kVillage);
    }
  }
  for (int t = 0; t < townships; ++t)
    for (int v = township_seat[t]; v >= 0 && county_tree[v] >= 0; v = county_tree[v])
      upgrade(v, county_tree[v], kTownship);
  // A highway east-west through the seat and a township road north-south,
  // each leaving the county at both ends (the gates).
  const int si = static_cast<int>(cells[seat] % w), sj = static_cast<int>(cells[seat] / w);
  std::vector<std::pair<int, Point2>> gate_links;  // village, outer point
  std::vector<int> gate_class;
  for (int axis = 0; axis < 2; ++axis) {
    const int cls = axis == 0 ? kHighway : kTownship;
    for (int dir : {-1, 1}) {
      int i = si, j = sj, prev = seat;
      while (true) {
        const int ni = i + (axis == 0 ? dir : 0), nj = j + (axis == 1 ? dir : 0);
        if (!in_county(ni, nj)) {
          // The next cell lies outside: its centre is the gate.
          const MultiPolygon outside{Polygon{
              KeysToRing(lat, lat.RectRing(std::int64_t(ni) * g, std::int64_t(nj) * g,
                                           std::int64_t(ni + 1) * g, std::int64_t(nj + 1) * g)),
              {}}};
          gate_links.push_back({prev, Centroid(outside)});
          gate_class.push_back(cls);
          break;
        }
        const int next = village_of[cell_index(ni, nj)];
        upgrade(prev, next, cls);
        prev = next, i = ni, j = nj;
      }
    }
  }

  const char* kind_name[] = {"", "village", "township", "highway"};
  const double speed[] = {0, 30, 50, 80};
  std::vector<std::pair<std::int64_t, int>> links(link_class.begin(), link_class.end());
  std::sort(links.begin(), links.end());
  out.roads.reserve(links.size() + gate_links.size() + out.groups.size());
  for (const auto& [key, cls] : links) {
    const int a = static_cast<int>(key / n), b = static_cast<int>(key % n);
    out.roads.push_back(
        {{moved(village_centre[a]), moved(village_centre[b])}, kind_name[cls], speed[cls]});
  }
  for (std::size_t k = 0; k < gate_links.size(); ++k) {
    const Point2 outer = moved(gate_links[k].second);
    out.roads.push_back({{moved(village_centre[gate_links[k].first]), outer},
                         kind_name[gate_class[k]],
                         speed[gate_class[k]]});
    out.gates.push_back(outer);
  }
  // Lanes from each group's centre to its village centre (skipping the group holding it).
  for (std::size_t k = 0; k < out.groups.size(); ++k) {
    const int v = static_cast<int>(k / (std::size_t(g) * g));
    const Point2 vc = moved(village_centre[v]);
    if (Contains(out.groups[k].shape, vc)) continue;
    out.roads.push_back({{group_centre[k], vc}, "lane", 15.0});
  }
  return out;
}

std::vector<LayerToWrite> CountyLayers(const GeneratedCounty& c) {
  auto text = [](const char* name) { return Column{name, FieldType::kText, {}, {}, {}}; };
  auto real = [](const char* name) { return Column{name, FieldType::kReal, {}, {}, {}}; };
  auto integer = [](const char* name) { return Column{name, FieldType::kInteger, {}, {}, {}}; };
  // Parent codes of a unit at each level, from the code prefixes.
  auto units = [&](const char* name, const std::vector<const AdminUnit*>& list, int depth) {
    LayerToWrite l;
    l.name = name;
    l.kind = GeometryKind::kPolygon;
    l.crs = c.crs;
    l.columns = {text("code"),    text("name"),       text("county"),      text("township"),
                 text("village"), real("population"), integer("synthetic")};
    for (const AdminUnit* u : list) {
      l.columns[0].text.push_back(u->code);
      l.columns[1].text.push_back(u->name);
      l.columns[2].text.push_back(c.county.code);
      // depth 1 = township, 2 = village, 3 = group: parents are code prefixes.
      std::string township, village;
      if (depth == 1) township = u->code;
      if (depth == 2) township = u->parent, village = u->code;
      if (depth == 3) village = u->parent;
      l.columns[3].text.push_back(township);
      l.columns[4].text.push_back(village);
      l.columns[5].real.push_back(u->population);
      l.columns[6].integer.push_back(1);
      l.polygons.push_back(u->shape);
    }
    return l;
  };
  std::vector<LayerToWrite> layers;
  layers.push_back(units("county", {&c.county}, 0));
  std::vector<const AdminUnit*> list;
  for (const auto& u : c.townships) list.push_back(&u);
  layers.push_back(units("townships", list, 1));
  list.clear();
  for (const auto& u : c.villages) list.push_back(&u);
  layers.push_back(units("villages", list, 2));
  if (!c.groups.empty()) {
    // A group's township is its village's parent.
    std::unordered_map<std::string, std::string> township_of_village;
    for (const auto& v : c.villages) township_of_village[v.code] = v.parent;
    list.clear();
    for (const auto& u : c.groups) list.push_back(&u);
    LayerToWrite l = units("groups", list, 3);
    for (std::size_t k = 0; k < c.groups.size(); ++k)
      l.columns[3].text[k] = township_of_village[c.groups[k].parent];
    layers.push_back(std::move(l));
  }
  LayerToWrite roads;
  roads.name = "roads";
  roads.kind = GeometryKind::kLine;
  roads.crs = c.crs;
  roads.columns = {text("kind"), real("speed_kmh"), integer("synthetic")};
  for (const auto& r : c.roads) {
    roads.columns[0].text.push_back(r.kind);
    roads.columns[1].real.push_back(r.speed_kmh);
    roads.columns[2].integer.push_back(1);
    roads.lines.push_back(r.line);
  }
  layers.push_back(std::move(roads));
  LayerToWrite gates;
  gates.name = "gates";
  gates.kind = GeometryKind::kPoint;
  gates.crs = c.crs;
  gates.columns = {text("id"), integer("synthetic")};
  for (std::size_t k = 0; k < c.gates.size(); ++k) {
    gates.columns[0].text.push_back("gate-" + std::to_string(k + 1));
    gates.columns[1].integer.push_back(1);
    gates.points.push_back(c.gates[k]);
  }
  layers.push_back(std::move(gates));
  return layers;
}

}  // namespace cordon::data
