// SPDX-License-Identifier: Apache-2.0
// Any model, everywhere: the four bundled models and a researcher's own (SEIRS with
// vaccination and deaths, no hospital, reinfection: tests/batch/models/seirs-vd.yaml)
// through run (deterministic and ensemble), sweep (threads, shards, merge, MPI),
// compare, calibrate (mle, one parameter), render and optimize. Every command exits 0
// and every output carries the model's own flows; a metric the model cannot have is
// absent, never an error. Per sweep point, a flow's total and peak quantiles equal those
// of separate `cordon run`s of the point; a rate that turns negative is an input error.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_support.hpp"
#include "cordon/base/csv_table.hpp"
#include "cordon/data/vector_io.hpp"

namespace {

namespace fs = std::filesystem;
using cordon::CsvTable;
using cordon::test::Result;
using cordon::test::Slurp;

// One model of the matrix: how to write a scenario for it and what it must report.
struct ModelCase {
  std::string model;                       // scenario key model: ("" = the default)
  std::vector<std::string> flows;          // its output flows
  std::vector<std::string> village_flows;  // of those, the per-village ones
  bool hospital = false;                   // reports peak_H
  bool attack_rate = true;                 // reports attack_rate (no reinfection)
};

const std::vector<ModelCase>& Cases() {
  static const std::vector<ModelCase> cases = {
      {"cordon", {"incidence", "detections", "imports", "turned_back"}, {"incidence"}, true, true},
      {"cordon-asymptomatic",
       {"incidence", "detections", "imports", "turned_back"},
       {"incidence"},
       true,
       true},
      {"seir", {"incidence"}, {"incidence"}, false, true},
      {"models/seirs-vd.yaml",
       {"deaths", "vaccinations", "infections"},
       {"deaths", "vaccinations", "infections"},
       false,
       false},
  };
  return cases;
}

class AnyModelCli : public cordon::test::CliFixture,
                    public ::testing::WithParamInterface<ModelCase> {
 protected:
  AnyModelCli() : CliFixture("cordon_any_model_") {}

  void SetUp() override {
    CliFixture::SetUp();
    CopyNetworkSample();
    fs::create_directories(dir_ / "models");
    fs::copy(fs::path(TEST_DATA_DIR) / "batch" / "models" / "seirs-vd.yaml",
             dir_ / "models" / "seirs-vd.yaml");
  }

  // The network sample for the case's model: the default models keep its imports and
  // policies; the others run the tables with a seed in V001.
  std::string NetworkScenario(const ModelCase& c, const std::string& extra = "") const {
    if (c.model == "cordon" || c.model == "cordon-asymptomatic")
      return Slurp(dir_ / "network.yaml") + "model: " + c.model + "\n" + extra;
    return "name: " + Slug(c) + "\nmodel: " + c.model +
           "\nregion: {villages: {csv: network/villages.csv}}\n"
           "mobility: {model: od, od: {csv: network/od.csv}}\n"
           "checkpoints: [{csv: network/checkpoints.csv}, {routes: {csv: network/routes.csv}}]\n"
           "disease: {r0: 2.5}\nseed_infections: [{village: V001, I: 5}]\n"
           "simulation: {days: 90, dt: 0.25, mode: deterministic, seed: 7}\n" +
           extra;
  }

  static std::string Slug(const ModelCase& c) {
    return c.model == "models/seirs-vd.yaml" ? "seirs-vd" : c.model;
  }

  nlohmann::json Json(const fs::path& p) const { return nlohmann::json::parse(Slurp(p)); }

  // Exit 0, or the test fails with the command's stderr.
  void Ok(const std::string& args) const {
    const Result r = Cordon(args);
    ASSERT_EQ(r.code, 0) << args << "\n" << r.err;
  }
};

bool HasColumn(const CsvTable& t, const std::string& name) { return t.Find(name) >= 0; }

TEST_P(AnyModelCli, RunCarriesTheModelsFlows) {
  const ModelCase& c = GetParam();
  Write("s.yaml", NetworkScenario(c));
  Ok("run " + Path("s.yaml") + " --out " + Path("det") + " -q");
  const CsvTable series = CsvTable::Read(Path("det/series.csv"));
  const CsvTable villages = CsvTable::Read(Path("det/villages.csv"));
  const auto summary = Json(dir_ / "det" / "summary.json");
  for (const auto& f : c.flows) {
    EXPECT_TRUE(HasColumn(series, f)) << f;
    ASSERT_TRUE(summary["flows"].contains(f)) << f;
    // The summary's total is the series' sum.
    double total = 0;
    for (std::size_t d = 0; d < series.Rows(); ++d) total += series.Number(d, series.Find(f));
    EXPECT_NEAR(summary["flows"][f]["total"].get<double>(), total, 1e-9 * (1 + total)) << f;
  }
  for (const auto& f : c.village_flows) EXPECT_TRUE(HasColumn(villages, f)) << f;
  EXPECT_EQ(summary["peak_H"].is_null(), !c.hospital);
  EXPECT_EQ(summary["attack_rate"].is_null(), !c.attack_rate);
  EXPECT_EQ(summary.contains("infections_per_person"), !c.attack_rate);
  EXPECT_FALSE(summary["infections"].is_null()) << "every model here infects";

  Ok("run " + Path("s.yaml") + " --out " + Path("ens") +
     " --set simulation.mode=stochastic --set simulation.runs=3 --threads 2 -q");
  const auto ens = Json(dir_ / "ens" / "summary.json");
  for (const auto& f : c.flows) EXPECT_TRUE(ens["flows"][f].contains("total_q95")) << f;
  EXPECT_TRUE(fs::exists(dir_ / "ens" / "runs" / "run_0003.csv"));
}

TEST_P(AnyModelCli, SweepShardsMergeAndMpiCarryTheFlows) {
  const ModelCase& c = GetParam();
  std::string base = NetworkScenario(c);
  base.replace(base.find("mode: deterministic"), 19, "mode: stochastic");
  Write("s.yaml", base);
  Write("grid.yaml", "base: s.yaml\nruns: 2\nvary:\n  disease.r0: [2, 3]\n");
  Ok("sweep " + Path("grid.yaml") + " --out " + Path("t2") + " --threads 2 -q");
  const CsvTable rows = CsvTable::Read(Path("t2/sweep.csv"));
  const CsvTable points = CsvTable::Read(Path("t2/sweep_points.csv"));
  EXPECT_EQ(rows.Rows(), 4u);
  EXPECT_EQ(points.Rows(), 2u);
  for (const auto& f : c.flows)
    for (const char* stat :
         {"_total_q05", "_total_q50", "_total_q95", "_peak_q95", "_peak_day_q50"})
      EXPECT_TRUE(HasColumn(points, f + stat)) << f << stat;
  EXPECT_EQ(HasColumn(rows, "peak_H"), c.hospital);
  EXPECT_EQ(HasColumn(rows, "attack_rate"), c.attack_rate);
  EXPECT_EQ(HasColumn(rows, "infections_per_person"), !c.attack_rate);
  EXPECT_FALSE(fs::exists(dir_ / "t2" / "sweep.partial.csv"));

  Ok("sweep " + Path("grid.yaml") + " --out " + Path("s1") + " --shard 1/2 -q");
  Ok("sweep " + Path("grid.yaml") + " --out " + Path("s2") + " --shard 2/2 -q");
  Ok("merge " + Path("s1") + " " + Path("s2") + " --out " + Path("merged"));
  EXPECT_EQ(Slurp(dir_ / "merged" / "sweep_points.csv"), Slurp(dir_ / "t2" / "sweep_points.csv"));
#if defined(CORDON_HAVE_MPI) && defined(CORDON_MPIRUN)
  const Result mpi = cordon::test::RunCordon(
      std::string("env OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 ") +
          "ASAN_OPTIONS=detect_leaks=0 " +  // Open MPI keeps its allocations to exit
          CORDON_MPIRUN + " --oversubscribe -n 2 " + CORDON_BIN + " sweep " + Path("grid.yaml") +
          " --out " + Path("mpi") + " --threads 1 -q",
      dir_, true);
  ASSERT_EQ(mpi.code, 0) << mpi.err;
  EXPECT_EQ(Slurp(dir_ / "mpi" / "sweep.csv"), Slurp(dir_ / "t2" / "sweep.csv"));
#endif
}

TEST_P(AnyModelCli, CompareLabelsAndChartsFollowTheModel) {
  const ModelCase& c = GetParam();
  Write("a.yaml", NetworkScenario(c));
  Write("b.yaml", NetworkScenario(c));  // the same name: labels tell them apart
  Ok("compare " + Path("a.yaml") + " " + Path("b.yaml") + " --set disease.r0=2.2 --out " +
     Path("cmp") + " --labels 'as planned,the same again' -q");
  const CsvTable table = CsvTable::Read(Path("cmp/compare.csv"));
  EXPECT_TRUE(HasColumn(table, "as planned"));
  EXPECT_TRUE(HasColumn(table, "the same again_minus_as planned"));
  std::vector<std::string> metrics;
  for (std::size_t r = 0; r < table.Rows(); ++r) metrics.emplace_back(table.Text(r, 0));
  auto has = [&](const std::string& m) {
    return std::find(metrics.begin(), metrics.end(), m) != metrics.end();
  };
  for (const auto& f : c.flows) {
    EXPECT_TRUE(has(f + "_total")) << f;
    EXPECT_TRUE(has(f + "_peak")) << f;
    EXPECT_TRUE(fs::exists(dir_ / "cmp" / ("compare_" + f + ".png"))) << f;
  }
  EXPECT_EQ(has("peak_H"), c.hospital);
  EXPECT_EQ(fs::exists(dir_ / "cmp" / "compare_hospital.png"), c.hospital)
      << "no empty hospital chart for a model without one";
  EXPECT_TRUE(fs::exists(dir_ / "cmp" / "compare.png"));
  EXPECT_EQ(Slurp(dir_ / "cmp" / "compare.md").find("never"), std::string::npos);
}

// The run's own series.csv is an observation file as it is (docs/calibration.md, "Days and
// dates"): mle finds the r0 that wrote it, the truth inside the interval.
TEST_P(AnyModelCli, CalibrateReadsTheRunsOwnSeriesAsItIs) {
  const ModelCase& c = GetParam();
  Write("s.yaml", NetworkScenario(c));
  Ok("run " + Path("s.yaml") + " --out " + Path("truth") + " -q");
  const std::string flow = c.village_flows.front();
  Write("fit.yaml",
        "scenario: s.yaml\nset: {disease.r0: 2}\nobservations:\n"
        "  - {csv: truth/series.csv, flow: " +
            flow +
            ", window: [1, 40]}\n"
            "parameters:\n  - {key: disease.r0, low: 1.2, high: 4}\n"
            "method: {name: mle, starts: 2}\n");
  Ok("calibrate " + Path("fit.yaml") + " --out " + Path("fit") + " -q");
  const CsvTable posterior = CsvTable::Read(Path("fit/posterior.csv"));
  ASSERT_EQ(posterior.Text(0, 0), "disease.r0");
  const double truth = c.model == "cordon" || c.model == "cordon-asymptomatic" ? 2.38 : 2.5;
  EXPECT_NEAR(posterior.Number(0, posterior.Require("median")), truth, 1e-3 * truth);
  EXPECT_LE(posterior.Number(0, posterior.Require("q025")), truth);
  EXPECT_GE(posterior.Number(0, posterior.Require("q975")), truth);
  // fit.csv's days are series.csv's: the model's mean is the series' value on each day.
  const CsvTable fit = CsvTable::Read(Path("fit/fit.csv"));
  const CsvTable series = CsvTable::Read(Path("truth/series.csv"));
  ASSERT_EQ(fit.Rows(), 40u);
  for (std::size_t r = 0; r < fit.Rows(); ++r) {
    const int day = std::stoi(std::string(fit.Text(r, fit.Require("day"))));
    const double expected = series.Number(std::size_t(day), series.Require(flow));
    EXPECT_NEAR(fit.Number(r, fit.Require("mean")), expected, 1e-4 * (1 + expected)) << day;
  }
}

// On a generated county with roads (commuting models): cordon render draws the run and
// cordon optimize lowers the model's own first flow's total.
TEST_P(AnyModelCli, RenderAndOptimizeOnAGeneratedCounty) {
  const ModelCase& c = GetParam();
  Ok("generate --villages 12 --groups 1 --seed 2 --out " + Path("county.gpkg") + " -q");
  std::string gis = NetworkScenario(c);
  const std::string region =
      "region:\n  villages: {path: county.gpkg, layer: villages, id: code, name: name, "
      "population: population, parent: [county, township]}\n"
      "  roads: {path: county.gpkg, layer: roads, speed: speed_kmh}\n"
      "mobility: {model: gravity, trips_per_person: 0.3, distance: road, max_km: 50}\n"
      "checkpoints: [{cordon: township, block: 0.3, screen: 0.5, start: 3}]\n";
  // The network tables give way to the county's layers; seeds go to its first village.
  std::string out;
  for (std::size_t pos = 0; pos < gis.size();) {
    std::size_t end = gis.find('\n', pos);
    if (end == std::string::npos) end = gis.size();
    const std::string line = gis.substr(pos, end - pos);
    pos = end + 1;
    const bool table = line.rfind("region:", 0) == 0 || line.rfind("mobility:", 0) == 0 ||
                       line.rfind("checkpoints:", 0) == 0 || line.rfind("  ", 0) == 0 ||
                       line.rfind("seed_infections:", 0) == 0;
    if (!table) out += line + "\n";
  }
  const auto villages = cordon::data::ReadVectorLayer(Path("county.gpkg"), "villages");
  const std::string first = villages.features.at(0).values.at(villages.FieldIndex("code"));
  const bool arrivals = c.model == "cordon" || c.model == "cordon-asymptomatic";
  out += region + (arrivals ? "" : "seed_infections: [{village: \"" + first + "\", I: 5}]\n");
  Write("gis.yaml", out);
  Ok("render " + Path("gis.yaml") + " --out " + Path("map.png") + " --day 30 -q");
  EXPECT_GT(fs::file_size(dir_ / "map.png"), 10000u);
  const std::string objective = c.flows.front() + "_total";
  Ok("optimize " + Path("gis.yaml") +
     " --set 'checkpoints=[]' --sites cordon:township "
     "--budget 1 --shortlist 3 --runs 2 --objective " +
     objective + " --out " + Path("opt") + " -q");
  const std::string curve = Slurp(dir_ / "opt" / "curve.csv");
  EXPECT_EQ(curve.rfind("k,site," + objective + "\n", 0), 0u) << curve;
  if (!c.hospital)
    ExpectInputError("optimize " + Path("gis.yaml") +
                         " --sites cordon:township --objective "
                         "peak_H --out " +
                         Path("opt2"),
                     {"--objective peak_H", "does not report it", objective});
}

INSTANTIATE_TEST_SUITE_P(BundledAndOwn, AnyModelCli, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<ModelCase>& info) {
                           std::string n = info.param.model == "models/seirs-vd.yaml"
                                               ? "SeirsWithDeaths"
                                               : info.param.model;
                           n.erase(std::remove(n.begin(), n.end(), '-'), n.end());
                           return n;
                         });

}  // namespace

namespace {

class AnyModelChecks : public cordon::test::CliFixture {
 protected:
  AnyModelChecks() : CliFixture("cordon_any_model_checks_") {}
  void SetUp() override {
    CliFixture::SetUp();
    CopyNetworkSample();
    fs::copy(fs::path(TEST_DATA_DIR) / "batch" / "models" / "seirs-vd.yaml", dir_ / "seirs.yaml");
  }
  // The researcher's model on the network tables, `mode` and `runs` as given.
  std::string Scenario(const std::string& model, const std::string& simulation) const {
    return "name: own\nmodel: " + model +
           "\nregion: {villages: {csv: network/villages.csv}}\n"
           "mobility: {model: od, od: {csv: network/od.csv}}\n"
           "disease: {r0: 2.5}\nseed_infections: [{village: V001, I: 5}]\n"
           "simulation: {" +
           simulation + "}\n";
  }
};

// A flow's total and peak quantiles per sweep point equal those of a separate `cordon run`
// of that point (run r of a point is the scenario's run r).
TEST_F(AnyModelChecks, SweepPointsEqualSeparateRunsOfThePoints) {
  Write("s.yaml", Scenario("seirs.yaml", "days: 60, dt: 0.25, mode: stochastic, runs: 5, seed: 3"));
  Write("grid.yaml", "base: s.yaml\nvary:\n  disease.ifr: [0.01, 0.05]\n");
  ASSERT_EQ(Cordon("sweep " + Path("grid.yaml") + " --out " + Path("sw") + " -q").code, 0);
  const CsvTable points = CsvTable::Read(Path("sw/sweep_points.csv"));
  ASSERT_EQ(points.Rows(), 2u);
  for (std::size_t p = 0; p < 2; ++p) {
    const std::string out = Path("run" + std::to_string(p));
    const Result r = Cordon("run " + Path("s.yaml") + " --set disease.ifr=" +
                            std::string(points.Text(p, points.Require("disease.ifr"))) + " --out " +
                            out + " -q");
    ASSERT_EQ(r.code, 0) << r.err;
    const auto summary = nlohmann::json::parse(Slurp(fs::path(out) / "summary.json"));
    const auto& deaths = summary["flows"]["deaths"];
    for (const char* q : {"q05", "q50", "q95"}) {
      EXPECT_DOUBLE_EQ(points.Number(p, points.Require(std::string("deaths_total_") + q)),
                       deaths[std::string("total_") + q].get<double>())
          << p << q;
      EXPECT_DOUBLE_EQ(points.Number(p, points.Require(std::string("deaths_peak_") + q)),
                       deaths[std::string("peak_") + q].get<double>())
          << p << q;
    }
    // The deterministic mean of the ensemble's totals is the mean over runs of the sweep.
    EXPECT_NEAR(points.Number(p, points.Require("deaths_total_mean")),
                deaths["total"].get<double>(), 1e-9 * deaths["total"].get<double>());
  }
  // Five times the fatality ratio, about five times the deaths.
  const double ratio = points.Number(1, points.Require("deaths_total_mean")) /
                       points.Number(0, points.Require("deaths_total_mean"));
  EXPECT_GT(ratio, 3.5);
  EXPECT_LT(ratio, 6.5);
}

// A rate that becomes negative while the model runs (omega (1 - t / 50) after day 50) stops
// the run: exit 2, one line naming the model file, the transition and the time.
TEST_F(AnyModelChecks, NegativeRateWhileSteppingIsAnInputError) {
  std::string model = Slurp(dir_ / "seirs.yaml");
  const std::string rate = "rate: 1 / immunity_days}";
  model.replace(model.find(rate), rate.size(), "rate: (1 - t / 50) / immunity_days}");
  Write("neg.yaml", model);
  for (const char* mode : {"deterministic", "stochastic, runs: 3"}) {
    Write("s.yaml", Scenario("neg.yaml", std::string("days: 80, dt: 0.25, mode: ") + mode));
    ExpectInputError("run " + Path("s.yaml") + " --out " + Path("out"),
                     {"neg.yaml:", "transition R -> S", "negative", "at t = 50."});
    EXPECT_FALSE(fs::exists(dir_ / "out" / "series.csv")) << "no outputs of a failed run";
  }
}

// Flows that name their role: attack rate from a declared first-infections flow in a model
// with reinfection; two flows claiming one role is an error naming the file.
TEST_F(AnyModelChecks, DeclaredFirstInfectionsGiveAnAttackRate) {
  std::string model = Slurp(dir_ / "seirs.yaml");
  // Reinfection through S2: first infections S -> E, reinfections S2 -> E.
  model.replace(model.find("  - {name: E,"), 0, "  - {name: S2, label: susceptible again}\n");
  model.replace(model.find("  - {from: R, to: S,"), 0, "  - {from: S2, to: E, rate: lambda}\n");
  model.replace(model.find("{from: R, to: S,"), 16, "{from: R, to: S2,");
  model.replace(model.find("present: {S: 1,"), 15, "present: {S: 1, S2: 1,");
  model.replace(model.find("flows:\n"), 7,
                "flows:\n  first: {from: S -> E, counts: first_infections}\n");
  Write("first.yaml", model);
  Write("s.yaml", Scenario("first.yaml", "days: 200, dt: 0.25, mode: deterministic"));
  const Result r = Cordon("run " + Path("s.yaml") + " --out " + Path("out") + " -q");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto summary = nlohmann::json::parse(Slurp(dir_ / "out" / "summary.json"));
  const double attack = summary["attack_rate"].get<double>();
  const double per_person = summary["infections_per_person"].get<double>();
  EXPECT_GT(attack, 0.3);
  EXPECT_LE(attack, 1.0);
  EXPECT_GT(per_person, attack) << "reinfections counted apart";
}

// li2020 (relocation between 375 cities, ../shared/data/real/li2020): run, ensemble, a sweep
// and a compare carry its flows `incidence` and `reported`.
TEST_F(AnyModelChecks, Li2020RelocationThroughTheBatchTools) {
  const fs::path data = fs::path(CORDON_SHARED_DIR) / "data" / "real" / "li2020";
  if (!fs::exists(data / "cities.csv")) GTEST_SKIP() << data << " is absent";
  std::string li = Slurp(fs::path(SAMPLES_DIR) / "li2020.yaml");
  for (const char* table : {"cities.csv", "mobility.csv"}) {
    const std::string from = std::string("../../../shared/data/real/li2020/") + table;
    li.replace(li.find(from), from.size(), (data / table).string());
  }
  li.replace(li.find("mode: deterministic"), 19, "mode: stochastic, runs: 2");
  Write("li.yaml", li);
  ASSERT_EQ(Cordon("run " + Path("li.yaml") + " --out " + Path("ens") + " -q").code, 0);
  const auto summary = nlohmann::json::parse(Slurp(dir_ / "ens" / "summary.json"));
  for (const char* f : {"incidence", "reported"})
    EXPECT_TRUE(summary["flows"][f].contains("total_q50")) << f;
  EXPECT_TRUE(summary["peak_H"].is_null());
  Write("grid.yaml", "base: li.yaml\nvary:\n  disease.alpha: [0.1, 0.2]\n");
  const Result sweep = Cordon("sweep " + Path("grid.yaml") + " --out " + Path("sw") + " -q");
  ASSERT_EQ(sweep.code, 0) << sweep.err;
  const CsvTable points = CsvTable::Read(Path("sw/sweep_points.csv"));
  EXPECT_GE(points.Find("reported_total_q95"), 0);
  EXPECT_LT(points.Find("peak_H_mean"), 0);
  // More documented (alpha 0.2 against 0.1): more reported.
  EXPECT_GT(points.Number(1, points.Require("reported_total_mean")),
            points.Number(0, points.Require("reported_total_mean")));
  const Result cmp = Cordon("compare " + Path("li.yaml") + " " + Path("li.yaml") +
                            " --set disease.alpha=0.2 --out " + Path("cmp") + " -q");
  ASSERT_EQ(cmp.code, 0) << cmp.err;
  EXPECT_TRUE(fs::exists(dir_ / "cmp" / "compare_reported.png"));
  EXPECT_FALSE(fs::exists(dir_ / "cmp" / "compare_hospital.png"));
}

}  // namespace
