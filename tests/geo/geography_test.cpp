// SPDX-License-Identifier: Apache-2.0
// The geography on a hand-built fixture whose answers are known by hand:
// four 2 km villages in a 2 x 2 block (A B below, C D above; townships
// T1 = {A, B}, T2 = {C, D}) and two roads:
//   road 1: (-1,1) - (1,1) - (3,1) - (5,1)   west gate, A, B, east gate
//   road 2: (1,1) - (1,3) - (3,3)            A, C, D
// (km, relative to an origin in UTM 50N). B and D are neighbours without a road.
#include "cordon/geo/geography.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>

#include "cordon/base/error.hpp"
#include "cordon/data/vector_writer.hpp"
#include "cordon/engine/model_build.hpp"
#include "cordon/scenario/scenario.hpp"

namespace cordon::engine {
namespace {

namespace fs = std::filesystem;
using data::Point2;

// A scenario's model inputs (imports resolved through the gates) and the geography behind them.
struct Built {
  sim::ModelInputs inputs;
  geo::Geography geography;
};
Built Build(const scenario::Scenario& s, int threads) {
  std::optional<geo::Geography> geography;
  Built b;
  b.inputs = BuildScenarioInputs(s, threads, &geography);
  b.geography = std::move(*geography);
  return b;
}

constexpr double kX0 = 500000, kY0 = 3000000;
// On UTM's central meridian a grid metre is 1 / 0.9996 true metres; cordon
// measures in a local equal-area CRS, so true lengths come out.
constexpr double kTrue = 1 / 0.9996;
Point2 Km(double x, double y) { return {kX0 + 1000 * x, kY0 + 1000 * y}; }

class Fixture : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cordon_geo_" + std::to_string(::getpid()) + "_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    crs_ = data::CrsToWkt("EPSG:32650", "fixture");
    data::LayerToWrite villages;
    villages.name = "villages";
    villages.kind = data::GeometryKind::kPolygon;
    villages.crs = crs_;
    data::Column code{"code", data::FieldType::kText, {"A", "B", "C", "D"}, {}, {}};
    data::Column name{"name", data::FieldType::kText, {"甲村", "乙村", "丙村", "丁村"}, {}, {}};
    data::Column town{"township", data::FieldType::kText, {"T1", "T1", "T2", "T2"}, {}, {}};
    data::Column pop{"pop", data::FieldType::kReal, {}, {100, 200, 300, 400}, {}};
    villages.columns = {code, name, town, pop};
    for (auto [x, y] : {std::pair{0, 0}, {2, 0}, {0, 2}, {2, 2}})
      villages.polygons.push_back(
          {data::Polygon{{Km(x, y), Km(x + 2, y), Km(x + 2, y + 2), Km(x, y + 2)}, {}}});
    data::LayerToWrite roads;
    roads.name = "roads";
    roads.kind = data::GeometryKind::kLine;
    roads.crs = crs_;
    roads.lines = {{Km(-1, 1), Km(1, 1), Km(3, 1), Km(5, 1)}, {Km(1, 1), Km(1, 3), Km(3, 3)}};
    roads.columns = {{"speed", data::FieldType::kReal, {}, {60, 60}, {}}};
    data::WriteVectorFile(Path("county.gpkg"), {villages, roads});
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  // Writes checkpoints P1 on road 1 near the A|B border and P2 at `p2` (km).
  void WriteCheckpoints(Point2 p2) {
    data::LayerToWrite c;
    c.name = "checkpoints";
    c.kind = data::GeometryKind::kPoint;
    c.crs = crs_;
    c.points = {Km(2.0, 1.05), Km(p2.x, p2.y)};
    c.columns = {{"id", data::FieldType::kText, {"P1", "P2"}, {}, {}},
                 {"block", data::FieldType::kReal, {}, {0.5, 0.25}, {}}};
    data::WriteVectorFile(Path("checkpoints.gpkg"), {c});
  }

  scenario::Scenario Load(const std::string& extra,
                          const std::string& mobility = "model: gravity") {
    const std::string text =
        "region:\n"
        "  villages: {path: county.gpkg, layer: villages, id: code, name: name, population: pop,\n"
        "             parent: [township]}\n"
        "  roads: {path: county.gpkg, layer: roads, speed: speed}\n"
        "mobility: {" +
        mobility + ", trips_per_person: 0.3, max_km: 50}\n" + extra;
    std::ofstream(Path("s.yaml")) << text;
    return scenario::LoadScenario(Path("s.yaml"));
  }

  // Checkpoint ids met by route from -> to, by village id.
  static std::vector<std::string> RouteIds(const sim::Network& net, const std::string& from,
                                           const std::string& to) {
    const int i = Index(net, from), j = Index(net, to);
    for (int p = net.trips.outerIndexPtr()[i]; p < net.trips.outerIndexPtr()[i + 1]; ++p) {
      if (net.trips.innerIndexPtr()[p] != j) continue;
      std::vector<std::string> ids;
      for (int k = net.route_offsets[p]; k < net.route_offsets[p + 1]; ++k)
        ids.push_back(net.checkpoints[net.route_checkpoints[k]].id);
      return ids;
    }
    ADD_FAILURE() << "no trips " << from << " -> " << to;
    return {};
  }
  static int Index(const sim::Network& net, const std::string& id) {
    return static_cast<int>(std::find(net.ids.begin(), net.ids.end(), id) - net.ids.begin());
  }
  static double Rate(const sim::Network& net, const std::string& from, const std::string& to) {
    return net.trips.coeff(Index(net, from), Index(net, to));
  }

  fs::path dir_;
  std::string crs_;
};

using Routes = std::map<std::pair<std::string, std::string>, std::vector<std::string>>;
const char* kIds[] = {"A", "B", "C", "D"};

Routes AllRoutes(const sim::Network& net) {
  Routes r;
  for (const char* a : kIds)
    for (const char* b : kIds)
      if (std::string(a) != b) r[{a, b}] = {};
  for (auto& [pair, ids] : r) {
    const int i =
        static_cast<int>(std::find(net.ids.begin(), net.ids.end(), pair.first) - net.ids.begin());
    const int j =
        static_cast<int>(std::find(net.ids.begin(), net.ids.end(), pair.second) - net.ids.begin());
    for (int p = net.trips.outerIndexPtr()[i]; p < net.trips.outerIndexPtr()[i + 1]; ++p)
      if (net.trips.innerIndexPtr()[p] == j)
        for (int k = net.route_offsets[p]; k < net.route_offsets[p + 1]; ++k)
          ids.push_back(net.checkpoints[net.route_checkpoints[k]].id);
  }
  return r;
}

TEST_F(Fixture, AdjacencyAndSharedBorders) {
  const scenario::Scenario s = Load("");
  const Built m = Build(s, 1);
  const auto adjacency = geo::FindAdjacency(m.geography.region, 1.0);
  std::map<std::string, double> shared;
  for (const auto& a : adjacency)
    shared[m.geography.region.ids[a.a] + m.geography.region.ids[a.b]] = a.shared_km;
  ASSERT_EQ(shared.size(), 4u) << "A-D and B-C only touch at a corner";
  for (const char* pair : {"AB", "AC", "BD", "CD"})
    EXPECT_NEAR(shared[pair], 2.0 * kTrue, 1e-5) << pair;
  EXPECT_EQ(m.geography.region.levels, (std::vector<std::string>{"township", "village"}));
  EXPECT_NEAR(m.geography.region.area_km2[0], 4.0 * kTrue * kTrue, 1e-5);
}

TEST_F(Fixture, RouteLengthsFollowTheRoads) {
  const Built m = Build(Load(""), 1);
  const sim::Network& net = m.inputs.network;
  std::map<std::string, double> km;
  for (int i = 0; i < net.Patches(); ++i)
    for (int p = net.trips.outerIndexPtr()[i]; p < net.trips.outerIndexPtr()[i + 1]; ++p)
      km[net.ids[i] + net.ids[net.trips.innerIndexPtr()[p]]] = m.geography.route_km[p];
  ASSERT_EQ(km.size(), 12u);
  const std::map<std::string, double> expected = {{"AB", 2}, {"AC", 2}, {"AD", 4},
                                                  {"BC", 4}, {"BD", 6}, {"CD", 2}};
  for (const auto& [pair, length] : expected) {
    EXPECT_NEAR(km[pair], length * kTrue, 1e-5) << pair;
    const std::string back{pair[1], pair[0]};
    EXPECT_NEAR(km[back], length * kTrue, 1e-5) << back;
  }
  EXPECT_EQ(m.geography.gates, 2);
}

TEST_F(Fixture, RoutesMeetTheirCheckpointsInOrder) {
  WriteCheckpoints({1.02, 2.5});  // P2 on road 2 between A and C
  const Built m = Build(Load("checkpoints:\n  - {path: checkpoints.gpkg, screen: 0.4}\n"), 1);
  const sim::Network& net = m.inputs.network;
  ASSERT_EQ(net.checkpoints.size(), 2u);
  EXPECT_DOUBLE_EQ(net.checkpoints[0].block, 0.5);   // from the layer
  EXPECT_DOUBLE_EQ(net.checkpoints[0].screen, 0.4);  // from the scenario entry
  using V = std::vector<std::string>;
  EXPECT_EQ(RouteIds(net, "A", "B"), V{"P1"});
  EXPECT_EQ(RouteIds(net, "B", "A"), V{"P1"});
  EXPECT_EQ(RouteIds(net, "A", "C"), V{"P2"});
  EXPECT_EQ(RouteIds(net, "D", "A"), V{"P2"});
  EXPECT_EQ(RouteIds(net, "B", "D"), (V{"P1", "P2"}));
  EXPECT_EQ(RouteIds(net, "D", "B"), (V{"P2", "P1"}));
  EXPECT_EQ(RouteIds(net, "B", "C"), (V{"P1", "P2"}));
  EXPECT_EQ(RouteIds(net, "C", "B"), (V{"P2", "P1"}));
  EXPECT_EQ(RouteIds(net, "C", "D"), V{});
  EXPECT_EQ(RouteIds(net, "D", "C"), V{});
}

TEST_F(Fixture, MovingOneCheckpointChangesExactlyTheRoutesThatPassEitherSite) {
  const std::string entry = "checkpoints:\n  - {path: checkpoints.gpkg}\n";
  WriteCheckpoints({1.02, 2.5});
  const Routes before = AllRoutes(Build(Load(entry), 1).inputs.network);
  WriteCheckpoints({2.5, 0.98});  // P2 moves to road 1, inside B
  const Routes after = AllRoutes(Build(Load(entry), 1).inputs.network);
  // Every route uses the A-B or the A-C road except C <-> D.
  for (const auto& [pair, ids] : before) {
    const bool cd =
        (pair.first == "C" && pair.second == "D") || (pair.first == "D" && pair.second == "C");
    if (cd)
      EXPECT_EQ(after.at(pair), ids) << pair.first << "->" << pair.second;
    else
      EXPECT_NE(after.at(pair), ids) << pair.first << "->" << pair.second;
  }
  using V = std::vector<std::string>;
  EXPECT_EQ(after.at({"A", "B"}), (V{"P1", "P2"}));
  EXPECT_EQ(after.at({"B", "C"}), (V{"P2", "P1"}));
  EXPECT_EQ(after.at({"A", "D"}), V{});
}

TEST_F(Fixture, AdminCordonsPutOneCheckpointOnEachCrossing) {
  const Built m = Build(
      Load("checkpoints:\n  - {cordon: township, block: 0.5}\n  - {cordon: village, screen: 0.3}\n"
           "imports:\n  - {to: D, per_day: 10}\n"),
      1);
  const sim::Network& net = m.inputs.network;
  std::map<std::string, int> per_level;
  for (const auto& c : net.checkpoints) ++per_level[c.level];
  // Township: the T1|T2 crossing of road 2 plus the two gates (the county border).
  EXPECT_EQ(per_level["township"], 3);
  // Village: A|B on road 1, A|C and C|D on road 2.
  EXPECT_EQ(per_level["village"], 3);
  using V = std::vector<std::string>;
  EXPECT_EQ(RouteIds(net, "B", "D"),
            (V{"village:A|B", "township:T1|T2", "village:A|C", "village:C|D"}));
  // Imports into D enter at the nearer west gate (6 km against 8 km).
  ASSERT_EQ(m.inputs.imports.size(), 1u);
  const auto& stream = m.inputs.imports[0];
  V gate;
  for (int k = stream.gate_offsets[0]; k < stream.gate_offsets[1]; ++k)
    gate.push_back(net.checkpoints[stream.gate_checkpoints[k]].id);
  EXPECT_EQ(gate, (V{"township:T1|outside", "township:T1|T2", "village:A|C", "village:C|D"}));
}

TEST_F(Fixture, GravityAndRadiationRatesMatchHandCalculation) {
  // Origin A: B and C at 2 km, D at 4 km; populations 200, 300, 400.
  const sim::Network g = Build(Load(""), 1).inputs.network;
  const double w[] = {200 / 4.0, 300 / 4.0, 400 / 16.0}, wsum = w[0] + w[1] + w[2];
  EXPECT_NEAR(Rate(g, "A", "B"), 0.3 * w[0] / wsum, 1e-6);
  EXPECT_NEAR(Rate(g, "A", "C"), 0.3 * w[1] / wsum, 1e-6);
  EXPECT_NEAR(Rate(g, "A", "D"), 0.3 * w[2] / wsum, 1e-6);
  // Radiation (Simini 2012): T ~ m n / ((m + s)(m + n + s)); B and C tie, s_D = 500.
  const sim::Network r = Build(Load("", "model: radiation"), 1).inputs.network;
  const double m = 100, t[] = {m * 200 / (m * (m + 200)), m * 300 / (m * (m + 300)),
                               m * 400 / ((m + 500) * (m + 400 + 500))};
  const double tsum = t[0] + t[1] + t[2];
  EXPECT_NEAR(Rate(r, "A", "B"), 0.3 * t[0] / tsum, 1e-6);
  EXPECT_NEAR(Rate(r, "A", "C"), 0.3 * t[1] / tsum, 1e-6);
  EXPECT_NEAR(Rate(r, "A", "D"), 0.3 * t[2] / tsum, 1e-6);
}

TEST_F(Fixture, PolygonCordonControlsEveryCrossingOfItsBoundary) {
  // A cordon polygon inside B: road 1 crosses its boundary twice.
  data::LayerToWrite c;
  c.name = "cordons";
  c.kind = data::GeometryKind::kPolygon;
  c.crs = crs_;
  c.polygons = {{data::Polygon{{Km(2.2, 0.2), Km(3.8, 0.2), Km(3.8, 1.8), Km(2.2, 1.8)}, {}}}};
  c.columns = {{"id", data::FieldType::kText, {"ring-B"}, {}, {}}};
  data::WriteVectorFile(Path("cordons.gpkg"), {c});
  const Built m = Build(Load("checkpoints: [{path: cordons.gpkg, block: 0.9}]\n"), 1);
  const sim::Network& net = m.inputs.network;
  ASSERT_EQ(net.checkpoints.size(), 1u);
  EXPECT_DOUBLE_EQ(net.checkpoints[0].block, 0.9);
  using V = std::vector<std::string>;
  EXPECT_EQ(RouteIds(net, "A", "B"), V{"ring-B"});
  EXPECT_EQ(RouteIds(net, "D", "B"), V{"ring-B"});
  EXPECT_EQ(RouteIds(net, "A", "D"), V{});
  EXPECT_EQ(m.geography.checkpoint_kinds, V{"polygon"});
}

TEST(Adjacency, GapsAndSliversWithinTheToleranceAreBridged) {
  // Two 1 km squares 20 m apart, and a third overlapping the second by 10 m.
  geo::Region r;
  auto square = [](double x0) {
    return data::MultiPolygon{
        data::Polygon{{{x0, 0}, {x0 + 1000, 0}, {x0 + 1000, 1000}, {x0, 1000}}, {}}};
  };
  r.ids = {"a", "b", "c"};
  r.shapes = {square(0), square(1020), square(2010)};
  EXPECT_EQ(geo::FindAdjacency(r, 5.0).size(), 0u);
  const auto bridged = geo::FindAdjacency(r, 50.0);
  ASSERT_EQ(bridged.size(), 2u);
  EXPECT_EQ(bridged[0].a, 0);
  EXPECT_EQ(bridged[0].b, 1);
  EXPECT_NEAR(bridged[0].shared_km, 1.0, 1e-9);
  EXPECT_EQ(bridged[1].a, 1);
  EXPECT_EQ(bridged[1].b, 2);
}

TEST_F(Fixture, WithoutRoadsRoutesFollowAdjacency) {
  const std::string text =
      "region:\n"
      "  villages: {path: county.gpkg, layer: villages, id: code, population: pop}\n"
      "mobility: {model: gravity, trips_per_person: 0.3, max_km: 50}\n"
      "checkpoints: [{cordon: village}]\n";
  std::ofstream(Path("s.yaml")) << text;
  const Built m = Build(scenario::LoadScenario(Path("s.yaml")), 1);
  const sim::Network& net = m.inputs.network;
  // One per shared border, and (villages being the coarsest level) one on each village's
  // gate to outside: every village of the 2 x 2 county lies on the county border.
  EXPECT_EQ(net.checkpoints.size(), 8u);
  EXPECT_EQ(RouteIds(net, "A", "B").size(), 1u);
  EXPECT_EQ(RouteIds(net, "A", "D").size(), 2u);  // two borders on the way, no diagonal
  EXPECT_EQ(m.geography.gates, 4);
  ASSERT_TRUE(net.HasGates());
  for (int p = 0; p < net.Patches(); ++p) {
    ASSERT_EQ(net.gate_offsets[p + 1] - net.gate_offsets[p], 1) << net.ids[p];
    const std::string& id = net.checkpoints[net.gate_checkpoints[net.gate_offsets[p]]].id;
    EXPECT_NE(id.find(net.ids[p] + "|outside"), std::string::npos) << id;
  }
}

TEST(BorderExits, OnlyPatchesOnTheRegionBorderLeadOutsideAtTheirNearestPoint) {
  // A 3 x 3 grid of 1 km squares: the centre one has no border of its own.
  geo::Region r;
  for (int row = 0; row < 3; ++row)
    for (int col = 0; col < 3; ++col) {
      const double x0 = 1000.0 * col, y0 = 1000.0 * row;
      r.ids.push_back(std::to_string(3 * row + col));
      r.shapes.push_back(data::MultiPolygon{
          data::Polygon{{{x0, y0}, {x0 + 1000, y0}, {x0 + 1000, y0 + 1000}, {x0, y0 + 1000}}, {}}});
      // Anchors off-centre: nearer the south-west corner.
      r.anchors.push_back({x0 + 300, y0 + 400});
    }
  const std::vector<geo::BorderExit> exits = geo::FindBorderExits(r, 5.0);
  ASSERT_EQ(exits.size(), 8u);
  for (const auto& x : exits) EXPECT_NE(x.patch, 4);
  // Corner 0 (south-west) leaves west, 300 m from its anchor; its outer border is 2 km long.
  EXPECT_EQ(exits[0].patch, 0);
  EXPECT_NEAR(exits[0].point.x, 0.0, 1e-9);
  EXPECT_NEAR(exits[0].point.y, 400.0, 1e-9);
  EXPECT_NEAR(exits[0].outer_km, 2.0, 1e-9);
  // Patch 7 (north middle) can only leave north.
  EXPECT_EQ(exits[6].patch, 7);
  EXPECT_NEAR(exits[6].point.x, 1300.0, 1e-9);
  EXPECT_NEAR(exits[6].point.y, 3000.0, 1e-9);
  EXPECT_NEAR(exits[6].outer_km, 1.0, 1e-9);
}

}  // namespace
}  // namespace cordon::engine

namespace cordon::engine {
namespace {

TEST(RoadGraph, SpeedsComeFromTheSpeedFieldThenTheClassThenTheDefault) {
  data::VectorLayer roads;
  roads.path = "roads";
  roads.fields = {"kind", "kmh"};
  auto line = [&](double y, const std::string& kind, const std::string& kmh) {
    data::Feature f;
    f.values = {kind, kmh};
    f.null_values = {false, kmh.empty()};
    f.lines = {{{0, y}, {6000, y}}};
    roads.features.push_back(f);
  };
  line(0, "highway", "");       // class: 80 km/h
  line(1000, "highway", "40");  // own speed wins
  line(2000, "track", "");      // unknown class: default
  geo::RoadOptions o;
  o.speed_field = "kmh";
  o.class_field = "kind";
  o.class_speeds = {{"highway", 80.0}};
  o.default_speed_kmh = 20.0;
  const geo::RoadGraph g = BuildRoadGraph(roads, o);
  ASSERT_EQ(g.Edges(), 3);
  EXPECT_NEAR(g.edges[0].minutes, 6.0 / 80 * 60, 1e-9);
  EXPECT_NEAR(g.edges[1].minutes, 6.0 / 40 * 60, 1e-9);
  EXPECT_NEAR(g.edges[2].minutes, 6.0 / 20 * 60, 1e-9);
}

}  // namespace
}  // namespace cordon::engine
