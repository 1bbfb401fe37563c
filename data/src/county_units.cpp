// SPDX-License-Identifier: Apache-2.0
#include "county_units.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace cordon::data {
namespace {

// Decimal digits of n >= 0.
int Digits(long long n) {
  int d = 1;
  while (n >= 10) n /= 10, ++d;
  return d;
}

// n in decimal, zero-padded to `width` digits.
std::string Padded(long long n, int width) {
  std::string s = std::to_string(n);
  return std::string(width > int(s.size()) ? width - s.size() : 0, '0') + s;
}

const char* const kSyllables[] = {"云", "岭", "石", "河", "桥", "松", "林", "坝", "沟", "山",
                                  "水", "溪", "田", "湾", "坪", "竹", "梅", "花", "龙", "凤",
                                  "金", "银", "白", "青", "红", "新", "安", "和", "平", "阳"};

// Two random syllables and `suffix`, keyed by the unit's `index`.
std::string Name(std::uint64_t seed, std::int64_t index, const char* suffix) {
  const int n = sizeof kSyllables / sizeof kSyllables[0];
  const int a = static_cast<int>(CountyUniform(seed, kName, index, 1) * n);
  const int b = static_cast<int>(CountyUniform(seed, kName, index, 2) * n);
  return std::string(kSyllables[a]) + kSyllables[b] + suffix;
}

}  // namespace

std::vector<double> VillagePopulations(const CountyLayout& layout, std::uint64_t seed) {
  const Townships& t = layout.townships;
  const int n = static_cast<int>(t.of_village.size());
  std::vector<double> village_pop(n);
  for (int v = 0; v < n; ++v) {
    const double u = CountyUniform(seed, kPopU, v), u2 = CountyUniform(seed, kPopV, v);
    const double z = std::sqrt(-2 * std::log(1 - u)) * std::cos(2 * kCountyPi * u2);
    double p = std::clamp(std::exp(std::log(600.0) + 0.6 * z), 150.0, 4000.0);
    if (t.seat[t.of_village[v]] == v) p = 1200 + 2400 * u;
    if (v == layout.seat) p = 12000 + 18000 * u;
    village_pop[v] = std::round(p);
  }
  return village_pop;
}

std::vector<AdminUnit> TownshipUnits(const CountyOptions& o, const CountyLayout& layout,
                                     const std::vector<double>& village_pop,
                                     std::vector<MultiPolygon> outlines, Point2 shift) {
  const Townships& t = layout.townships;
  const int townships = t.Count();
  const int tw = std::max(3, Digits(townships));
  std::vector<double> township_pop(townships, 0.0);
  for (std::size_t v = 0; v < village_pop.size(); ++v)
    township_pop[t.of_village[v]] += village_pop[v];
  std::vector<AdminUnit> units(townships);
  for (int k = 0; k < townships; ++k) {
    AdminUnit& u = units[k];
    u.code = o.code + Padded(k + 1, tw);
    const bool is_seat_town = k == t.of_village[layout.seat];
    u.name =
        is_seat_town ? Name(o.seed, -1 - k, "镇") : Name(o.seed, -1 - k, k % 3 == 0 ? "镇" : "乡");
    u.parent = o.code;
    u.population = township_pop[k];
    u.shape = Translated(std::move(outlines[k]), shift);
  }
  return units;
}

std::vector<AdminUnit> VillageUnits(const CountyOptions& o, const CountyLayout& layout,
                                    const std::vector<double>& village_pop,
                                    const std::vector<AdminUnit>& townships, Point2 shift) {
  const Townships& t = layout.townships;
  const int n = static_cast<int>(village_pop.size());
  std::size_t most = 0;
  for (const auto& mem : t.members) most = std::max(most, mem.size());
  const int vw = std::max(3, Digits(static_cast<long long>(most)));
  std::vector<int> rank_in_township(n);
  for (const auto& mem : t.members)
    for (std::size_t k = 0; k < mem.size(); ++k) rank_in_township[mem[k]] = static_cast<int>(k);
  std::vector<AdminUnit> units(n);
  for (int v = 0; v < n; ++v) {
    AdminUnit& u = units[v];
    const AdminUnit& town = townships[t.of_village[v]];
    u.code = town.code + Padded(rank_in_township[v] + 1, vw);
    u.name = Name(o.seed, v, v == layout.seat ? "社区" : "村");
    u.parent = town.code;
    u.population = village_pop[v];
    u.shape = Translated(layout.village_shape[v], shift);
  }
  return units;
}

Groups GroupUnits(const CountyOptions& o, const CountyLayout& layout,
                  const std::vector<AdminUnit>& villages, Point2 shift) {
  const int n = static_cast<int>(villages.size()), g = o.group_grid;
  Groups groups;
  groups.units.reserve(std::size_t(n) * g * g);
  groups.centre.reserve(std::size_t(n) * g * g);
  for (int v = 0; v < n; ++v) {
    const std::int64_t i = layout.cells.Column(v), j = layout.cells.Row(v);
    std::vector<double> weights;
    for (int k = 0; k < g * g; ++k) weights.push_back(0.5 + CountyUniform(o.seed, kGroupW, v, k));
    const auto pops = Apportion(villages[v].population, weights);
    for (int b = 0; b < g; ++b)
      for (int a = 0; a < g; ++a) {
        AdminUnit u;
        const int k = b * g + a;
        u.code = villages[v].code + Padded(k + 1, 2);
        u.name = Name(o.seed, std::int64_t(v) * 100 + k + 7, "组");
        u.parent = villages[v].code;
        u.population = pops[k];
        const auto keys =
            layout.lattice.RectRing(i * g + a, j * g + b, i * g + a + 1, j * g + b + 1);
        MultiPolygon shape{Polygon{layout.lattice.RingOf(keys), {}}};
        groups.centre.push_back(Translated(Centroid(shape), shift));
        u.shape = Translated(std::move(shape), shift);
        groups.units.push_back(std::move(u));
      }
  }
  return groups;
}

}  // namespace cordon::data
