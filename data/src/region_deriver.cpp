// SPDX-License-Identifier: Apache-2.0
#include "cordon/data/region_deriver.hpp"

#include <ogr_geometry.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <unordered_map>

#include "cordon/data/vector_io.hpp"
#include "gdal_session.hpp"
#include "keyed_random.hpp"
#include "ogr_convert.hpp"

namespace cordon::data {
namespace {

enum Stream : std::uint64_t { kCandidateX = 101, kCandidateY, kJitter };

// Keeps the side of the bisector of (site, other) that holds `site` (Sutherland-Hodgman).
Ring ClipHalfPlane(const Ring& ring, Point2 site, Point2 other) {
  const double nx = other.x - site.x, ny = other.y - site.y;
  const double c = (nx * (site.x + other.x) + ny * (site.y + other.y)) / 2;
  auto inside = [&](Point2 p) { return nx * p.x + ny * p.y <= c; };
  Ring out;
  for (std::size_t i = 0; i < ring.size(); ++i) {
    const Point2 p = ring[i], q = ring[(i + 1) % ring.size()];
    const bool pin = inside(p), qin = inside(q);
    if (pin) out.push_back(p);
    if (pin != qin) {
      const double dp = nx * p.x + ny * p.y - c, dq = nx * q.x + ny * q.y - c;
      const double t = dp / (dp - dq);
      out.push_back({p.x + t * (q.x - p.x), p.y + t * (q.y - p.y)});
    }
  }
  return out;
}

// Voronoi cells of `sites` inside `within` (GEOS intersection through OGR).
std::vector<MultiPolygon> VoronoiWithin(const std::vector<Point2>& sites,
                                        const MultiPolygon& within) {
  const Box box = Bounds(within);
  const double pad = std::max(box.max_x - box.min_x, box.max_y - box.min_y) + 1.0;
  const Ring frame = {{box.min_x - pad, box.min_y - pad},
                      {box.max_x + pad, box.min_y - pad},
                      {box.max_x + pad, box.max_y + pad},
                      {box.min_x - pad, box.max_y + pad}};
  const auto clip = ToOgr(within);
  std::vector<MultiPolygon> cells;
  for (std::size_t i = 0; i < sites.size(); ++i) {
    Ring cell = frame;
    for (std::size_t j = 0; j < sites.size() && cell.size() >= 3; ++j)
      if (j != i) cell = ClipHalfPlane(cell, sites[i], sites[j]);
    if (cell.size() < 3) {
      cells.emplace_back();
      continue;
    }
    const auto convex = ToOgr(MultiPolygon{Polygon{cell, {}}});
    std::unique_ptr<OGRGeometry> part(convex->Intersection(clip.get()));
    cells.push_back(part ? PolygonsOf(part.get()) : MultiPolygon{});
  }
  return cells;
}

// Adds `count` sites inside `area`, each the farthest of a few random
// candidates from every site so far; `near` (when set) keeps them within
// `radius` of it. Keyed by `key` so the result does not depend on call order.
std::vector<Point2> PlaceSites(const MultiPolygon& area, std::vector<Point2> existing, int count,
                               const Point2* near, double radius, std::uint64_t seed,
                               std::int64_t key) {
  const Box box = Bounds(area);
  std::vector<Point2> placed;
  for (int n = 0; n < count; ++n) {
    Point2 best = InteriorPoint(area);
    double best_d = -1;
    for (int c = 0, found = 0; c < 400 && found < 24; ++c) {
      const double u = KeyedUniform(seed, kCandidateX, key * 1000 + n, c);
      const double v = KeyedUniform(seed, kCandidateY, key * 1000 + n, c);
      Point2 p{box.min_x + u * (box.max_x - box.min_x), box.min_y + v * (box.max_y - box.min_y)};
      if (near) {
        const double r = radius * std::sqrt(u), a = 2 * 3.14159265358979 * v;
        p = {near->x + r * std::cos(a), near->y + r * std::sin(a)};
      }
      if (!Contains(area, p)) continue;
      ++found;
      double d = 1e300;
      for (const auto& e : existing) d = std::min(d, Distance(e, p));
      for (const auto& e : placed) d = std::min(d, Distance(e, p));
      if (d > best_d) best_d = d, best = p;
    }
    placed.push_back(best);
  }
  return placed;
}

struct UnitRow {
  std::string code, parent, name, level, county, ur;
  bool has_point = false;
  Point2 point;
  std::size_t row = 0;
};

}  // namespace

DerivedRegion DeriveRegion(const DeriveOptions& o) {
  const bool gcj = !o.crs.empty();
  const std::string wgs84 = CrsToWkt("EPSG:4326", "WGS84");
  ReadOptions poly_options;
  poly_options.kind = GeometryKind::kPolygon;
  poly_options.assume_crs = o.crs;
  VectorLayer counties = ReadVectorLayer(o.counties, "", poly_options);
  if (counties.crs.empty()) counties.crs = wgs84;
  Reproject(counties, wgs84);
  const std::string metres = LocalEqualAreaCrs(counties);
  Reproject(counties, metres);
  auto field = [](const VectorLayer& l, const std::string& name) {
    const int f = l.FieldIndex(name);
    if (f < 0) throw InputError(l.path + ": no column '" + name + "'");
    return f;
  };
  const int c_code = field(counties, o.county_code_field),
            c_pop = field(counties, o.population_field);
  const int c_name = counties.FieldIndex("name");
  const int c_urb = o.urban_share_field.empty() ? -1 : counties.FieldIndex(o.urban_share_field);

  // The code tree.
  VectorLayer units = ReadVectorLayer(o.units, "");
  const int u_code = field(units, "code12"), u_parent = field(units, "parent12");
  const int u_name = field(units, "name"), u_level = field(units, "level");
  const int u_county = field(units, "county_adcode"), u_ur = field(units, "ur_code");
  const int u_lon = field(units, gcj ? "lon_gcj02" : "lon_wgs84");
  const int u_lat = field(units, gcj ? "lat_gcj02" : "lat_wgs84");
  std::vector<UnitRow> rows;
  std::vector<Point2> points;
  std::vector<std::size_t> point_row;
  for (std::size_t k = 0; k < units.features.size(); ++k) {
    const Feature& f = units.features[k];
    UnitRow r{f.values[u_code],
              f.values[u_parent],
              f.values[u_name],
              f.values[u_level],
              f.values[u_county],
              f.values[u_ur],
              false,
              {},
              k};
    if (!f.values[u_lon].empty() && !f.values[u_lat].empty()) {
      Point2 p{std::strtod(f.values[u_lon].c_str(), nullptr),
               std::strtod(f.values[u_lat].c_str(), nullptr)};
      if (gcj) p = Gcj02ToWgs84(p);
      r.has_point = true;
      points.push_back(p);
      point_row.push_back(rows.size());
    }
    rows.push_back(r);
  }
  ReprojectPoints(points, wgs84, metres);
  for (std::size_t k = 0; k < points.size(); ++k) rows[point_row[k]].point = points[k];

  std::unordered_map<std::string, std::vector<std::size_t>> children;  // parent code -> rows
  for (std::size_t k = 0; k < rows.size(); ++k) children[rows[k].parent].push_back(k);

  DerivedRegion out;
  out.crs = wgs84;
  for (std::size_t ci = 0; ci < counties.features.size(); ++ci) {
    const Feature& cf = counties.features[ci];
    const std::string adcode = cf.values[c_code];
    if (!o.only_counties.empty() &&
        std::find(o.only_counties.begin(), o.only_counties.end(), adcode) == o.only_counties.end())
      continue;
    AdminUnit county;
    county.code = adcode;
    county.name = c_name >= 0 ? cf.values[c_name] : adcode;
    county.shape = cf.polygons;
    if (cf.values[c_pop].empty())
      throw InputError(counties.Where(ci) + ": field '" + o.population_field + "' is empty");
    county.population = std::strtod(cf.values[c_pop].c_str(), nullptr);
    // Towns of this county: rows of level town whose county_adcode matches.
    std::vector<std::size_t> town_rows;
    for (std::size_t k = 0; k < rows.size(); ++k)
      if (rows[k].level == "town" && rows[k].county == adcode) town_rows.push_back(k);
    if (town_rows.empty()) throw InputError(o.units + ": no towns for county " + adcode);
    std::vector<Point2> town_sites;
    std::vector<std::size_t> unplaced;
    for (std::size_t k : town_rows) {
      if (rows[k].has_point && Contains(county.shape, rows[k].point))
        town_sites.push_back(rows[k].point);
      else
        unplaced.push_back(k);
    }
    out.towns_placed += static_cast<int>(unplaced.size());
    const auto extra = PlaceSites(county.shape, town_sites, static_cast<int>(unplaced.size()),
                                  nullptr, 0, o.seed, static_cast<std::int64_t>(ci) * 7919);
    // Sites in town_rows order.
    std::vector<Point2> sites;
    for (std::size_t t = 0, known = 0, add = 0; t < town_rows.size(); ++t) {
      const bool placed =
          std::find(unplaced.begin(), unplaced.end(), town_rows[t]) != unplaced.end();
      sites.push_back(placed ? extra[add++] : town_sites[known++]);
    }
    const auto town_cells = VoronoiWithin(sites, county.shape);

    // Villages and their population pools.
    const std::size_t first_village = out.villages.size();
    for (std::size_t t = 0; t < town_rows.size(); ++t) {
      const UnitRow& tr = rows[town_rows[t]];
      AdminUnit town{tr.code, tr.name, adcode, 0.0, town_cells[t]};
      std::vector<std::size_t> village_rows;
      for (std::size_t k : children[tr.code])
        if (rows[k].level == "village") village_rows.push_back(k);
      if (village_rows.empty() || town.shape.empty()) {
        // A town without villages in the code tree is one patch of its own.
        if (!town.shape.empty()) {
          out.villages.push_back({tr.code, tr.name, tr.code, 0.0, town.shape});
          out.village_class.push_back("121");
          out.village_located.push_back(tr.has_point);
        }
        out.towns.push_back(std::move(town));
        continue;
      }
      std::vector<Point2> vsites(village_rows.size());
      std::vector<bool> known(village_rows.size(), false);
      std::vector<Point2> known_sites;
      for (std::size_t v = 0; v < village_rows.size(); ++v) {
        const UnitRow& vr = rows[village_rows[v]];
        if (vr.has_point && Contains(town.shape, vr.point)) {
          bool duplicate = false;
          for (const auto& s : known_sites) duplicate = duplicate || Distance(s, vr.point) < 1.0;
          if (duplicate) continue;
          vsites[v] = vr.point;
          known[v] = true;
          known_sites.push_back(vr.point);
        }
      }
      // Urban committees (class 1xx) near the town centre, the rest spread over the town.
      const double radius = 0.35 * std::sqrt(Area(town.shape) / 3.14159265358979);
      std::vector<Point2> all = known_sites;
      for (std::size_t v = 0; v < village_rows.size(); ++v) {
        if (known[v]) continue;
        const bool urban = !rows[village_rows[v]].ur.empty() && rows[village_rows[v]].ur[0] == '1';
        const auto p = PlaceSites(town.shape, all, 1, urban ? &sites[t] : nullptr, radius, o.seed,
                                  static_cast<std::int64_t>(village_rows[v]));
        vsites[v] = p[0];
        all.push_back(p[0]);
        ++out.villages_placed;
      }
      const auto cells = VoronoiWithin(vsites, town.shape);
      for (std::size_t v = 0; v < village_rows.size(); ++v) {
        const UnitRow& vr = rows[village_rows[v]];
        out.villages.push_back({vr.code, vr.name, tr.code, 0.0, cells[v]});
        out.village_class.push_back(vr.ur);
        out.village_located.push_back(known[v]);
      }
      out.towns.push_back(std::move(town));
    }

    // Population: the census total, split urban/rural by the urban share, then by class weights.
    const std::size_t n = out.villages.size() - first_village;
    std::vector<double> weight(n);
    std::vector<bool> urban(n);
    double urban_w = 0, rural_w = 0;
    for (std::size_t v = 0; v < n; ++v) {
      const std::string& cls = out.village_class[first_village + v];
      const auto it = o.weights.find(cls);
      weight[v] = it != o.weights.end() ? it->second : 1.0;
      urban[v] = !cls.empty() && cls[0] == '1';
      (urban[v] ? urban_w : rural_w) += weight[v];
    }
    double urban_total = -1;
    if (c_urb >= 0 && !cf.values[c_urb].empty() && urban_w > 0 && rural_w > 0) {
      double share = std::strtod(cf.values[c_urb].c_str(), nullptr);
      if (share > 1) share /= 100;  // a percentage
      urban_total = std::round(county.population * std::clamp(share, 0.0, 1.0));
    }
    std::vector<double> pops;
    if (urban_total < 0) {
      pops = Apportion(county.population, weight);
    } else {
      std::vector<double> wu(n, 0.0), wr(n, 0.0);
      for (std::size_t v = 0; v < n; ++v) (urban[v] ? wu : wr)[v] = weight[v];
      const auto pu = Apportion(urban_total, wu),
                 pr = Apportion(county.population - urban_total, wr);
      pops.resize(n);
      for (std::size_t v = 0; v < n; ++v) pops[v] = pu[v] + pr[v];
    }
    std::unordered_map<std::string, double> town_pop;
    for (std::size_t v = 0; v < n; ++v) {
      out.villages[first_village + v].population = pops[v];
      town_pop[out.villages[first_village + v].parent] += pops[v];
    }
    for (auto& t : out.towns)
      if (t.parent == adcode) t.population = town_pop[t.code];
    out.counties.push_back(std::move(county));
  }

  if (out.counties.empty()) throw InputError(o.counties + ": none of the counties asked for");
  // Back to lon/lat for the file.
  auto to_wgs84 = [&](std::vector<AdminUnit>& list, const std::string& name) {
    VectorLayer l;
    l.path = name;
    l.crs = metres;
    for (auto& u : list) {
      Feature f;
      f.polygons = std::move(u.shape);
      l.features.push_back(std::move(f));
    }
    Reproject(l, wgs84);
    for (std::size_t k = 0; k < list.size(); ++k) list[k].shape = std::move(l.features[k].polygons);
  };
  to_wgs84(out.counties, "counties");
  to_wgs84(out.towns, "towns");
  to_wgs84(out.villages, "villages");
  return out;
}

std::vector<LayerToWrite> DerivedLayers(const DerivedRegion& r) {
  auto layer = [&](const char* name, const std::vector<AdminUnit>& list, bool villages) {
    LayerToWrite l;
    l.name = name;
    l.kind = GeometryKind::kPolygon;
    l.crs = r.crs;
    Column code{"code", FieldType::kText, {}, {}, {}}, uname{"name", FieldType::kText, {}, {}, {}};
    Column county{"county", FieldType::kText, {}, {}, {}},
        town{"town", FieldType::kText, {}, {}, {}};
    Column ur{"ur_code", FieldType::kText, {}, {}, {}},
        pop{"population", FieldType::kReal, {}, {}, {}};
    Column located{"located", FieldType::kInteger, {}, {}, {}};
    Column synthetic{"synthetic", FieldType::kInteger, {}, {}, {}};
    for (std::size_t k = 0; k < list.size(); ++k) {
      const AdminUnit& u = list[k];
      code.text.push_back(u.code);
      uname.text.push_back(u.name);
      county.text.push_back(u.code.substr(0, 6));
      town.text.push_back(villages ? u.parent : (u.code.size() == 12 ? u.code : ""));
      pop.real.push_back(u.population);
      synthetic.integer.push_back(name == std::string("counties") ? 0 : 1);
      if (villages) {
        ur.text.push_back(r.village_class[k]);
        located.integer.push_back(r.village_located[k] ? 1 : 0);
      }
      l.polygons.push_back(u.shape);
    }
    l.columns = {code, uname, county, town, pop, synthetic};
    if (villages) {
      l.columns.push_back(ur);
      l.columns.push_back(located);
    }
    return l;
  };
  return {layer("counties", r.counties, false), layer("towns", r.towns, false),
          layer("villages", r.villages, true)};
}

}  // namespace cordon::data
