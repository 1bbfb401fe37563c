// SPDX-License-Identifier: Apache-2.0
// `cordon calibrate` end to end: parameters recovered from data that cordon
// made from known ones (Poisson noise), by both methods; identical results for
// any thread count; bad calibration files refused with one line and exit 2.
#include <cmath>
#include <map>
#include <random>
#include <sstream>

#include "cli_support.hpp"

namespace cordon::test {
namespace {

// posterior.csv -> parameter -> {mean, median, q025, q975}.
std::map<std::string, std::vector<double>> ReadPosterior(const fs::path& path) {
  std::map<std::string, std::vector<double>> out;
  std::istringstream in(Slurp(path));
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "parameter,mean,median,q025,q975");
  while (std::getline(in, line)) {
    std::istringstream row(line);
    std::string name, cell;
    std::getline(row, name, ',');
    while (std::getline(row, cell, ',')) out[name].push_back(cell.empty() ? NAN : std::stod(cell));
  }
  return out;
}

class CalibrateCli : public CliFixture {
 protected:
  CalibrateCli() : CliFixture("cordon_calibrate_") {}

  // Four villages of 40,000 in a commuting chain; SEIR with r0 2, latent 3 d, infectious 4 d;
  // 20 exposed in A on day 0. Observed: each village's new infections per day, Poisson noise.
  void SetUp() override {
    CliFixture::SetUp();
    Write("villages.csv", "id,population\nA,40000\nB,40000\nC,40000\nD,40000\n");
    Write("od.csv",
          "origin,destination,trips_per_person_per_day\nA,B,0.05\nB,A,0.05\nB,C,0.05\nC,B,0.05\n"
          "C,D,0.05\nD,C,0.05\n");
    Write("truth.yaml",
          "model: seir\nregion: {villages: {csv: villages.csv}}\n"
          "mobility: {model: od, od: {csv: od.csv}}\n"
          "disease: {r0: 2.0, latent_days: 3.0, infectious_days: 4.0}\n"
          "seed_infections: [{village: A, E: 20}]\n"
          "simulation: {days: 100, dt: 0.25, mode: deterministic}\n");
    const Result truth = Cordon("run " + Path("truth.yaml") + " --out " + Path("truth") + " -q");
    ASSERT_EQ(truth.code, 0) << truth.err;
    // daily.csv row d holds the flow over (d - 1, d]: an observation of day d is row d + 1.
    std::istringstream in(Slurp(Path("truth/daily.csv")));
    std::string line;
    std::getline(in, line);
    ASSERT_EQ(line.rfind("day,id,", 0), 0u);
    std::vector<std::string> header;
    {
      std::istringstream h(line);
      std::string cell;
      while (std::getline(h, cell, ',')) header.push_back(cell);
    }
    const auto incidence = std::find(header.begin(), header.end(), "incidence") - header.begin();
    ASSERT_LT(std::size_t(incidence), header.size());
    std::mt19937_64 rng(7);
    std::ostringstream obs;
    obs << "day,id,value\n";
    while (std::getline(in, line)) {
      std::vector<std::string> cells;
      std::istringstream row(line);
      std::string cell;
      while (std::getline(row, cell, ',')) cells.push_back(cell);
      const int day = std::stoi(cells[0]) - 1;
      if (day < 0 || day >= 90) continue;
      const double mean = std::stod(cells[std::size_t(incidence)]);
      obs << day << ',' << cells[1] << ','
          << (mean > 0 ? std::poisson_distribution<long>(mean)(rng) : 0) << '\n';
    }
    Write("observed.csv", obs.str());
  }

  // A calibration of r0 and infectious_days against observed.csv with `method`.
  void WriteCalibration(const std::string& name, const std::string& method,
                        const std::string& extra = "") {
    Write(name,
          "scenario: truth.yaml\n"
          "observations:\n  - {csv: observed.csv, flow: incidence, error: poisson" +
              extra +
              "}\n"
              "parameters:\n"
              "  - {key: disease.r0, low: 1.0, high: 4.0}\n"
              "  - {key: disease.infectious_days, low: 2.0, high: 8.0}\n"
              "derived:\n  beta: r0 / infectious_days\n"
              "method: " +
              method + "\n");
  }

  // Each estimate within 10% of the truth, and the truth inside its 95% interval.
  static void ExpectRecovered(const std::map<std::string, std::vector<double>>& post) {
    const std::map<std::string, double> truth = {
        {"disease.r0", 2.0}, {"disease.infectious_days", 4.0}, {"beta", 0.5}};
    for (const auto& [name, value] : truth) {
      ASSERT_TRUE(post.count(name)) << name;
      const auto& e = post.at(name);
      EXPECT_NEAR(e[0], value, 0.1 * value) << name;
      EXPECT_LE(e[2], value) << name << " q025";
      EXPECT_GE(e[3], value) << name << " q975";
    }
  }
};

TEST_F(CalibrateCli, IfEakfRecoversR0AndInfectiousPeriod) {
  // Less inflation and faster cooling than Li et al.'s defaults: this data pins both.
  WriteCalibration("eakf.yaml",
                   "{name: if-eakf, ensemble: 100, iterations: 20, cooling: 0.8, inflation: 1.02}");
  const Result r = Cordon("calibrate " + Path("eakf.yaml") + " --out " + Path("eakf") + " -q");
  ASSERT_EQ(r.code, 0) << r.err;
  ExpectRecovered(ReadPosterior(Path("eakf/posterior.csv")));
  for (const char* f : {"trace.csv", "fit.csv", "fit.png", "calibrated.yaml", "summary.json"})
    EXPECT_TRUE(fs::exists(Path("eakf/") + f)) << f;
  // The calibrated scenario runs where it was written, with the estimates in it.
  const Result again =
      Cordon("run " + Path("eakf/calibrated.yaml") + " --out " + Path("again") + " -q");
  EXPECT_EQ(again.code, 0) << again.err;
  EXPECT_NE(Slurp(Path("eakf/calibrated.yaml")).find("infectious_days"), std::string::npos);
}

TEST_F(CalibrateCli, MleRecoversR0AndInfectiousPeriod) {
  WriteCalibration("mle.yaml", "{name: mle, algorithm: bobyqa, starts: 4}");
  const Result r = Cordon("calibrate " + Path("mle.yaml") + " --out " + Path("mle") + " -q");
  ASSERT_EQ(r.code, 0) << r.err;
  ExpectRecovered(ReadPosterior(Path("mle/posterior.csv")));
}

TEST_F(CalibrateCli, ResultsDoNotDependOnTheThreadCount) {
  WriteCalibration("eakf.yaml", "{name: if-eakf, ensemble: 40, iterations: 2}");
  WriteCalibration("mle.yaml",
                   "{name: mle, algorithm: neldermead, starts: 3, max_evaluations: 60}");
  for (const char* method : {"eakf", "mle"}) {
    std::string posterior[2];
    for (int threads : {1, 2}) {
      const std::string out = Path(std::string(method) + std::to_string(threads));
      const Result r = Cordon("calibrate " + Path(std::string(method) + ".yaml") + " --out " + out +
                              " --seed 3 -q --threads " + std::to_string(threads));
      ASSERT_EQ(r.code, 0) << r.err;
      posterior[threads - 1] = Slurp(out + "/posterior.csv");
    }
    EXPECT_EQ(posterior[0], posterior[1]) << method;
    EXPECT_GT(posterior[0].size(), 40u);
  }
}

TEST_F(CalibrateCli, BadCalibrationFilesFailWithOneLine) {
  const std::string method = "{name: mle, starts: 1, max_evaluations: 5}";
  auto check = [&](const std::string& name, const std::string& text,
                   std::initializer_list<std::string> needles) {
    Write(name, text);
    ExpectInputError("calibrate " + Path(name) + " --out " + Path("out") + " -q", needles);
  };
  WriteCalibration("base.yaml", method);
  const std::string base = Slurp(Path("base.yaml"));
  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string s = base;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  check("key.yaml", replaced("disease.r0", "disease.nope"), {"key.yaml", "nope"});
  check("range.yaml", replaced("low: 1.0, high: 4.0", "low: 4.0, high: 1.0"),
        {"range.yaml", "parameters[0].high", "above low"});
  check("flow.yaml", replaced("flow: incidence", "flow: deaths"), {"flow.yaml", "deaths"});
  check("method.yaml", replaced(method, "{name: annealing}"), {"method.yaml", "method.name"});
  Write("unknown_id.csv", "day,id,value\n0,A,1\n1,Z,2\n");
  check("id.yaml", replaced("observed.csv", "unknown_id.csv"), {"unknown_id.csv:3", "'Z'"});
  Write("negative.csv", "day,id,value\n0,A,-1\n");
  check("negative.yaml", replaced("observed.csv", "negative.csv"), {"negative.csv:2", ">= 0"});
  Write("late.csv", "day,id,value\n0,A,1\n100,A,2\n");
  check("late.yaml", replaced("observed.csv", "late.csv"), {"late.csv:3", "outside"});
  Write("empty.csv", "day,id,value\n");
  check("empty.yaml", replaced("observed.csv", "empty.csv"), {"empty.yaml", "no observations"});
  check("key2.yaml", replaced("disease.r0", "simulation.days"),
        {"key2.yaml", "cannot be calibrated"});
}

}  // namespace
}  // namespace cordon::test
