// SPDX-License-Identifier: Apache-2.0
#include "cordon/geo/unit_labels.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "cordon/base/error.hpp"
#include "cordon/data/vector_io.hpp"

namespace cordon::geo {

namespace {

// Unit code -> name from the labels layer (the first name of a code wins).
std::map<std::string, std::string> ReadNames(const LabelSpec& spec) {
  data::ReadOptions options;
  options.assume_crs = spec.layer.crs;
  options.encoding = spec.layer.encoding;
  const data::VectorLayer layer = data::ReadVectorLayer(spec.layer.path, spec.layer.layer, options);
  const int id = layer.FieldIndex(spec.id), name = layer.FieldIndex(spec.name);
  const std::string where = layer.path + " (layer " + layer.layer + ")";
  if (id < 0) throw InputError(SourceRef{where}, "region.labels.id: no field '" + spec.id + "'");
  if (name < 0)
    throw InputError(SourceRef{where}, "region.labels.name: no field '" + spec.name + "'");
  std::map<std::string, std::string> names;
  for (const auto& f : layer.features)
    if (!f.values[id].empty() && !f.values[name].empty())
      names.emplace(f.values[id], f.values[name]);
  return names;
}

}  // namespace

std::vector<UnitLabel> ReadUnitLabels(const LabelSpec& spec, const Region& region) {
  const std::map<std::string, std::string> names = ReadNames(spec);
  // The parent level (not the patches' own, the last) whose codes the layer names most.
  int level = -1;
  std::size_t best = 0;
  for (std::size_t l = 0; l + 1 < region.admin.size(); ++l) {
    std::set<std::string> named;
    for (const auto& code : region.admin[l])
      if (names.count(code)) named.insert(code);
    if (!named.empty() && named.size() >= best) best = named.size(), level = int(l);
  }
  if (level < 0) return {};
  // Per unit: its members' population-weighted centre and bounding box.
  struct Unit {
    std::vector<int> members;
    double population = 0, x = 0, y = 0;
    data::Box box;
  };
  std::map<std::string, Unit> units;
  const auto& codes = region.admin[std::size_t(level)];
  for (int i = 0; i < region.Patches(); ++i) {
    if (!names.count(codes[i])) continue;
    Unit& u = units[codes[i]];
    const double w = std::max(region.population[i], 1e-9);
    u.members.push_back(i);
    u.population += region.population[i];
    u.x += w * region.anchors[i].x;
    u.y += w * region.anchors[i].y;
    u.box.Add(data::Bounds(region.shapes[i]));
  }
  std::vector<UnitLabel> labels;
  for (const auto& [code, u] : units) {
    double weight = 0;
    for (int i : u.members) weight += std::max(region.population[i], 1e-9);
    const data::Point2 centre{u.x / weight, u.y / weight};
    // A member's anchor, so the label sits inside the unit even when the unit is not convex.
    data::Point2 at = region.anchors[u.members.front()];
    double nearest = std::numeric_limits<double>::infinity();
    for (int i : u.members) {
      const double d = std::hypot(region.anchors[i].x - centre.x, region.anchors[i].y - centre.y);
      if (d < nearest) nearest = d, at = region.anchors[i];
    }
    labels.push_back({names.at(code), at, u.box.max_x - u.box.min_x, u.population, code});
  }
  std::stable_sort(labels.begin(), labels.end(), [](const UnitLabel& a, const UnitLabel& b) {
    return a.population > b.population;
  });
  return labels;
}

}  // namespace cordon::geo
