// SPDX-License-Identifier: Apache-2.0
// End-to-end: the cordon binary on files, checked for outputs and exit codes.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "cli_support.hpp"
#include "cordon/data/netcdf_series.hpp"

namespace {

namespace fs = std::filesystem;
using cordon::test::Result;
using cordon::test::RunCordon;
using cordon::test::Slurp;

class Cli : public cordon::test::CliFixture {
 protected:
  Cli() : CliFixture("cordon_cli_") {}

  void SetUp() override {
    CliFixture::SetUp();
    CopyNetworkSample();
  }

  std::string Demo() const { return Slurp(dir_ / "network.yaml"); }
};

TEST_F(Cli, DemoWritesEveryOutput) {
  const Result r = RunCordon(
      "run " + (dir_ / "network.yaml").string() + " --out " + (dir_ / "out").string(), dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("attack rate"), std::string::npos);
  const std::string series = Slurp(dir_ / "out" / "series.csv");
  EXPECT_EQ(
      series.rfind("day,S,E,I,R,Sh,Eh,Ih,Sc,Ec,Ic,H,incidence,detections,imports,turned_back\n", 0),
      0u);
  EXPECT_EQ(std::count(series.begin(), series.end(), '\n'), 122);  // header + days 0..120
  EXPECT_EQ(Slurp(dir_ / "out" / "villages.csv")
                .rfind("id,name,population,attack_rate,peak_day,first_infected_day,infected_ever,"
                       "incidence\n",
                       0),
            0u);
  EXPECT_EQ(
      Slurp(dir_ / "out" / "checkpoints.csv").rfind("id,level,monitored,turned_back,detected\n", 0),
      0u);
  // The terminal summary's line per checkpoint level adds up checkpoints.csv.
  std::map<std::string, std::array<double, 3>> levels;  // sites, monitored, turned back
  std::istringstream rows(Slurp(dir_ / "out" / "checkpoints.csv"));
  std::string row;
  std::getline(rows, row);
  while (std::getline(rows, row)) {
    std::array<std::string, 5> cell;
    std::istringstream fields(row);
    for (auto& c : cell) std::getline(fields, c, ',');
    auto& level = levels[cell[1].empty() ? "(no level)" : cell[1]];
    level[0] += 1;
    level[1] += std::stod(cell[2]);
    level[2] += std::stod(cell[3]);
  }
  ASSERT_FALSE(levels.empty());
  const double population = std::stod(r.out.substr(r.out.find("population") + 19));
  for (const auto& [name, v] : levels) {
    char line[200];
    std::snprintf(line, sizeof line,
                  "  %-17s %.0f site%s: %.0f monitored, %.0f turned back (%.2f a day per 1,000 "
                  "residents)",
                  name.c_str(), v[0], v[0] == 1 ? "" : "s", v[1], v[2],
                  v[2] / 120 / (population / 1000));
    EXPECT_NE(r.out.find(line), std::string::npos) << line << "\n" << r.out;
  }
  const std::string summary = Slurp(dir_ / "out" / "summary.json");
  for (const char* key : {"\"attack_rate\"", "\"peak_day\"", "\"peak_prevalence\"", "\"peak_H\"",
                          "\"beds\": 29", "\"days_over_capacity\"", "\"villages_infected\"",
                          "\"runtime_s\"", "\"threads\"", "\"scenario_hash\"", "\"version\""})
    EXPECT_NE(summary.find(key), std::string::npos) << key;
  for (const auto& e : fs::directory_iterator(dir_ / "out"))
    EXPECT_EQ(e.path().string().find(".tmp"), std::string::npos) << e.path();
}

// simulation.daily picks the file: daily.nc by default (network tables), daily.csv on
// request, none with false; daily.nc holds daily.csv's values as floats.
TEST_F(Cli, DailyValuesGoWhereSimulationDailySays) {
  const std::string base = "run " + (dir_ / "network.yaml").string() + " -q --out ";
  ASSERT_EQ(RunCordon(base + (dir_ / "nc").string(), dir_).code, 0);
  ASSERT_EQ(RunCordon(base + (dir_ / "csv").string() + " --set simulation.daily=csv", dir_).code,
            0);
  ASSERT_EQ(RunCordon(base + (dir_ / "none").string() + " --set simulation.daily=false", dir_).code,
            0);
  EXPECT_FALSE(fs::exists(dir_ / "nc" / "daily.csv"));
  EXPECT_FALSE(fs::exists(dir_ / "csv" / "daily.nc"));
  EXPECT_FALSE(fs::exists(dir_ / "none" / "daily.nc"));
  EXPECT_FALSE(fs::exists(dir_ / "none" / "daily.csv"));

  const cordon::data::SeriesFile nc =
      cordon::data::ReadSeriesNetcdf((dir_ / "nc" / "daily.nc").string());
  ASSERT_EQ(nc.layout.ids.size(), 50u);
  EXPECT_EQ(nc.layout.days, 120);
  EXPECT_EQ(nc.layout.variables.back().name, "incidence");
  // The sample's x/y (km in its laea CRS) as WGS84: the county seat at its origin.
  ASSERT_EQ(nc.layout.lon.size(), 50u);
  EXPECT_NEAR(nc.layout.lon[0], 98.91, 1e-9);
  EXPECT_NEAR(nc.layout.lat[0], 28.48, 1e-9);
  const std::size_t columns = nc.layout.variables.size(), villages = 50;
  std::istringstream rows(Slurp(dir_ / "csv" / "daily.csv"));
  std::string row;
  std::getline(rows, row);
  std::size_t compared = 0;
  for (std::size_t r = 0; std::getline(rows, row); ++r) {
    std::istringstream fields(row);
    std::string cell;
    std::getline(fields, cell, ',');  // day
    const std::size_t day = std::stoul(cell);
    std::getline(fields, cell, ',');  // id
    ASSERT_EQ(cell, nc.layout.ids[r % villages]);
    for (std::size_t c = 0; c < columns && std::getline(fields, cell, ','); ++c, ++compared)
      ASSERT_EQ(nc.values[(day * columns + c) * villages + r % villages],
                double(float(std::stod(cell))))
          << row;
  }
  EXPECT_EQ(compared, 121 * villages * columns);

  std::string bad = Demo();
  bad.replace(bad.find("simulation: {"), 13, "simulation: {daily: sometimes, ");
  std::ofstream(dir_ / "bad.yaml") << bad;
  const Result r = RunCordon(
      "run " + (dir_ / "bad.yaml").string() + " -q --out " + (dir_ / "bad").string(), dir_);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("bad.yaml"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("simulation.daily"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("true, false, nc or csv"), std::string::npos) << r.err;
}

TEST_F(Cli, EnsembleIsIdenticalWithOneOrTwoThreads) {
  const std::string base = "run " + (dir_ / "network.yaml").string() +
                           " -q --set simulation.mode=stochastic --set simulation.runs=200 --out ";
  ASSERT_EQ(RunCordon(base + (dir_ / "t1").string() + " --threads 1", dir_).code, 0);
  ASSERT_EQ(RunCordon(base + (dir_ / "t2").string() + " --threads 2", dir_).code, 0);
  const std::string s1 = Slurp(dir_ / "t1" / "series.csv");
  EXPECT_NE(s1.find("I_q05,I_q50,I_q95"), std::string::npos);
  EXPECT_EQ(s1, Slurp(dir_ / "t2" / "series.csv"));
  EXPECT_EQ(Slurp(dir_ / "t1" / "villages.csv"), Slurp(dir_ / "t2" / "villages.csv"));
  EXPECT_EQ(Slurp(dir_ / "t1" / "runs" / "run_0200.csv"),
            Slurp(dir_ / "t2" / "runs" / "run_0200.csv"));
}

TEST_F(Cli, BadInputsGiveOneLineAndExitCodeTwo) {
  const std::string scenario = (dir_ / "s.yaml").string();
  const std::string run = "run " + scenario + " --out " + (dir_ / "out").string();

  Write("s.yaml", Demo() + "disease: {r0: [\n");
  ExpectInputError(run, {"s.yaml:", "YAML syntax error"});

  Write("s.yaml", Demo() + "colour: red\n");
  ExpectInputError(run, {"s.yaml:28:1: colour: unknown key 'colour'"});

  std::string text = Demo();
  text.replace(text.find("network/od.csv"), 14, "network/nope.csv");
  Write("s.yaml", text);
  ExpectInputError(run, {"mobility.od.csv: file not found", "nope.csv"});

  Write("s.yaml", Demo());
  Write("network/od.csv",
        "origin,destination,trips_per_person_per_day\nV001,V002,0.1\nV002,V001,x1\n");
  ExpectInputError(run, {"od.csv:3: column 'trips_per_person_per_day': 'x1' is not a number"});

  Write("network/od.csv", "origin,destination,trips_per_person_per_day\nV001,V999,0.1\n");
  ExpectInputError(run, {"od.csv:2: column 'destination': unknown village id 'V999'"});

  // Two repeated pairs: the first row (in the file) that repeats an earlier one is named.
  Write("network/od.csv",
        "origin,destination,trips_per_person_per_day\nV003,V004,0.1\nV001,V002,0.1\n"
        "V002,V001,0.1\nV001,V002,0.2\nV003,V004,0.1\n");
  ExpectInputError(run, {"od.csv:5: duplicate OD pair V001 -> V002"});

  Write("network/od.csv", "origin,destination,trips_per_person_per_day\nV001,V002,-0.1\n");
  ExpectInputError(run, {"od.csv:2", "must be >= 0"});

  Write("network/od.csv", "origin,destination,trips_per_person_per_day\nV001,V002,5\n");
  ExpectInputError(run, {"s.yaml", "village V001", "p_ii would be negative"});

  Write("network/od.csv", "origin,destination,trips_per_person_per_day\nV001,V002,0.1\n");
  ExpectInputError(run + " --set disease.latent_days=-2", {"disease.latent_days", "-2"});
  ExpectInputError("run " + (dir_ / "missing.yaml").string() + " --out x", {"missing.yaml"});

  // A user's model file: the error names the model file, line and column.
  Write("network/od.csv", "origin,destination,trips_per_person_per_day\nV001,V002,0.1\n");
  const std::string model =
      "compartments: [{name: S}, {name: I, infected: true}, {name: R}]\n"
      "parameters: {gamma: {default: 0.2}}\n"
      "transitions:\n";
  Write("s.yaml",
        "model: m.yaml\nregion: {villages: {csv: network/villages.csv}}\n"
        "mobility: {model: od, od: {csv: network/od.csv}}\n");
  Write("m.yaml", model + "  - {from: I, to: R, rate: gamma - 1}\n");
  ExpectInputError(run, {"m.yaml:4:28: transitions[0].rate: a rate must be >= 0 per day"});
  Write("m.yaml", model + "  - {from: I, to: X, rate: gamma}\n");
  ExpectInputError(run, {"m.yaml:4:19: transitions[0].to: unknown compartment 'X'"});
  Write("m.yaml", model + "  - {from: I, to: R, rate: gamma * (I}\n");
  ExpectInputError(run, {"m.yaml:4:38: transitions[0].rate: expected ')'"});
  Write("m.yaml", model + "  - {from: I, to: R, rate: gamma}\n");
  ExpectInputError(run + " --set disease.r0=2", {"disease.r0", "model m has no parameter 'r0'"});
  Write("s.yaml", "model: nosuch\n" + Demo());
  ExpectInputError(run, {"s.yaml:1:8: model: model 'nosuch' is neither a bundled model"});
}

TEST_F(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(RunCordon("frobnicate", dir_).code, 2);
  EXPECT_EQ(RunCordon("run", dir_).code, 2);
  EXPECT_EQ(RunCordon("--help", dir_).code, 0);
}

}  // namespace
