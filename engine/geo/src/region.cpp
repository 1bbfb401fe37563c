// SPDX-License-Identifier: Apache-2.0
#include "cordon/geo/region.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <unordered_map>
#include <unordered_set>

#include "grid_index.hpp"

namespace cordon::geo {

int Region::LevelIndex(const std::string& level) const {
  for (std::size_t k = 0; k < levels.size(); ++k)
    if (levels[k] == level) return static_cast<int>(k);
  return -1;
}

namespace {

int RequireField(const data::VectorLayer& layer, const std::string& field, const char* key) {
  const int f = layer.FieldIndex(field);
  if (f < 0) {
    std::string list;
    for (const auto& n : layer.fields) list += (list.empty() ? "" : ", ") + n;
    throw InputError::Named(layer.path, layer.path + " (layer " + layer.layer +
                                            "): region.villages." + key + ": no field '" + field +
                                            "' (fields: " + list + ")");
  }
  return f;
}

}  // namespace

Region BuildRegion(const data::VectorLayer& layer, const RegionFields& fields,
                   const std::string& source_crs) {
  const int id_f = RequireField(layer, fields.id, "id");
  const int pop_f = RequireField(layer, fields.population, "population");
  const int name_f = fields.name.empty() ? -1 : RequireField(layer, fields.name, "name");
  std::vector<int> parent_f;
  for (const auto& p : fields.parent) parent_f.push_back(RequireField(layer, p, "parent"));
  if (layer.features.empty())
    throw InputError::Named(layer.path,
                            layer.path + " (layer " + layer.layer + "): no village polygons");
  // Codes with bytes replaced could merge two villages: they must be read right.
  for (const auto& parent : fields.parent) data::RequireUtf8Field(layer, parent);
  data::RequireUtf8Field(layer, fields.id);

  Region r;
  r.crs = layer.crs;
  r.source_crs = source_crs;
  r.repaired = layer.repaired;
  r.levels = fields.parent;
  r.levels.push_back(fields.level);
  r.admin.assign(r.levels.size(), {});
  std::unordered_map<std::string, std::size_t> seen;
  for (std::size_t k = 0; k < layer.features.size(); ++k) {
    const data::Feature& f = layer.features[k];
    const std::string& id = f.values[id_f];
    if (id.empty())
      throw InputError::Named(layer.path,
                              layer.Where(k) + ": field '" + fields.id + "' (id) is empty");
    if (const auto [it, fresh] = seen.emplace(id, k); !fresh)
      throw InputError::Named(layer.path, layer.Where(k) + ": duplicate id '" + id + "' (also " +
                                              layer.Where(it->second) + ")");
    const std::string& pop_text = f.values[pop_f];
    if (f.null_values[pop_f] || pop_text.empty())
      throw InputError::Named(layer.path, layer.Where(k) + " (id " + id + "): field '" +
                                              fields.population + "' (population) is empty");
    char* end = nullptr;
    errno = 0;
    const double pop = std::strtod(pop_text.c_str(), &end);
    if (end == pop_text.c_str() || *end != '\0' || errno != 0 || !std::isfinite(pop))
      throw InputError::Named(layer.path, layer.Where(k) + " (id " + id + "): field '" +
                                              fields.population + "' (population): '" + pop_text +
                                              "' is not a number");
    if (pop < 0)
      throw InputError::Named(layer.path, layer.Where(k) + " (id " + id + "): field '" +
                                              fields.population +
                                              "' (population) must be >= 0, got " + pop_text);
    for (std::size_t l = 0; l < parent_f.size(); ++l) {
      const std::string& code = f.values[parent_f[l]];
      if (code.empty())
        throw InputError::Named(layer.path, layer.Where(k) + " (id " + id + "): parent field '" +
                                                fields.parent[l] + "' is empty");
      r.admin[l].push_back(code);
    }
    r.admin.back().push_back(id);
    r.ids.push_back(id);
    r.names.push_back(name_f >= 0 ? f.values[name_f] : std::string());
    r.population.push_back(pop);
    r.shapes.push_back(f.polygons);
    r.anchors.push_back(data::InteriorPoint(f.polygons));
    r.area_km2.push_back(data::Area(f.polygons) / 1e6);
  }
  return r;
}

std::vector<Adjacency> FindAdjacency(const Region& region, double tolerance_m,
                                     double min_shared_m) {
  const int n = region.Patches();
  std::vector<data::Box> boxes(n);
  for (int p = 0; p < n; ++p) boxes[p] = data::Bounds(region.shapes[p]);
  const GridIndex index(boxes);
  std::vector<Adjacency> out;
  std::vector<int> stamp(n, -1);
  for (int a = 0; a < n; ++a) {
    index.Query(boxes[a], tolerance_m, [&](int b) {
      if (b <= a || stamp[b] == a || !boxes[a].Intersects(boxes[b], tolerance_m)) return;
      stamp[b] = a;
      // Length of a's boundary that runs within the tolerance of b's boundary.
      double shared = 0.0;
      auto ring = [&](const data::Ring& r) {
        for (std::size_t i = 0; i < r.size(); ++i) {
          const data::Point2 p = r[i], q = r[(i + 1) % r.size()];
          data::Box seg;
          seg.Add(p);
          seg.Add(q);
          if (!seg.Intersects(boxes[b], tolerance_m)) continue;
          const data::Point2 mid{(p.x + q.x) / 2, (p.y + q.y) / 2};
          if (data::BoundaryDistance(region.shapes[b], mid) <= tolerance_m &&
              data::BoundaryDistance(region.shapes[b], p) <= tolerance_m &&
              data::BoundaryDistance(region.shapes[b], q) <= tolerance_m)
            shared += data::Distance(p, q);
        }
      };
      for (const auto& poly : region.shapes[a]) {
        ring(poly.outer);
        for (const auto& h : poly.holes) ring(h);
      }
      if (shared >= min_shared_m) out.push_back({a, b, shared / 1000.0});
    });
  }
  return out;
}

std::vector<BorderExit> FindBorderExits(const Region& region, double tolerance_m,
                                        double min_outer_m) {
  const int n = region.Patches();
  std::vector<data::Box> boxes(n);
  for (int p = 0; p < n; ++p) boxes[p] = data::Bounds(region.shapes[p]);
  const GridIndex index(boxes);
  std::vector<BorderExit> out;
  std::vector<int> near;
  for (int a = 0; a < n; ++a) {
    near.clear();
    index.Query(boxes[a], tolerance_m, [&](int b) {
      if (b != a && boxes[a].Intersects(boxes[b], tolerance_m)) near.push_back(b);
    });
    auto shared = [&](data::Point2 p) {
      for (int b : near)
        if (data::BoundaryDistance(region.shapes[b], p) <= tolerance_m) return true;
      return false;
    };
    BorderExit exit{a, {}, 0.0};
    double best = 1e300;
    for (const auto& poly : region.shapes[a]) {
      const data::Ring& r = poly.outer;  // holes face patches or gaps inside the region
      for (std::size_t i = 0; i < r.size(); ++i) {
        const data::Point2 p = r[i], q = r[(i + 1) % r.size()];
        const data::Point2 mid{(p.x + q.x) / 2, (p.y + q.y) / 2};
        if (shared(mid)) continue;
        exit.outer_km += data::Distance(p, q) / 1000.0;
        double t = 0.0;
        const double d = data::SegmentDistance(region.anchors[a], p, q, &t);
        if (d < best) {
          best = d;
          exit.point = {p.x + t * (q.x - p.x), p.y + t * (q.y - p.y)};
        }
      }
    }
    if (exit.outer_km * 1000.0 >= min_outer_m) out.push_back(exit);
  }
  return out;
}

std::vector<int> LocatePoints(const Region& region, const std::vector<data::Point2>& points) {
  const int n = region.Patches();
  std::vector<data::Box> boxes(n);
  for (int p = 0; p < n; ++p) boxes[p] = data::Bounds(region.shapes[p]);
  const GridIndex index(boxes);
  std::vector<int> out(points.size(), -1);
  for (std::size_t k = 0; k < points.size(); ++k) {
    data::Box b;
    b.Add(points[k]);
    int near = -1;
    index.Query(b, 0.0, [&](int p) {
      if (out[k] >= 0) return;
      if (data::Contains(region.shapes[p], points[k]))
        out[k] = p;
      else if (near < 0 && data::BoundaryDistance(region.shapes[p], points[k]) < 1e-3)
        near = p;  // on a border: the even-odd test may miss it on both sides
    });
    if (out[k] < 0) out[k] = near;
  }
  return out;
}

}  // namespace cordon::geo
