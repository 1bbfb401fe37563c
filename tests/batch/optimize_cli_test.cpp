// SPDX-License-Identifier: Apache-2.0
// `cordon optimize` on a fixture whose optimum is known by construction:
// two valleys joined by one road. Valley A (four villages on a ring road,
// the infection starts in A1) and valley B (three villages on one road)
// meet only at the bridge A4 - B1. Cutting any one ring road in A leaves a
// detour; a cut inside B protects fewer people than the bridge; so the
// bridge is the first site chosen.
//
//   A3 A4 B1 B2 B3        y 2..4
//   A1 A2                 y 0..2      (2 km squares, 1000 people each)
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cli_support.hpp"
#include "cordon/base/csv_table.hpp"

namespace {

namespace fs = std::filesystem;
using cordon::test::Result;
using cordon::test::RunCordon;

// Joins strings by append(): GCC 12 warns falsely (-Wrestrict) on operator+ chains.
template <typename... Parts>
std::string Cat(const Parts&... parts) {
  std::string s;
  (s.append(parts), ...);
  return s;
}

// Kilometres on a local grid -> lon/lat near 28.4N 98.9E (about 0.0102 degrees per km).
std::string P(double x, double y) {
  return Cat("[", std::to_string(98.9 + x * 0.010216), ",", std::to_string(28.4 + y * 0.009009),
             "]");
}

std::string Square(const std::string& id, double x, double y) {
  return Cat(R"({"type":"Feature","properties":{"id":")", id, R"(","pop":1000,"county":"C"},)",
             R"("geometry":{"type":"Polygon","coordinates":[[)", P(x, y), ",", P(x + 2, y), ",",
             P(x + 2, y + 2), ",", P(x, y + 2), ",", P(x, y), "]]}}");
}

std::string Road(const std::vector<std::pair<double, double>>& pts) {
  std::string c;
  for (const auto& [x, y] : pts) c.append(c.empty() ? "" : ",").append(P(x, y));
  return Cat(
      R"({"type":"Feature","properties":{"speed":40},"geometry":{"type":"LineString","coordinates":[)",
      c, "]}}");
}

class OptimizeCli : public cordon::test::CliFixture {
 protected:
  OptimizeCli() : CliFixture("cordon_optimize_") {}

  void SetUp() override {
    CliFixture::SetUp();
    std::ofstream(dir_ / "villages.geojson")
        << R"({"type":"FeatureCollection","features":[)" << Square("A1", 0, 0) << ",\n"
        << Square("A2", 2, 0) << ",\n"
        << Square("A3", 0, 2) << ",\n"
        << Square("A4", 2, 2) << ",\n"
        << Square("B1", 4, 2) << ",\n"
        << Square("B2", 6, 2) << ",\n"
        << Square("B3", 8, 2) << "]}\n";
    std::ofstream(dir_ / "roads.geojson")
        << R"({"type":"FeatureCollection","features":[)"
        << Road({{1, 1}, {3, 1}, {3, 3}, {1, 3}, {1, 1}}) << ",\n"  // ring road of valley A
        << Road({{3, 3}, {5, 3}}) << ",\n"                          // the bridge
        << Road({{5, 3}, {7, 3}, {9, 3}}) << "]}\n";                // valley B
    std::ofstream(dir_ / "valleys.yaml")
        << "name: two-valleys\n"
           "region:\n"
           "  villages: {path: villages.geojson, id: id, population: pop, parent: [county]}\n"
           "  roads: {path: roads.geojson, speed: speed}\n"
           "mobility: {model: gravity, trips_per_person: 0.4, max_km: 50}\n"
           "disease: {r0: 2.5}\n"
           "seed_infections: [{village: A1, infectious: 5}]\n"
           "simulation: {days: 150, dt: 0.25}\n";
  }
};

TEST_F(OptimizeCli, TheBridgeIsChosenFirst) {
  const Result r = RunCordon(
      "optimize " + Path("valleys.yaml") +
          " --sites cordon:village --budget 2 --block 0.95 --screen 0.5 --runs 10 --out " +
          Path("opt") + " -q",
      dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto sites = cordon::CsvTable::Read(Path("opt/sites.csv"));
  ASSERT_EQ(sites.Rows(), 7u) << "one candidate per road crossing of a village border";
  const int rank = sites.Require("rank"), id = sites.Require("id");
  EXPECT_EQ(sites.Text(0, rank), "1");
  EXPECT_EQ(sites.Text(0, id), "village:A4|B1") << "the bridge";
  // The curve falls with every site chosen.
  const auto curve = cordon::CsvTable::Read(Path("opt/curve.csv"));
  ASSERT_EQ(curve.Rows(), 3u);
  EXPECT_LT(curve.Number(1, 2), curve.Number(0, 2));
  EXPECT_LE(curve.Number(2, 2), curve.Number(1, 2));
  // The placements table has the greedy set, the naive ones and none.
  const auto placements = cordon::CsvTable::Read(Path("opt/placements.csv"));
  std::map<std::string, double> det;
  for (std::size_t k = 0; k < placements.Rows(); ++k)
    det[std::string(placements.Text(k, 0))] =
        placements.Number(k, placements.Require("attack_rate"));
  EXPECT_LT(det["greedy"], det["none"]);
  EXPECT_LE(det["greedy"], det["busiest-roads"]);
  EXPECT_TRUE(fs::exists(dir_ / "opt" / "sites.gpkg"));
}

TEST_F(OptimizeCli, ProtectingTheFarVillageGuardsTheWayIntoIt) {
  // Every route into B3 passes the bridge, B1|B2 and B2|B3; a ring-road cut in A cannot delay it.
  const Result r =
      RunCordon("optimize " + Path("valleys.yaml") +
                    " --sites cordon:village --budget 1 --block 0.95 --objective arrival"
                    " --protect B3 --runs 0 --out " +
                    Path("opt") + " -q",
                dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto sites = cordon::CsvTable::Read(Path("opt/sites.csv"));
  const std::string first(sites.Text(0, sites.Require("id")));
  EXPECT_TRUE(first == "village:A4|B1" || first == "village:B1|B2" || first == "village:B2|B3")
      << first;
  const auto curve = cordon::CsvTable::Read(Path("opt/curve.csv"));
  EXPECT_GT(curve.Number(1, 2), curve.Number(0, 2)) << "a later arrival is better";
}

TEST_F(OptimizeCli, PointSitesWithinAStaffBudget) {
  // Three candidate points: the bridge (5 staff), a ring road in A (2 staff), inside B (2 staff).
  std::ofstream(dir_ / "sites.geojson")
      << R"({"type":"FeatureCollection","features":[)"
      << Cat(R"({"type":"Feature","properties":{"id":"bridge","staff":5},"geometry":{"type":"Point","coordinates":)",
             P(4.0, 3.02), "}},\n")
      << Cat(R"({"type":"Feature","properties":{"id":"ring","staff":2},"geometry":{"type":"Point","coordinates":)",
             P(2.0, 1.02), "}},\n")
      << Cat(R"({"type":"Feature","properties":{"id":"inner-b","staff":2},"geometry":{"type":"Point","coordinates":)",
             P(6.0, 3.02), "}}]}\n");
  const std::string base = "optimize " + Path("valleys.yaml") + " --sites " +
                           Path("sites.geojson") + " --budget 3 --block 0.95 --runs 0 -q --out ";
  Result r = RunCordon(base + Path("rich") + " --staff-budget 10", dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  // Chosen by gain per staff: all three fit in 10 staff a day, the bridge among them.
  auto sites = cordon::CsvTable::Read(Path("rich/sites.csv"));
  const int id = sites.Require("id"), rank = sites.Require("rank"), staff = sites.Require("staff");
  double used = 0;
  for (std::size_t k = 0; k < sites.Rows(); ++k) {
    if (sites.Text(k, rank) == "0") continue;
    used += sites.Number(k, staff);
    if (sites.Text(k, id) == "bridge") {
      EXPECT_EQ(sites.Text(k, staff), "5");
    }
  }
  EXPECT_EQ(used, 9.0);
  // With 4 staff a day the bridge is unaffordable: the two cheap sites are all there is.
  r = RunCordon(base + Path("poor") + " --staff-budget 4", dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  sites = cordon::CsvTable::Read(Path("poor/sites.csv"));
  for (std::size_t k = 0; k < sites.Rows(); ++k) {
    if (sites.Text(k, id) == "bridge") {
      EXPECT_EQ(sites.Text(k, rank), "0");
    }
  }
  const auto placements = cordon::CsvTable::Read(Path("poor/placements.csv"));
  EXPECT_LE(placements.Number(0, placements.Require("staff_per_day")), 4.0);
}

TEST_F(OptimizeCli, BadRequestsAreInputErrors) {
  Result r = RunCordon("optimize " + Path("valleys.yaml") +
                           " --sites cordon:village --budget 8 --out " + Path("opt"),
                       dir_);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--budget 8 is larger than the 7 candidate sites of cordon:village"),
            std::string::npos)
      << r.err;
  r = RunCordon(
      "optimize " + Path("valleys.yaml") + " --sites cordon:township --out " + Path("opt"), dir_);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("unknown admin level 'township' (levels: county, village)"),
            std::string::npos)
      << r.err;
  r = RunCordon("optimize " + Path("valleys.yaml") +
                    " --sites cordon:village --objective arrival --out " + Path("opt"),
                dir_);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--objective arrival needs --protect"), std::string::npos) << r.err;
}

}  // namespace
