// SPDX-License-Identifier: Apache-2.0
// Scenario YAML -> engine::Scenario. Every key is checked against the schema
// of docs/scenario.md; every error names file, line, column and key.
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include "cordon/base/error.hpp"
#include "cordon/base/text_hash.hpp"
#include "cordon/scenario/scenario.hpp"
#include "scenario_model.hpp"
#include "yaml_reader.hpp"

namespace cordon::scenario {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Splits "a.b[1].c" into {"a", "b", "[1]", "c"}.
std::vector<std::string> SplitKeyPath(const std::string& path) {
  std::vector<std::string> parts;
  std::string cur;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const char c = path[i];
    if (c == '.') {
      if (!cur.empty()) parts.push_back(cur);
      cur.clear();
    } else if (c == '[') {
      if (!cur.empty()) parts.push_back(cur);
      const auto close = path.find(']', i);
      if (close == std::string::npos) throw InputError("--set " + path + ": missing ']'");
      parts.push_back(path.substr(i, close - i + 1));
      cur.clear();
      i = close;
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) parts.push_back(cur);
  return parts;
}

// A GIS file path relative to the scenario file; must exist.
geo::LayerSpec ParseLayer(const Reader& r, const YAML::Node& map, const std::string& path) {
  geo::LayerSpec l;
  l.where = r.Ref(map, path);
  l.path = r.ExistingPath(map, "path", path, /*folder_ok=*/true);
  l.layer = r.Text(map, "layer", path);
  l.crs = r.Text(map, "crs", path);
  l.encoding = r.Text(map, "encoding", path);
  return l;
}

void ParseRegion(const Reader& r, const YAML::Node& region, Scenario& s) {
  r.CheckKeys(region, "region", {"villages", "roads", "crs", "tolerance_m", "labels"});
  const YAML::Node v = region["villages"];
  if (!v) r.Fail(region, "region.villages", "missing required key 'villages'");
  r.CheckKeys(v, "region.villages",
              {"csv", "path", "layer", "id", "name", "population", "parent", "level", "crs",
               "encoding", "x", "y"});
  geo::GeoSpec& g = s.geo;
  if (v["path"]) {
    if (v["csv"]) r.Fail(v["csv"], "region.villages.csv", "give either path or csv, not both");
    for (const char* key : {"x", "y"})
      if (v[key])
        r.Fail(v[key], std::string("region.villages.") + key,
               "only used with network tables (csv: ...); a layer has its own geometry");
    g.enabled = true;
    g.villages = ParseLayer(r, v, "region.villages");
    g.fields.id = r.Text(v, "id", "region.villages", "id");
    g.fields.name = r.Text(v, "name", "region.villages", "");
    g.fields.population = r.Text(v, "population", "region.villages", "population");
    g.fields.level = r.Text(v, "level", "region.villages", "village");
    if (const YAML::Node parent = v["parent"]) {
      if (parent.IsScalar()) {
        g.fields.parent.push_back(parent.Scalar());
      } else {
        r.RequireList(parent, "region.villages.parent");
        for (const auto& f : parent) g.fields.parent.push_back(f.Scalar());
      }
    }
    for (const auto& level : g.fields.parent)
      if (level == g.fields.level)
        r.Fail(v["level"] ? v["level"] : v["parent"], "region.villages.level",
               "the patch level '" + level + "' is also a parent field");
    g.crs = r.Text(region, "crs", "region");
    g.tolerance_m = r.Number(region, "tolerance_m", "region", g.tolerance_m, 0.0);
    if (const YAML::Node roads = region["roads"]) {
      r.CheckKeys(roads, "region.roads",
                  {"path", "layer", "speed", "class", "speeds", "default_speed", "snap_m", "crs",
                   "encoding"});
      g.has_roads = true;
      g.roads = ParseLayer(r, roads, "region.roads");
      g.speed_field = r.Text(roads, "speed", "region.roads");
      g.class_field = r.Text(roads, "class", "region.roads");
      if (const YAML::Node speeds = roads["speeds"]) {
        r.RequireMap(speeds, "region.roads.speeds");
        for (const auto& kv : speeds)
          g.class_speeds[kv.first.Scalar()] =
              r.Number(speeds, kv.first.Scalar().c_str(), "region.roads.speeds", 0.0, 1e-3);
      }
      g.default_speed_kmh = r.Number(roads, "default_speed", "region.roads", 30.0, 1e-3);
      g.road_snap_m = r.Number(roads, "snap_m", "region.roads", 5.0, 0.0);
    }
    if (const YAML::Node labels = region["labels"]) {
      r.CheckKeys(labels, "region.labels", {"path", "layer", "id", "name", "crs", "encoding"});
      g.labels.enabled = true;
      g.labels.layer = ParseLayer(r, labels, "region.labels");
      g.labels.id = r.Text(labels, "id", "region.labels", "id");
      g.labels.name = r.Text(labels, "name", "region.labels", "name");
    }
    return;
  }
  for (const char* key : {"layer", "id", "name", "population", "parent", "level", "encoding"})
    if (v[key])
      r.Fail(v[key], std::string("region.villages.") + key,
             "only used with a village layer (path: ...); network-only tables use csv: ...");
  if (region["roads"])
    r.Fail(region["roads"], "region.roads",
           "a road layer needs a village layer (region.villages.path)");
  if (region["labels"])
    r.Fail(region["labels"], "region.labels", "labels need a village layer (region.villages.path)");
  s.villages_csv = r.CsvPath(v, "region.villages");
  // Coordinates: drawn as points by the viewer and `cordon render`; the model ignores them.
  s.villages_x = r.Text(v, "x", "region.villages", s.villages_x);
  s.villages_y = r.Text(v, "y", "region.villages", s.villages_y);
  s.villages_crs = r.Text(v, "crs", "region.villages");
}

void ParseMobility(const Reader& r, const YAML::Node& m, Scenario& s) {
  r.CheckKeys(m, "mobility",
              {"model", "trips_per_person", "distance", "max_km", "od", "visit_days", "exponent",
               "max_destinations", "min_km"});
  geo::GeoSpec& g = s.geo;
  const std::string model = r.Text(m, "model", "mobility", g.enabled ? "gravity" : "od");
  if (model != "od" && model != "gravity" && model != "radiation")
    r.Fail(m["model"], "mobility.model",
           "unknown model '" + model + "' (expected gravity, radiation or od)");
  if (model != "od" && !g.enabled)
    r.Fail(m["model"], "mobility.model",
           "the " + model + " model needs village geometry (region.villages: {path: ...})");
  g.mobility_model = model;
  g.mobility.model =
      model == "radiation" ? geo::MobilityModel::kRadiation : geo::MobilityModel::kGravity;
  g.mobility.trips_per_person =
      r.Number(m, "trips_per_person", "mobility", g.mobility.trips_per_person, 0.0);
  g.mobility.exponent = r.Number(m, "exponent", "mobility", g.mobility.exponent, 0.0, 10.0);
  g.mobility.min_km = r.Number(m, "min_km", "mobility", g.mobility.min_km, 1e-6);
  g.routes.max_km = r.Number(m, "max_km", "mobility", g.routes.max_km, 1e-6);
  const double dest =
      r.Number(m, "max_destinations", "mobility", g.routes.max_destinations, 1, 1e6);
  if (dest != std::floor(dest))
    r.Fail(m["max_destinations"], "mobility.max_destinations", "must be a whole number");
  g.routes.max_destinations = static_cast<int>(dest);
  const std::string distance = r.Text(m, "distance", "mobility", "road");
  if (distance != "road" && distance != "straight")
    r.Fail(m["distance"], "mobility.distance", "expected road or straight, got '" + distance + "'");
  g.mobility.straight = distance == "straight";
  if (m["visit_days"]) SetModelParameter(r, m, "visit_days", "mobility", "visit_days", s);
  const YAML::Node od = m["od"];
  if (model == "od") {
    if (!od) r.Fail(m, "mobility.od", "model od needs od: {csv: od.csv}");
    r.CheckKeys(od, "mobility.od", {"csv", "origin", "destination", "value", "date", "day"});
    s.geo.od_csv = r.CsvPath(od, "mobility.od");
    geo::OdColumns& c = s.geo.od_columns;
    c.origin = r.Text(od, "origin", "mobility.od", c.origin);
    c.destination = r.Text(od, "destination", "mobility.od", c.destination);
    c.value = r.Text(od, "value", "mobility.od", c.value);
    c.date = r.Text(od, "date", "mobility.od");
    c.day = r.Text(od, "day", "mobility.od");
    if (!c.date.empty() && !c.day.empty())
      r.Fail(od["day"], "mobility.od.day", "give a date or a day column, not both");
  } else if (od) {
    r.Fail(od, "mobility.od", "only used with model: od");
  }
}

// block, screen, isolate, start, end of a checkpoint entry.
sim::Checkpoint CheckpointDefaults(const Reader& r, const YAML::Node& c, const std::string& path) {
  sim::Checkpoint d;
  d.block = r.Share(c, "block", path, 0.0);
  d.screen = r.Share(c, "screen", path, 0.0);
  d.isolate = r.Share(c, "isolate", path, 0.0);
  d.staff = r.Number(c, "staff", path, d.staff, 0.0);
  d.active = r.Window(c, path);
  d.level = r.Text(c, "level", path);
  return d;
}

void ParseCheckpoints(const Reader& r, const YAML::Node& list, Scenario& s) {
  r.RequireList(list, "checkpoints");
  for (std::size_t n = 0; n < list.size(); ++n) {
    const std::string path = "checkpoints[" + std::to_string(n) + "]";
    const YAML::Node c = list[n];
    r.RequireMap(c, path);
    if (c["routes"] || c["gates"] || c["csv"]) {
      if (s.geo.enabled)
        r.Fail(c, path,
               "checkpoint, route and gate tables are for network-only scenarios; with a village "
               "layer use {path: checkpoints.gpkg} or {cordon: LEVEL}");
      for (const char* table : {"routes", "gates"}) {
        if (!c[table]) continue;
        r.CheckKeys(c, path, {table});
        r.CheckKeys(c[table], path + "." + table, {"csv"});
        (table == std::string("routes") ? s.route_csvs : s.gate_csvs)
            .push_back(r.CsvPath(c[table], path + "." + table));
      }
      if (!c["routes"] && !c["gates"]) {
        r.CheckKeys(c, path, {"csv"});
        s.checkpoint_csvs.push_back(r.CsvPath(c, path));
      }
    } else if (c["path"] || c["cordon"]) {
      if (!s.geo.enabled)
        r.Fail(c, path,
               "checkpoint layers and cordons need a village layer (region.villages: {path: ...})");
      if (c["path"]) {
        r.CheckKeys(c, path,
                    {"path", "layer", "crs", "encoding", "block", "screen", "isolate", "start",
                     "end", "snap_m", "level", "staff"});
        geo::CheckpointLayerSpec spec;
        spec.layer = ParseLayer(r, c, path);
        spec.defaults = CheckpointDefaults(r, c, path);
        spec.snap_m = r.Number(c, "snap_m", path, spec.snap_m, 0.0);
        s.geo.checkpoint_layers.push_back(spec);
      } else {
        r.CheckKeys(c, path, {"cordon", "block", "screen", "isolate", "start", "end", "staff"});
        geo::CordonSpec spec;
        spec.where = r.Ref(c["cordon"], path + ".cordon");
        spec.level = r.RequiredText(c, "cordon", path);
        spec.defaults = CheckpointDefaults(r, c, path);
        spec.defaults.level = spec.level;
        s.geo.cordons.push_back(spec);
      }
    } else {
      r.Fail(c, path,
             "expected {csv: ...}, {routes: {csv: ...}}, {gates: {csv: ...}}, {path: ...} or "
             "{cordon: ...}");
    }
  }
}

void ParseImports(const Reader& r, const YAML::Node& list, Scenario& s) {
  r.RequireList(list, "imports");
  for (std::size_t n = 0; n < list.size(); ++n) {
    const std::string path = "imports[" + std::to_string(n) + "]";
    const YAML::Node m = list[n];
    r.CheckKeys(m, path, {"to", "per_day", "days", "exposed", "infectious"});
    ImportSpec spec;
    spec.where = r.Ref(m, path);
    spec.to = r.RequiredText(m, "to", path);
    if (!m["per_day"]) r.Fail(m, path + ".per_day", "missing required key 'per_day'");
    spec.per_day = r.Number(m, "per_day", path, 0.0, 0.0);
    spec.exposed = r.Share(m, "exposed", path, 0.0);
    spec.infectious = r.Share(m, "infectious", path, 0.0);
    if (spec.exposed + spec.infectious > 1.0)
      r.Fail(m["infectious"], path + ".infectious", "exposed + infectious must not exceed 1");
    if (const YAML::Node d = m["days"]) {
      if (!d.IsSequence() || d.size() != 2)
        r.Fail(d, path + ".days", "expected [start, end] in days");
      try {
        spec.days.start_day = d[0].as<double>();
        spec.days.end_day = d[1].as<double>();
      } catch (const YAML::Exception&) {
        r.Fail(d, path + ".days", "expected two numbers [start, end]");
      }
      if (!std::isfinite(spec.days.start_day) || !(spec.days.end_day > spec.days.start_day))
        r.Fail(d, path + ".days", "end must be after start");
    }
    s.imports.push_back(spec);
  }
}

// external_trips: {per_day, prevalence: share | [[day, share], ...], start, end}.
void ParseExternalTrips(const Reader& r, const YAML::Node& m, Scenario& s) {
  const std::string path = "external_trips";
  r.RequireMap(m, path);
  r.CheckKeys(m, path, {"per_day", "prevalence", "start", "end"});
  sim::ExternalTrips& x = s.external_trips;
  if (!m["per_day"]) r.Fail(m, path + ".per_day", "missing required key 'per_day'");
  x.per_day = r.Number(m, "per_day", path, 0.0, 0.0);
  x.active = r.Window(m, path);
  const YAML::Node p = m["prevalence"];
  if (!p) r.Fail(m, path + ".prevalence", "missing required key 'prevalence'");
  if (p.IsScalar()) {
    x.prevalence = {r.Share(m, "prevalence", path, 0.0)};
    x.prevalence_days = {0.0};
    return;
  }
  const std::string where = path + ".prevalence";
  if (!p.IsSequence() || p.size() == 0)
    r.Fail(p, where, "expected a share or a list of [day, share] pairs");
  x.prevalence.clear();
  x.prevalence_days.clear();
  for (std::size_t n = 0; n < p.size(); ++n) {
    const std::string item = where + "[" + std::to_string(n) + "]";
    if (!p[n].IsSequence() || p[n].size() != 2) r.Fail(p[n], item, "expected [day, share]");
    const double day = r.Value(p[n][0], item + "[0]");
    const double share = r.Value(p[n][1], item + "[1]");
    if (share < 0.0 || share > 1.0)
      r.Fail(p[n][1], item + "[1]", "must be a share between 0 and 1");
    if (n > 0 && !(day > x.prevalence_days.back()))
      r.Fail(p[n][0], item + "[0]", "days must increase");
    x.prevalence_days.push_back(day);
    x.prevalence.push_back(share);
  }
}

void ParsePolicies(const Reader& r, const YAML::Node& list, Scenario& s) {
  r.RequireList(list, "policies");
  bool seen_hospital = false;
  for (std::size_t n = 0; n < list.size(); ++n) {
    const std::string path = "policies[" + std::to_string(n) + "]";
    const YAML::Node m = list[n];
    r.RequireMap(m, path);
    const std::string type = r.RequiredText(m, "type", path);
    const bool travel = type == "travel_reduction";
    if (type == "gathering_ban" || type == "masks" || type == "contact_reduction" || travel) {
      r.CheckKeys(m, path, {"type", "multiplier", "villages", "start", "end"});
      PatchMultiplierSpec spec;
      spec.where = r.Ref(m, path);
      spec.policy.name = type;
      if (!m["multiplier"]) r.Fail(m, path + ".multiplier", "missing required key 'multiplier'");
      spec.policy.multiplier =
          travel ? r.Share(m, "multiplier", path, 1.0) : r.Number(m, "multiplier", path, 1.0, 0.0);
      spec.policy.active = r.Window(m, path);
      if (const YAML::Node v = m["villages"]) {
        r.RequireList(v, path + ".villages");
        for (const auto& id : v) spec.villages.push_back(id.Scalar());
      }
      (travel ? s.travel_reductions : s.contact_reductions).push_back(spec);
    } else if (type == "returnee_home_isolation" || type == "essential_flows") {
      const char* key = type == "essential_flows" ? "fraction" : "coverage";
      r.CheckKeys(m, path, {"type", key, "start", "end"});
      if (!m[key]) r.Fail(m, path + "." + key, "missing required key '" + std::string(key) + "'");
      sim::CoveragePolicy p{r.Share(m, key, path, 0.0), r.Window(m, path)};
      (type == "essential_flows" ? s.policies.essential_flows : s.policies.home_isolation)
          .push_back(p);
    } else if (type == "central_isolation") {
      r.CheckKeys(m, path, {"type", "coverage", "capacity", "start", "end"});
      if (!m["coverage"]) r.Fail(m, path + ".coverage", "missing required key 'coverage'");
      s.policies.central_isolation.push_back(
          {r.Share(m, "coverage", path, 0.0), r.Window(m, path)});
      if (m["capacity"]) s.policies.central_capacity = r.Number(m, "capacity", path, kInf, 0.0);
    } else if (type == "contact_tracing") {
      r.CheckKeys(m, path,
                  {"type", "coverage", "delay_days", "delay_stages", "contacts_per_case",
                   "lookback_days", "capacity", "staff_per_contact", "start", "end"});
      sim::TracingPolicy& t = s.policies.tracing;
      if (t.enabled) r.Fail(m, path, "only one contact_tracing policy is allowed");
      if (!m["coverage"]) r.Fail(m, path + ".coverage", "missing required key 'coverage'");
      t.enabled = true;
      t.coverage = r.Share(m, "coverage", path, 0.0);
      t.delay_days = r.Number(m, "delay_days", path, t.delay_days, 0.0);
      const double stages = r.Number(m, "delay_stages", path, t.delay_stages, 1.0, 16.0);
      if (stages != std::floor(stages))
        r.Fail(m["delay_stages"], path + ".delay_stages", "must be a whole number of stages");
      t.delay_stages = int(stages);
      t.contacts_per_case = r.Number(m, "contacts_per_case", path, t.contacts_per_case, 0.0);
      t.lookback_days = r.Number(m, "lookback_days", path, t.lookback_days, 0.0);
      t.capacity = r.Number(m, "capacity", path, kInf, 0.0);
      t.staff_per_contact = r.Number(m, "staff_per_contact", path, 0.0, 0.0);
      t.active = r.Window(m, path);
    } else if (type == "hospital") {
      r.CheckKeys(m, path, {"type", "beds"});
      if (seen_hospital) r.Fail(m, path, "only one hospital policy is allowed");
      seen_hospital = true;
      if (!m["beds"]) r.Fail(m, path + ".beds", "missing required key 'beds'");
      s.policies.beds = r.Number(m, "beds", path, kInf, 0.0);
    } else {
      r.Fail(m["type"], path + ".type",
             "unknown policy type '" + type +
                 "' (expected gathering_ban, masks, contact_reduction, travel_reduction, "
                 "returnee_home_isolation, central_isolation, contact_tracing, hospital or "
                 "essential_flows)");
    }
  }
  double home = 0.0, central = 0.0;
  for (const auto& p : s.policies.home_isolation) home = std::max(home, p.coverage);
  for (const auto& p : s.policies.central_isolation) central = std::max(central, p.coverage);
  if (home + central > 1.0 + 1e-12)
    throw InputError(s.file +
                     ": policies: returnee_home_isolation coverage + central_isolation "
                     "coverage must not exceed 1");
}

void ParseSimulation(const Reader& r, const YAML::Node& m, Scenario& s) {
  r.CheckKeys(m, "simulation", {"days", "dt", "mode", "runs", "seed", "start_date", "daily"});
  sim::RunSettings& st = s.simulation;
  if (const YAML::Node daily = m["daily"]) {
    const std::string v = daily.IsScalar() ? daily.Scalar() : "";
    if (v == "true")
      s.daily_output = DailyOutput::kDefault;
    else if (v == "false")
      s.daily_output = DailyOutput::kNone;
    else if (v == "nc")
      s.daily_output = DailyOutput::kNetcdf;
    else if (v == "csv")
      s.daily_output = DailyOutput::kCsv;
    else
      r.Fail(daily, "simulation.daily", "expected true, false, nc or csv, got '" + v + "'");
  }
  if (m["start_date"]) {
    const std::string d = r.Text(m, "start_date", "simulation");
    int y = 0, mo = 0, da = 0;
    char extra = 0;
    if (std::sscanf(d.c_str(), "%4d-%2d-%2d%c", &y, &mo, &da, &extra) != 3 || mo < 1 || mo > 12 ||
        da < 1 || da > 31)
      r.Fail(m["start_date"], "simulation.start_date",
             "expected a date YYYY-MM-DD, got '" + d + "'");
    s.start_date = d;
  }
  auto whole = [&](const char* key, double fallback, double min, double max) {
    const double v = r.Number(m, key, "simulation", fallback, min, max);
    if (v != std::floor(v))
      r.Fail(m[key], std::string("simulation.") + key, "must be a whole number");
    return v;
  };
  st.days = static_cast<int>(whole("days", st.days, 1, 100000));
  st.dt = r.Number(m, "dt", "simulation", st.dt, 1e-6, 1.0);
  if (std::abs(st.StepsPerDay() * st.dt - 1.0) > 1e-9)
    r.Fail(m["dt"], "simulation.dt", "must divide one day evenly (1/dt a whole number)");
  st.runs = static_cast<int>(whole("runs", st.runs, 1, 1000000));
  st.seed = static_cast<std::uint64_t>(whole("seed", double(st.seed), 0, 9007199254740992.0));
  const std::string mode = r.Text(m, "mode", "simulation", "deterministic");
  if (mode == "deterministic")
    st.mode = sim::Mode::kDeterministic;
  else if (mode == "stochastic")
    st.mode = sim::Mode::kStochastic;
  else
    r.Fail(m["mode"], "simulation.mode",
           "expected deterministic or stochastic, got '" + mode + "'");
}

}  // namespace

void ApplyOverride(YAML::Node root, const std::string& assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError("--set " + assignment + ": expected key.path=value");
  const std::string path = assignment.substr(0, eq);
  const std::string text = assignment.substr(eq + 1);
  YAML::Node value;
  try {
    value = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw InputError("--set " + path + ": bad value '" + text + "': " + e.msg);
  }
  const auto parts = SplitKeyPath(path);
  if (parts.empty()) throw InputError("--set " + assignment + ": empty key");
  YAML::Node node = root;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& part = parts[i];
    const bool last = i + 1 == parts.size();
    if (part.front() == '[') {
      std::size_t index = 0;
      try {
        index = std::stoul(part.substr(1, part.size() - 2));
      } catch (const std::exception&) {
        throw InputError("--set " + path + ": bad index " + part);
      }
      if (!node.IsSequence() || index >= node.size())
        throw InputError("--set " + path + ": index " + part + " is out of range");
      if (last) {
        node[index] = value;
        return;
      }
      node.reset(node[index]);
    } else {
      if (node.IsNull()) node = YAML::Node(YAML::NodeType::Map);
      if (!node.IsMap())
        throw InputError("--set " + path + ": '" + part + "' is not a mapping key");
      if (last) {
        node[part] = value;
        return;
      }
      YAML::Node child = node[part];
      if (!child) node[part] = YAML::Node(YAML::NodeType::Map);
      node.reset(node[part]);
    }
  }
}

Scenario ParseScenario(const std::string& text, const std::string& path,
                       const std::vector<std::string>& overrides) {
  YAML::Node root = LoadYaml(text, path);
  if (!root.IsMap())
    throw InputError(SourceRef{path}, "expected a scenario mapping at the top level");
  Scenario s;
  s.file = path;
  s.geo.file = path;
  std::uint64_t h = Fnv1a(text);
  for (const auto& o : overrides) {
    try {
      ApplyOverride(root, o);
    } catch (const YAML::Exception& e) {
      throw InputError("--set " + o + ": " + e.msg);
    }
    h = Fnv1a("\n--set " + o, h);
  }
  s.hash = Hex(h);

  Reader r(path);
  try {
    r.CheckKeys(root, "",
                {"name", "description", "model", "region", "mobility", "checkpoints", "imports",
                 "external_trips", "disease", "policies", "seed_infections", "simulation"});
    s.name = r.Text(root, "name", "", std::filesystem::path(path).stem().string());
    ParseModelKey(r, root, s);
    if (root["disease"]) ParseModelDisease(r, root["disease"], s);
    if (!root["region"]) throw InputError(SourceRef{path}, "missing required key 'region'");
    ParseRegion(r, root["region"], s);
    if (!root["mobility"]) throw InputError(SourceRef{path}, "missing required key 'mobility'");
    ParseMobility(r, root["mobility"], s);
    if (root["checkpoints"] && !root["checkpoints"].IsNull())
      ParseCheckpoints(r, root["checkpoints"], s);
    if (root["imports"] && !root["imports"].IsNull()) ParseImports(r, root["imports"], s);
    if (root["external_trips"] && !root["external_trips"].IsNull())
      ParseExternalTrips(r, root["external_trips"], s);
    if (root["policies"] && !root["policies"].IsNull()) ParsePolicies(r, root["policies"], s);
    if (root["seed_infections"] && !root["seed_infections"].IsNull())
      ParseModelSeeds(r, root["seed_infections"], s);
    if (root["simulation"]) ParseSimulation(r, root["simulation"], s);
    CheckModelKeys(r, root, s);
    if (!s.policies.tracing.enabled) s.model_spec.HideTracingFlows();
  } catch (const YAML::Exception& e) {
    // A value of the wrong shape that slipped past the checks above.
    throw InputError(SourceRef{path, e.mark.line + 1}, e.msg);
  }
  return s;
}

Scenario LoadScenario(const std::string& path, const std::vector<std::string>& overrides) {
  return ParseScenario(ReadTextFile(path, "scenario file"), path, overrides);
}

}  // namespace cordon::scenario
