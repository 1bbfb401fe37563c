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

// One row of the code tree (units.csv), its point in the local CRS (metres).
struct UnitRow {
  std::string code, parent, name, level, county, ur;
  bool has_point = false;
  Point2 point;
  std::size_t row = 0;
};

// The code tree, and the rows under each parent code.
struct CodeTree {
  std::vector<UnitRow> rows;
  std::unordered_map<std::string, std::vector<std::size_t>> children;  // parent code -> rows
};

// The county polygons in a local equal-area CRS, and the indices of their columns.
struct CountyTable {
  VectorLayer layer;   // metres
  std::string metres;  // WKT of the local CRS
  int code = -1, population = -1;
  int name = -1, urban_share = -1;  // -1 when absent
};

// The index of column `name` of `l`; throws InputError naming the file when it is missing.
int RequiredField(const VectorLayer& l, const std::string& name) {
  const int f = l.FieldIndex(name);
  if (f < 0) throw InputError(l.path + ": no column '" + name + "'");
  return f;
}

// Reads the county polygons (assumed in o.crs, else WGS84) and moves them to
// a local equal-area CRS. Throws InputError for a missing code or population column.
CountyTable ReadCounties(const DeriveOptions& o, const std::string& wgs84) {
  ReadOptions poly_options;
  poly_options.kind = GeometryKind::kPolygon;
  poly_options.assume_crs = o.crs;
  CountyTable t;
  t.layer = ReadVectorLayer(o.counties, "", poly_options);
  if (t.layer.crs.empty()) t.layer.crs = wgs84;
  Reproject(t.layer, wgs84);
  t.metres = LocalEqualAreaCrs(t.layer);
  Reproject(t.layer, t.metres);
  t.code = RequiredField(t.layer, o.county_code_field);
  t.population = RequiredField(t.layer, o.population_field);
  t.name = t.layer.FieldIndex("name");
  t.urban_share = o.urban_share_field.empty() ? -1 : t.layer.FieldIndex(o.urban_share_field);
  return t;
}

// Reads the code tree with its points (GCJ-02 ones converted when o.crs is
// set) in the CRS `metres`. Throws InputError for a missing column.
CodeTree ReadCodeTree(const DeriveOptions& o, const std::string& wgs84, const std::string& metres) {
  const bool gcj = !o.crs.empty();
  VectorLayer units = ReadVectorLayer(o.units, "");
  const int u_code = RequiredField(units, "code12"), u_parent = RequiredField(units, "parent12");
  const int u_name = RequiredField(units, "name"), u_level = RequiredField(units, "level");
  const int u_county = RequiredField(units, "county_adcode"),
            u_ur = RequiredField(units, "ur_code");
  const int u_lon = RequiredField(units, gcj ? "lon_gcj02" : "lon_wgs84");
  const int u_lat = RequiredField(units, gcj ? "lat_gcj02" : "lat_wgs84");
  CodeTree tree;
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
      point_row.push_back(tree.rows.size());
    }
    tree.rows.push_back(r);
  }
  ReprojectPoints(points, wgs84, metres, o.units);
  for (std::size_t k = 0; k < points.size(); ++k) tree.rows[point_row[k]].point = points[k];
  for (std::size_t k = 0; k < tree.rows.size(); ++k)
    tree.children[tree.rows[k].parent].push_back(k);
  return tree;
}

// One site per town row, in `town_rows` order: its own point when it lies in
// `county`, else placed inside it (counted in `placed`). `key` keys the draws.
std::vector<Point2> TownSites(const MultiPolygon& county, const CodeTree& tree,
                              const std::vector<std::size_t>& town_rows, std::uint64_t seed,
                              std::int64_t key, int& placed) {
  std::vector<Point2> town_sites;
  std::vector<std::size_t> unplaced;
  for (std::size_t k : town_rows) {
    const UnitRow& r = tree.rows[k];
    if (r.has_point && Contains(county, r.point))
      town_sites.push_back(r.point);
    else
      unplaced.push_back(k);
  }
  placed += static_cast<int>(unplaced.size());
  const auto extra =
      PlaceSites(county, town_sites, static_cast<int>(unplaced.size()), nullptr, 0, seed, key);
  std::vector<Point2> sites;
  for (std::size_t t = 0, known = 0, add = 0; t < town_rows.size(); ++t) {
    const bool is_placed =
        std::find(unplaced.begin(), unplaced.end(), town_rows[t]) != unplaced.end();
    sites.push_back(is_placed ? extra[add++] : town_sites[known++]);
  }
  return sites;
}

// Village sites of one town, in `village_rows` order, and which came from the code tree.
struct VillageSites {
  std::vector<Point2> site;  // metres
  std::vector<bool> known;   // the site is the village's own point
};

// Sites for the villages of `town`: their own points where inside the town
// (one village per point), the rest placed (counted in `placed`): urban
// committees (class 1xx) near the town centre `town_site`, the rest spread over the town.
VillageSites PlaceVillages(const MultiPolygon& town, Point2 town_site, const CodeTree& tree,
                           const std::vector<std::size_t>& village_rows, std::uint64_t seed,
                           int& placed) {
  VillageSites out{std::vector<Point2>(village_rows.size()),
                   std::vector<bool>(village_rows.size(), false)};
  std::vector<Point2> known_sites;
  for (std::size_t v = 0; v < village_rows.size(); ++v) {
    const UnitRow& vr = tree.rows[village_rows[v]];
    if (vr.has_point && Contains(town, vr.point)) {
      bool duplicate = false;
      for (const auto& s : known_sites) duplicate = duplicate || Distance(s, vr.point) < 1.0;
      if (duplicate) continue;
      out.site[v] = vr.point;
      out.known[v] = true;
      known_sites.push_back(vr.point);
    }
  }
  const double radius = 0.35 * std::sqrt(Area(town) / 3.14159265358979);
  std::vector<Point2> all = known_sites;
  for (std::size_t v = 0; v < village_rows.size(); ++v) {
    if (out.known[v]) continue;
    const std::string& ur = tree.rows[village_rows[v]].ur;
    const bool urban = !ur.empty() && ur[0] == '1';
    const auto p = PlaceSites(town, all, 1, urban ? &town_site : nullptr, radius, seed,
                              static_cast<std::int64_t>(village_rows[v]));
    out.site[v] = p[0];
    all.push_back(p[0]);
    ++placed;
  }
  return out;
}

// Adds the town of row `tr` on `cell` in county `adcode` to out.towns, and its
// villages (Voronoi cells of their sites, or the whole town when it has none) to out.villages.
void DeriveTown(const UnitRow& tr, MultiPolygon cell, Point2 site, const std::string& adcode,
                const CodeTree& tree, std::uint64_t seed, DerivedRegion& out) {
  AdminUnit town{tr.code, tr.name, adcode, 0.0, std::move(cell)};
  std::vector<std::size_t> village_rows;
  if (const auto it = tree.children.find(tr.code); it != tree.children.end())
    for (std::size_t k : it->second)
      if (tree.rows[k].level == "village") village_rows.push_back(k);
  if (village_rows.empty() || town.shape.empty()) {
    // A town without villages in the code tree is one patch of its own.
    if (!town.shape.empty()) {
      out.villages.push_back({tr.code, tr.name, tr.code, 0.0, town.shape});
      out.village_class.push_back("121");
      out.village_located.push_back(tr.has_point);
    }
    out.towns.push_back(std::move(town));
    return;
  }
  const VillageSites sites =
      PlaceVillages(town.shape, site, tree, village_rows, seed, out.villages_placed);
  const auto cells = VoronoiWithin(sites.site, town.shape);
  for (std::size_t v = 0; v < village_rows.size(); ++v) {
    const UnitRow& vr = tree.rows[village_rows[v]];
    out.villages.push_back({vr.code, vr.name, tr.code, 0.0, cells[v]});
    out.village_class.push_back(vr.ur);
    out.village_located.push_back(sites.known[v]);
  }
  out.towns.push_back(std::move(town));
}

// Shares the census total of `county` (persons) over its villages, those from
// `first_village` on in out.villages: split urban/rural by `urban_share` (a
// fraction or a percentage; "" = none), then by the class weights; sums them into its towns.
void ShareCountyPopulation(const DeriveOptions& o, const AdminUnit& county,
                           const std::string& urban_share, std::size_t first_village,
                           DerivedRegion& out) {
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
  if (!urban_share.empty() && urban_w > 0 && rural_w > 0) {
    double share = std::strtod(urban_share.c_str(), nullptr);
    if (share > 1) share /= 100;  // a percentage
    urban_total = std::round(county.population * std::clamp(share, 0.0, 1.0));
  }
  std::vector<double> pops;
  if (urban_total < 0) {
    pops = Apportion(county.population, weight);
  } else {
    std::vector<double> wu(n, 0.0), wr(n, 0.0);
    for (std::size_t v = 0; v < n; ++v) (urban[v] ? wu : wr)[v] = weight[v];
    const auto pu = Apportion(urban_total, wu), pr = Apportion(county.population - urban_total, wr);
    pops.resize(n);
    for (std::size_t v = 0; v < n; ++v) pops[v] = pu[v] + pr[v];
  }
  std::unordered_map<std::string, double> town_pop;
  for (std::size_t v = 0; v < n; ++v) {
    out.villages[first_village + v].population = pops[v];
    town_pop[out.villages[first_village + v].parent] += pops[v];
  }
  for (auto& t : out.towns)
    if (t.parent == county.code) t.population = town_pop[t.code];
}

// Adds county `ci` of `counties`, its towns and villages to `out` (metres).
// Throws InputError for an empty population or a county without towns.
void DeriveCounty(const DeriveOptions& o, const CountyTable& counties, std::size_t ci,
                  const CodeTree& tree, DerivedRegion& out) {
  const Feature& cf = counties.layer.features[ci];
  const std::string adcode = cf.values[counties.code];
  AdminUnit county;
  county.code = adcode;
  county.name = counties.name >= 0 ? cf.values[counties.name] : adcode;
  county.shape = cf.polygons;
  if (cf.values[counties.population].empty())
    throw InputError::Named(counties.layer.path, counties.layer.Where(ci) + ": field '" +
                                                     o.population_field + "' is empty");
  county.population = std::strtod(cf.values[counties.population].c_str(), nullptr);
  // Towns of this county: rows of level town whose county_adcode matches.
  std::vector<std::size_t> town_rows;
  for (std::size_t k = 0; k < tree.rows.size(); ++k)
    if (tree.rows[k].level == "town" && tree.rows[k].county == adcode) town_rows.push_back(k);
  if (town_rows.empty()) throw InputError(o.units + ": no towns for county " + adcode);
  const auto sites = TownSites(county.shape, tree, town_rows, o.seed,
                               static_cast<std::int64_t>(ci) * 7919, out.towns_placed);
  auto town_cells = VoronoiWithin(sites, county.shape);
  const std::size_t first_village = out.villages.size();
  for (std::size_t t = 0; t < town_rows.size(); ++t)
    DeriveTown(tree.rows[town_rows[t]], std::move(town_cells[t]), sites[t], adcode, tree, o.seed,
               out);
  const std::string urban_share =
      counties.urban_share >= 0 ? cf.values[counties.urban_share] : std::string();
  ShareCountyPopulation(o, county, urban_share, first_village, out);
  out.counties.push_back(std::move(county));
}

// Moves the shapes of `list` from the CRS `from` to `to`; `name` names them in messages.
void ReprojectUnits(std::vector<AdminUnit>& list, const std::string& name, const std::string& from,
                    const std::string& to) {
  VectorLayer l;
  l.path = name;
  l.crs = from;
  for (auto& u : list) {
    Feature f;
    f.polygons = std::move(u.shape);
    l.features.push_back(std::move(f));
  }
  Reproject(l, to);
  for (std::size_t k = 0; k < list.size(); ++k) list[k].shape = std::move(l.features[k].polygons);
}

}  // namespace

DerivedRegion DeriveRegion(const DeriveOptions& o) {
  const std::string wgs84 = CrsToWkt("EPSG:4326", "WGS84");
  const CountyTable counties = ReadCounties(o, wgs84);
  const CodeTree tree = ReadCodeTree(o, wgs84, counties.metres);
  DerivedRegion out;
  out.crs = wgs84;
  for (std::size_t ci = 0; ci < counties.layer.features.size(); ++ci) {
    const std::string& adcode = counties.layer.features[ci].values[counties.code];
    if (!o.only_counties.empty() &&
        std::find(o.only_counties.begin(), o.only_counties.end(), adcode) == o.only_counties.end())
      continue;
    DeriveCounty(o, counties, ci, tree, out);
  }
  if (out.counties.empty()) throw InputError(o.counties + ": none of the counties asked for");
  // Back to lon/lat for the file.
  ReprojectUnits(out.counties, "counties", counties.metres, wgs84);
  ReprojectUnits(out.towns, "towns", counties.metres, wgs84);
  ReprojectUnits(out.villages, "villages", counties.metres, wgs84);
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
