// SPDX-License-Identifier: Apache-2.0
#include "cordon/geo/geography.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "cordon/base/error.hpp"
#include "cordon/geo/checkpoint_fields.hpp"
#include "cordon/geo/mobility.hpp"
#include "cordon/geo/od_table.hpp"
#include "cordon/geo/routing.hpp"

namespace cordon::geo {
namespace {

using data::Point2;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

data::VectorLayer ReadLayer(const LayerSpec& spec, data::GeometryKind kind,
                            const std::string& fallback_crs) {
  data::ReadOptions options;
  options.kind = kind;
  options.assume_crs = spec.crs;
  options.encoding = spec.encoding;
  data::VectorLayer layer = data::ReadVectorLayer(spec.path, spec.layer, options);
  if (layer.crs.empty() && !fallback_crs.empty())
    layer.crs = data::CrsToWkt(fallback_crs, spec.where.Describe());
  if (layer.crs.empty())
    throw InputError::Named(spec.path, spec.path + " (layer " + layer.layer +
                                           "): has no CRS; say which in the scenario (" +
                                           spec.where.key + ".crs: EPSG:4326, or GCJ-02)");
  return layer;
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0.0;
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

// One checkpoint from a layer feature, falling back to the entry's values.
sim::Checkpoint CheckpointFromFeature(const data::VectorLayer& layer, std::size_t k,
                                      const sim::Checkpoint& defaults) {
  const data::Feature& f = layer.features[k];
  CheckpointRecord record;
  record.file = layer.path;
  record.text = [&](const char* name) -> std::optional<std::string_view> {
    const int i = layer.FieldIndex(name);
    if (i < 0 || f.null_values[i] || f.values[i].empty()) return std::nullopt;
    return f.values[i];
  };
  record.where = [&](const char* name) {
    return layer.Where(k) + ": field '" + std::string(name) + "'";
  };
  sim::Checkpoint c = ReadCheckpointFields(record, defaults);
  const std::optional<std::string_view> id = record.text("id");
  c.id = id ? std::string(*id) : layer.layer + "-" + std::to_string(f.fid);
  return c;
}

struct Placement {
  std::vector<sim::Checkpoint> checkpoints;
  std::vector<Point2> points;
  std::vector<std::string> kinds;
  std::vector<std::tuple<int, double, int>> on_edges;  // (edge, t, checkpoint)
  std::vector<int> gate_nodes;
};

Point2 Midpoint(const RoadGraph& g, int e) {
  const Point2 a = g.nodes[g.edges[e].from], b = g.nodes[g.edges[e].to];
  return {(a.x + b.x) / 2, (a.y + b.y) / 2};
}

void PlaceLayerCheckpoints(const CheckpointLayerSpec& spec, const std::string& working_crs,
                           const RoadGraph& g, bool has_roads, Placement& out) {
  data::VectorLayer layer = ReadLayer(spec.layer, data::GeometryKind::kAny, "");
  data::RequireUtf8Field(layer, "id");
  data::Reproject(layer, working_crs);
  std::vector<Point2> points;
  std::vector<std::size_t> point_feature;
  std::vector<int> point_checkpoint;
  for (std::size_t k = 0; k < layer.features.size(); ++k) {
    const data::Feature& f = layer.features[k];
    const int index = static_cast<int>(out.checkpoints.size());
    if (!f.points.empty()) {
      out.checkpoints.push_back(CheckpointFromFeature(layer, k, spec.defaults));
      out.checkpoints.back().id = spec.id_prefix + out.checkpoints.back().id;
      out.points.push_back(f.points.front());
      out.kinds.push_back("point");
      points.push_back(f.points.front());
      point_feature.push_back(k);
      point_checkpoint.push_back(index);
    } else if (!f.polygons.empty()) {
      // A cordon polygon controls every edge that crosses its boundary.
      out.checkpoints.push_back(CheckpointFromFeature(layer, k, spec.defaults));
      out.checkpoints.back().id = spec.id_prefix + out.checkpoints.back().id;
      out.points.push_back(data::InteriorPoint(f.polygons));
      out.kinds.push_back("polygon");
      const data::Box box = data::Bounds(f.polygons);
      for (int e = 0; e < g.Edges(); ++e) {
        const Point2 a = g.nodes[g.edges[e].from], b = g.nodes[g.edges[e].to];
        data::Box eb;
        eb.Add(a);
        eb.Add(b);
        if (!eb.Intersects(box)) continue;
        if (data::Contains(f.polygons, a) != data::Contains(f.polygons, b))
          out.on_edges.push_back({e, 0.5, index});
      }
    } else {
      throw InputError::Named(layer.path,
                              layer.Where(k) + ": a checkpoint must be a point or a polygon");
    }
  }
  const auto hits = NearestEdges(g, points);
  for (std::size_t q = 0; q < points.size(); ++q) {
    const std::size_t k = point_feature[q];
    const int c = point_checkpoint[q];
    if (hits[q].edge < 0)
      throw InputError::Named(layer.path,
                              layer.Where(k) + ": no " + std::string(has_roads ? "road" : "route") +
                                  " to put checkpoint '" + out.checkpoints[c].id + "' on");
    if (hits[q].distance_m > spec.snap_m) {
      std::ostringstream what;
      what.precision(0);
      what << std::fixed << layer.Where(k) << ": checkpoint '" << out.checkpoints[c].id << "' is "
           << hits[q].distance_m << " m from the nearest " << (has_roads ? "road" : "route")
           << " (snap_m " << spec.snap_m << ")";
      throw InputError::Named(layer.path, what.str());
    }
    out.on_edges.push_back({hits[q].edge, hits[q].t, c});
  }
}

void PlaceCordon(const CordonSpec& spec, const Region& region, const RoadGraph& g,
                 const std::vector<int>& node_patch, Placement& out) {
  const int level = region.LevelIndex(spec.level);
  if (level < 0) {
    std::string list;
    for (const auto& l : region.levels) list += (list.empty() ? "" : ", ") + l;
    throw InputError(spec.where, "unknown admin level '" + spec.level + "' (levels: " + list + ")");
  }
  const auto& codes = region.admin[level];
  std::map<std::pair<std::string, std::string>, int> count;
  for (int e = 0; e < g.Edges(); ++e) {
    const int a = node_patch[g.edges[e].from], b = node_patch[g.edges[e].to];
    std::string ca, cb;
    if (a >= 0 && b >= 0) {
      if (codes[a] == codes[b]) continue;
      ca = codes[a], cb = codes[b];
    } else if ((a >= 0) != (b >= 0)) {
      if (level != 0) continue;  // the region border belongs to the coarsest level
      ca = codes[a >= 0 ? a : b], cb = "outside";
    } else {
      continue;
    }
    if (cb < ca && cb != "outside") std::swap(ca, cb);
    const int n = ++count[{ca, cb}];
    sim::Checkpoint c = spec.defaults;
    c.id =
        spec.id_prefix + spec.level + ":" + ca + "|" + cb + (n > 1 ? "#" + std::to_string(n) : "");
    out.on_edges.push_back({e, 0.5, static_cast<int>(out.checkpoints.size())});
    out.checkpoints.push_back(c);
    out.points.push_back(Midpoint(g, e));
    out.kinds.push_back("cordon");
  }
}

// OD pairs from a table, routed by the route table when it has them.
std::vector<double> OdRates(const std::string& path, const Region& region, RouteTable& routes) {
  IdIndex index;
  for (int p = 0; p < region.Patches(); ++p) index.emplace(region.ids[p], p);
  const std::vector<OdRate> od = ReadOdTable(path, index);
  // Rebuild the table over exactly the OD pairs; pairs without a route meet no checkpoint.
  RouteTable out;
  out.offsets.assign(1, 0);
  out.ck_offsets.assign(1, 0);
  std::vector<double> rates;
  auto it = od.begin();
  for (int i = 0; i < region.Patches(); ++i) {
    for (; it != od.end() && it->origin == i; ++it) {
      const int j = it->destination;
      out.destination.push_back(j);
      rates.push_back(it->rate);
      const auto b = routes.destination.begin() + routes.offsets[i];
      const auto e = routes.destination.begin() + routes.offsets[i + 1];
      const auto hit = std::lower_bound(b, e, j);
      if (hit != e && *hit == j) {
        const std::int64_t r = hit - routes.destination.begin();
        out.km.push_back(routes.km[r]);
        out.checkpoints.insert(out.checkpoints.end(),
                               routes.checkpoints.begin() + routes.ck_offsets[r],
                               routes.checkpoints.begin() + routes.ck_offsets[r + 1]);
      } else {
        out.km.push_back(0.0f);
      }
      out.ck_offsets.push_back(static_cast<std::int64_t>(out.checkpoints.size()));
    }
    out.offsets.push_back(static_cast<std::int64_t>(out.destination.size()));
  }
  routes = std::move(out);
  return rates;
}

// The village layer, reprojected to the working CRS, as a Region; repairs noted in `geo`.
std::string LoadRegion(const GeoSpec& spec, Geography& geo) {
  data::VectorLayer villages = ReadLayer(spec.villages, data::GeometryKind::kPolygon, "");
  const std::string source_crs = villages.crs;
  const std::string working = spec.crs.empty()
                                  ? data::LocalEqualAreaCrs(villages)
                                  : data::CrsToWkt(spec.crs, spec.file + ": region.crs");
  data::Reproject(villages, working);
  int with_z = 0;
  for (const auto& f : villages.features) with_z += f.has_z;
  if (villages.repaired > 0)
    geo.warnings.push_back(spec.villages.path + ": repaired " + std::to_string(villages.repaired) +
                           " invalid village polygon(s) with MakeValid");
  if (with_z > 0)
    geo.warnings.push_back(spec.villages.path + ": dropped Z from " + std::to_string(with_z) +
                           " village geometries");
  if (villages.empty > 0)
    geo.warnings.push_back(spec.villages.path + ": skipped " + std::to_string(villages.empty) +
                           " feature(s) without geometry");
  for (std::size_t f = 0; f < villages.fields.size(); ++f)
    if (villages.not_utf8[f] >= 0)
      geo.warnings.push_back(villages.Where(static_cast<std::size_t>(villages.not_utf8[f])) +
                             ": field '" + villages.fields[f] +
                             "' is not UTF-8 text; its bad bytes are written as U+FFFD (give the "
                             "layer's encoding, e.g. encoding: CP936 for GBK)");
  geo.region = BuildRegion(villages, spec.fields, source_crs);
  if (spec.labels.enabled) geo.labels = ReadUnitLabels(spec.labels, geo.region);
  return working;
}

// The road graph (edges at most half a typical patch wide, so boundary
// crossings are edges), or the adjacency graph between patch anchors.
RoadGraph BuildGraph(const GeoSpec& spec, const std::string& working, const Region& region) {
  if (!spec.has_roads) {
    // Without roads, routes follow the neighbours, and the border patches lead outside.
    RoadGraph g = AdjacencyGraph(region, FindAdjacency(region, spec.tolerance_m), 30.0);
    AddBorderGates(region, FindBorderExits(region, spec.tolerance_m), 30.0, g);
    return g;
  }
  data::VectorLayer roads = ReadLayer(spec.roads, data::GeometryKind::kLine, "");
  data::Reproject(roads, working);
  RoadOptions options;
  options.snap_m = spec.road_snap_m;
  options.speed_field = spec.speed_field;
  options.class_field = spec.class_field;
  options.class_speeds = spec.class_speeds;
  options.default_speed_kmh = spec.default_speed_kmh;
  options.max_segment_m = 0.5 * std::sqrt(Median(region.area_km2) * 1e6);
  RoadGraph graph = BuildRoadGraph(roads, options);
  if (graph.Edges() == 0) throw InputError(SourceRef{spec.roads.path}, "no road lines");
  return graph;
}

// Checkpoint layers and cordons placed on the graph, and the gates: graph
// nodes outside the region at the end of an edge that crosses its border.
Placement PlaceCheckpoints(const GeoSpec& spec, const std::string& working,
                           const std::vector<int>& node_patch, Geography& geo) {
  const RoadGraph& g = geo.graph;
  Placement placed;
  for (const auto& c : spec.checkpoint_layers)
    PlaceLayerCheckpoints(c, working, g, spec.has_roads, placed);
  for (const auto& c : spec.cordons) PlaceCordon(c, geo.region, g, node_patch, placed);
  std::set<std::string> ids;
  for (const auto& c : placed.checkpoints)
    if (!ids.insert(c.id).second)
      throw InputError(SourceRef{spec.file}, "duplicate checkpoint id '" + c.id + "'");
  for (int e = 0; e < g.Edges(); ++e) {
    const int a = g.edges[e].from, b = g.edges[e].to;
    if ((node_patch[a] >= 0) != (node_patch[b] >= 0))
      placed.gate_nodes.push_back(node_patch[a] < 0 ? a : b);
  }
  std::sort(placed.gate_nodes.begin(), placed.gate_nodes.end());
  placed.gate_nodes.erase(std::unique(placed.gate_nodes.begin(), placed.gate_nodes.end()),
                          placed.gate_nodes.end());
  geo.gates = static_cast<int>(placed.gate_nodes.size());
  for (int n : placed.gate_nodes) geo.gate_points.push_back(g.nodes[n]);
  geo.checkpoint_on_border.assign(placed.checkpoints.size(), false);
  for (const auto& [e, t, c] : placed.on_edges)
    if ((node_patch[g.edges[e].from] >= 0) != (node_patch[g.edges[e].to] >= 0))
      geo.checkpoint_on_border[c] = true;
  return placed;
}

// Where each patch joins the graph: its nearest road node (with the connector
// length), or, without roads, its own node of the adjacency graph.
AccessPoints Access(const GeoSpec& spec, const Geography& geo, const std::vector<int>& node_patch) {
  if (spec.has_roads) return FindAccessPoints(geo.graph, geo.region.anchors);
  AccessPoints a;
  a.node.assign(node_patch.begin(), node_patch.begin() + geo.region.Patches());
  a.connector_km.assign(geo.region.Patches(), 0.0);
  return a;
}

// The network: the region's patches, one trip rate per routed OD pair with a
// positive rate (CSR), and the checkpoints each such route passes, in order.
// The route table is compacted in place and moved into the network: at 1e6
// villages (50M pairs) a copy would hold its lengths and checkpoints twice.
void AssembleNetwork(const GeoSpec& spec, RouteTable routes, std::vector<double> rates,
                     Geography& geo, sim::Network& net) {
  const Region& region = geo.region;
  net.ids = region.ids;
  net.names = region.names;
  net.population = Eigen::Map<const Eigen::ArrayXd>(region.population.data(), region.Patches());
  const int patches = region.Patches();
  std::int64_t nnz = 0;
  for (double r : rates) nnz += r > 0;
  if (nnz >= std::int64_t(1) << 31)
    throw InputError(SourceRef{spec.file}, "too many OD pairs (" + std::to_string(nnz) +
                                               "); lower mobility.max_destinations");
  // Kept pairs move down over dropped ones: the write position never passes the read one.
  // The route offsets first, so the 64-bit ones are freed before the trip matrix is made.
  std::int64_t kept = 0, entries = 0;
  std::vector<int> route_offsets;
  route_offsets.reserve(std::size_t(nnz) + 1);
  route_offsets.push_back(0);
  for (std::int64_t r = 0; r < routes.Routes(); ++r) {
    if (!(rates[r] > 0)) continue;
    routes.km[kept++] = routes.km[r];
    for (std::int64_t q = routes.ck_offsets[r]; q < routes.ck_offsets[r + 1]; ++q)
      routes.checkpoints[entries++] = routes.checkpoints[q];
    if (entries >= (std::int64_t(1) << 31))
      throw InputError(SourceRef{spec.file},
                       "too many route checkpoints; lower mobility.max_destinations");
    route_offsets.push_back(static_cast<int>(entries));
  }
  std::vector<std::int64_t>().swap(routes.ck_offsets);
  net.trips.resize(patches, patches);
  net.trips.reserve(nnz);
  for (int i = 0; i < patches; ++i) {
    net.trips.startVec(i);
    for (std::int64_t r = routes.offsets[i]; r < routes.offsets[i + 1]; ++r)
      if (rates[r] > 0) net.trips.insertBack(i, routes.destination[r]) = rates[r];
  }
  net.trips.finalize();
  net.trips.makeCompressed();
  routes.km.resize(std::size_t(kept));
  routes.checkpoints.resize(std::size_t(entries));
  geo.route_km = std::move(routes.km);
  net.route_checkpoints = std::move(routes.checkpoints);
  net.route_offsets = std::move(route_offsets);
  geo.routes = nnz;
}

}  // namespace

GeoModel BuildGeoModel(const GeoSpec& spec, int threads, const StageCallback& stage) {
  auto tell = [&](const std::string& what) {
    if (stage) stage(what);
  };
  GeoModel model;
  Geography& geo = model.geography;
  auto start = Clock::now();

  tell("reading " + spec.villages.path);
  const std::string working = LoadRegion(spec, geo);
  const Region& region = geo.region;
  geo.has_roads = spec.has_roads;
  tell(spec.has_roads
           ? "building the road graph from " + spec.roads.path
           : "finding neighbours among " + std::to_string(region.Patches()) + " villages");
  geo.graph = BuildGraph(spec, working, region);
  const RoadGraph& g = geo.graph;
  // Without roads node p is patch p's anchor; the gates' outer nodes follow, in no patch.
  std::vector<int> node_patch(std::size_t(g.Nodes()), -1);
  if (spec.has_roads)
    node_patch = LocatePoints(region, g.nodes);
  else
    for (int p = 0; p < region.Patches(); ++p) node_patch[p] = p;
  Placement placed = PlaceCheckpoints(spec, working, node_patch, geo);
  const EdgeCheckpoints on_edges = EdgeCheckpoints::Build(g.Edges(), placed.on_edges);
  geo.load_s = Seconds(start);

  tell("routing " + std::to_string(region.Patches()) + " villages over " +
       std::to_string(g.Edges()) + " edges");
  start = Clock::now();
  const AccessPoints access = Access(spec, geo, node_patch);
  int far = 0;
  std::string far_example;
  for (int p = 0; p < region.Patches(); ++p)
    if (access.connector_km[p] > 5.0 && far++ == 0) far_example = region.ids[p];
  if (far > 0)
    geo.warnings.push_back(std::to_string(far) + " village(s) lie over 5 km from any road (e.g. '" +
                           far_example + "'); their connector to the nearest road is counted");
  RouteOptions route_options = spec.routes;
  route_options.threads = threads;
  if (spec.mobility_model == "od") {
    route_options.max_destinations = region.Patches();
    route_options.max_km = 1e300;
  }
  RouteTable routes = ComputeRoutes(g, access, on_edges, route_options);
  if (!placed.gate_nodes.empty())
    sim::SetGates(model.network, GateCheckpoints(g, access, placed.gate_nodes, on_edges));
  geo.route_s = Seconds(start);

  tell("mobility: " + spec.mobility_model);
  start = Clock::now();
  std::vector<double> rates =
      spec.mobility_model == "od"
          ? OdRates(spec.od_csv, region, routes)
          : TripRates(routes, region.population, region.anchors, spec.mobility);
  AssembleNetwork(spec, std::move(routes), std::move(rates), geo, model.network);
  model.network.checkpoints = std::move(placed.checkpoints);
  geo.checkpoint_points = std::move(placed.points);
  geo.checkpoint_kinds = std::move(placed.kinds);
  geo.mobility_s = Seconds(start);
  return model;
}

}  // namespace cordon::geo
