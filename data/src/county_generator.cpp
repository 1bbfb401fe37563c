// SPDX-License-Identifier: Apache-2.0
// The synthetic county: a jittered lattice of village cells, each split into
// g x g group cells, inside a star-shaped county; townships are Voronoi cells
// of jittered seats over the village cells, so every level nests exactly and
// neighbouring units share their boundary vertices. Built in stages: the
// layout (county_tessellation), the admin units (county_units), the roads
// (county_roads); this file validates, joins them and lays out the layers.
#include "cordon/data/county_generator.hpp"

#include <string>
#include <unordered_map>
#include <utility>

#include "cordon/base/error.hpp"
#include "county_roads.hpp"
#include "county_tessellation.hpp"
#include "county_units.hpp"

namespace cordon::data {
namespace {

// A local equal-area CRS in south-west China, so lon/lat outputs look plausible.
const char* const kCountyCrs =
    "PROJCS[\"cordon synthetic county (LAEA 27.5N 99.5E)\",GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\","
    "SPHEROID[\"WGS 84\",6378137,298.257223563]],PRIMEM[\"Greenwich\",0],UNIT[\"degree\","
    "0.0174532925199433]],PROJECTION[\"Lambert_Azimuthal_Equal_Area\"],PARAMETER["
    "\"latitude_of_center\",27.5],PARAMETER[\"longitude_of_center\",99.5],PARAMETER["
    "\"false_easting\",0],PARAMETER[\"false_northing\",0],UNIT[\"metre\",1]]";

// Throws InputError for options out of range.
void Validate(const CountyOptions& o) {
  if (o.villages < 1 || o.villages > 5000000)
    throw InputError("villages must be between 1 and 5,000,000");
  if (o.group_grid < 1 || o.group_grid > 9) throw InputError("group grid must be between 1 and 9");
  if (!(o.village_km > 0)) throw InputError("village size must be positive");
  if (o.villages_per_township < 1) throw InputError("villages per township must be >= 1");
}

}  // namespace

GeneratedCounty GenerateCounty(const CountyOptions& o) {
  Validate(o);
  const CountyLayout layout = LayOutCounty(o);
  // Outputs are centred on the lattice centre, the CRS's origin.
  const Point2 shift{-layout.centre.x, -layout.centre.y};
  GeneratedCounty out;
  out.crs = kCountyCrs;
  out.county.code = o.code;
  out.county.name = o.name;
  const std::vector<double> village_pop = VillagePopulations(layout, o.seed);
  Outlines outlines = TraceOutlines(layout);
  out.county.shape = Translated(std::move(outlines.county), shift);
  out.townships = TownshipUnits(o, layout, village_pop, std::move(outlines.townships), shift);
  for (const AdminUnit& t : out.townships) out.county.population += t.population;
  out.villages = VillageUnits(o, layout, village_pop, out.townships, shift);
  Groups groups;
  if (o.group_grid > 1) groups = GroupUnits(o, layout, out.villages, shift);
  out.groups = std::move(groups.units);
  RoadNetwork roads = BuildRoads(layout, out.groups, groups.centre, o.seed, shift);
  out.roads = std::move(roads.roads);
  out.gates = std::move(roads.gates);
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
