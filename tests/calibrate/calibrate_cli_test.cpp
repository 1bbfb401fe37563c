// SPDX-License-Identifier: Apache-2.0
// `cordon calibrate` end to end: parameters recovered from data that cordon
// made from known ones (Poisson noise), by both methods; identical results for
// any thread count; bad calibration files refused with one line and exit 2.
#include <cmath>
#include <map>
#include <random>
#include <regex>
#include <sstream>

#include "cli_support.hpp"

namespace cordon::test {
namespace {

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
    const Result truth = Cordon("run " + Path("truth.yaml") + " --out " + Path("truth") +
                                " -q --set simulation.daily=csv");
    ASSERT_EQ(truth.code, 0) << truth.err;
    // daily.csv row d holds the flow over (d - 1, d], as an observation of day d does: the
    // run's own table is the observation file (docs/calibration.md, Days and dates).
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
      const int day = std::stoi(cells[0]);
      if (day < 1 || day > 90) continue;
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

  // DIR/fit.csv is the posterior predictive (summary.json's fit_band): about 95% of the 4 x 90
  // observations inside its 95% band (it holds the Poisson noise), none far from its mean.
  void ExpectPosteriorPredictiveFit(const std::string& dir) {
    EXPECT_NE(Slurp(Path(dir + "/summary.json")).find("\"fit_band\": \"posterior predictive\""),
              std::string::npos);
    std::istringstream fit(Slurp(Path(dir + "/fit.csv")));
    std::string line;
    std::getline(fit, line);
    ASSERT_EQ(line, "day,date,flow,id,observed,mean,q025,q975");
    int rows = 0, inside = 0;
    while (std::getline(fit, line)) {
      std::vector<std::string> c;
      for (std::istringstream row(line); std::getline(row, line, ',');) c.push_back(line);
      if (c[3] == "total") continue;
      const double y = std::stod(c[4]), mean = std::stod(c[5]);
      ++rows;
      inside += std::stod(c[6]) <= y && y <= std::stod(c[7]);
      EXPECT_LE(std::abs(y - mean), 5.0 * std::sqrt(std::max(mean, 1.0)) + 0.05 * mean) << line;
    }
    EXPECT_EQ(rows, 4 * 90);
    EXPECT_GE(inside, rows * 85 / 100) << "of " << rows;
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
  // The default update (batch: the ensemble smoother with multiple data assimilation).
  WriteCalibration("eakf.yaml", "{name: if-eakf, ensemble: 200, iterations: 8}");
  const Result r = Cordon("calibrate " + Path("eakf.yaml") + " --out " + Path("eakf") + " -q");
  ASSERT_EQ(r.code, 0) << r.err;
  // No warning: nothing collapsed, no setting ignored (stderr may hold a sanitizer's stats).
  EXPECT_EQ(r.err.find("warning"), std::string::npos) << r.err;
  ExpectRecovered(ReadPosterior(Path("eakf/posterior.csv")));
  for (const char* f : {"trace.csv", "fit.csv", "fit.png", "calibrated.yaml", "summary.json"})
    EXPECT_TRUE(fs::exists(Path("eakf/") + f)) << f;
  // The calibrated scenario runs where it was written, with the estimates in it.
  const Result again =
      Cordon("run " + Path("eakf/calibrated.yaml") + " --out " + Path("again") + " -q");
  EXPECT_EQ(again.code, 0) << again.err;
  EXPECT_NE(Slurp(Path("eakf/calibrated.yaml")).find("infectious_days"), std::string::npos);
  ExpectPosteriorPredictiveFit("eakf");
}

TEST_F(CalibrateCli, IfEakfDailyIsLiEtAlsFilter) {
  // update: daily, with less inflation and faster cooling than Li et al.'s: this data pins
  // both parameters.
  WriteCalibration("daily.yaml",
                   "{name: if-eakf, update: daily, ensemble: 100, iterations: 20, cooling: 0.8, "
                   "inflation: 1.02}");
  const Result r = Cordon("calibrate " + Path("daily.yaml") + " --out " + Path("daily") + " -q");
  ASSERT_EQ(r.code, 0) << r.err;
  ExpectRecovered(ReadPosterior(Path("daily/posterior.csv")));
  // The batch update has no daily inflation or cooling: it says it ignores them.
  WriteCalibration("batch.yaml", "{name: if-eakf, ensemble: 20, iterations: 1, inflation: 1.02}");
  const Result b = Cordon("calibrate " + Path("batch.yaml") + " --out " + Path("batch") + " -q");
  ASSERT_EQ(b.code, 0) << b.err;
  EXPECT_NE(b.err.find("settings of update: daily"), std::string::npos) << b.err;
}

TEST_F(CalibrateCli, MleRecoversR0AndInfectiousPeriod) {
  WriteCalibration("mle.yaml", "{name: mle, algorithm: bobyqa, starts: 4}");
  const Result r = Cordon("calibrate " + Path("mle.yaml") + " --out " + Path("mle") + " -q");
  ASSERT_EQ(r.code, 0) << r.err;
  ExpectRecovered(ReadPosterior(Path("mle/posterior.csv")));
  ExpectPosteriorPredictiveFit("mle");  // 200 draws around the estimate, each run
}

// Only the early growth observed (days 1..20): the data pins the growth rate, not r0 and the
// infectious period apart. mle says so (posterior.csv's note, a warning) and gives both the
// profile-likelihood interval of the joint 95% region, which holds the truth.
TEST_F(CalibrateCli, MleIntervalsStayHonestOnARidge) {
  WriteCalibration("ridge.yaml", "{name: mle, algorithm: bobyqa, starts: 4}", ", window: [1, 20]");
  const Result r = Cordon("calibrate " + Path("ridge.yaml") + " --out " + Path("ridge") + " -q");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("cordon: warning: "), std::string::npos) << r.err;
  const auto post = ReadPosterior(Path("ridge/posterior.csv"));
  const std::string text = Slurp(Path("ridge/posterior.csv"));
  EXPECT_NE(text.find(",profile,"), std::string::npos) << text;
  EXPECT_TRUE(text.find("weakly identified") != std::string::npos ||
              text.find("at bound") != std::string::npos)
      << text;
  for (const auto& [name, truth] :
       std::map<std::string, double>{{"disease.r0", 2.0}, {"disease.infectious_days", 4.0}}) {
    EXPECT_LE(post.at(name)[2], truth) << name << "\n" << text;
    EXPECT_GE(post.at(name)[3], truth) << name << "\n" << text;
  }
}

// Any scenario key, by rebuilding the model for each evaluation: the default model, its
// gathering ban's contact multiplier (0.6 from day 25) and r0 (2.4) from its incidence.
TEST_F(CalibrateCli, MleCalibratesAnyScenarioKey) {
  Write("policy.yaml",
        "region: {villages: {csv: villages.csv}}\n"
        "mobility: {model: od, od: {csv: od.csv}}\n"
        "disease: {r0: 2.4}\n"
        "policies: [{type: gathering_ban, multiplier: 0.6, start: 25}]\n"
        "seed_infections: [{village: A, exposed: 20}]\n"
        "simulation: {days: 100, dt: 0.25, mode: deterministic}\n");
  ASSERT_EQ(Cordon("run " + Path("policy.yaml") + " --out " + Path("policy") +
                   " -q --set simulation.daily=csv")
                .code,
            0);
  std::istringstream in(Slurp(Path("policy/daily.csv")));
  std::string line, header;
  std::getline(in, header);
  std::vector<std::string> names;
  for (std::istringstream h(header); std::getline(h, line, ',');) names.push_back(line);
  const auto incidence = std::find(names.begin(), names.end(), "incidence") - names.begin();
  std::ostringstream obs;
  obs << "day,id,value\n";
  std::mt19937_64 rng(11);
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    for (std::istringstream row(line); std::getline(row, header, ',');) cells.push_back(header);
    const int day = std::stoi(cells[0]);
    const double mean = std::stod(cells[std::size_t(incidence)]);
    if (day >= 1 && day <= 90)
      obs << day << ',' << cells[1] << ','
          << (mean > 0 ? std::poisson_distribution<long>(mean)(rng) : 0) << '\n';
  }
  Write("policy_observed.csv", obs.str());
  Write("policy_fit.yaml",
        "scenario: policy.yaml\n"
        "observations: [{csv: policy_observed.csv, flow: incidence}]\n"
        "parameters:\n"
        "  - {key: disease.r0, low: 1.5, high: 4.0}\n"
        "  - {key: \"policies[0].multiplier\", low: 0.2, high: 1.0}\n"
        "method: {name: mle, starts: 2, max_evaluations: 150}\n");
  const Result r = Cordon("calibrate " + Path("policy_fit.yaml") + " --out " + Path("fit") + " -q");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto post = ReadPosterior(Path("fit/posterior.csv"));
  EXPECT_NEAR(post.at("disease.r0")[0], 2.4, 0.24);
  EXPECT_NEAR(post.at("policies[0].multiplier")[0], 0.6, 0.06);
  EXPECT_NE(Slurp(Path("fit/calibrated.yaml")).find("multiplier"), std::string::npos);
  // if-eakf moves parameters every day: it takes only what a compiled model can vary.
  Write("policy_eakf.yaml",
        std::regex_replace(Slurp(Path("policy_fit.yaml")), std::regex("method: .*"),
                           "method: {name: if-eakf}"));
  ExpectInputError("calibrate " + Path("policy_eakf.yaml") + " --out " + Path("e") + " -q",
                   {"policy_eakf.yaml", "policies[0].multiplier", "use method mle"});
}

// A parent admin code observes the sum of the villages whose ids begin with it, and a
// checkpoint counter the persons at the checkpoints of a level: with r0 pinned to the truth, the
// fit's predictions equal what `cordon run` wrote (daily.csv; checkpoints.csv's run totals).
TEST_F(CalibrateCli, ParentCodesAndCheckpointCountersAreObserved) {
  Write("coded.csv", "id,population\n530101001,40000\n530101002,30000\n530102001,20000\n");
  Write("coded_od.csv",
        "origin,destination,trips_per_person_per_day\n530101001,530102001,0.05\n"
        "530102001,530101001,0.05\n530101002,530101001,0.05\n530101001,530101002,0.05\n");
  Write("gates.csv", "id,level,block,screen,isolate,start,end\nG1,township,0.3,0.8,0,0,\n");
  Write("gate_routes.csv",
        "origin,destination,order,checkpoint\n530101001,530102001,1,G1\n"
        "530102001,530101001,1,G1\n");
  Write("coded.yaml",
        "region: {villages: {csv: coded.csv}}\n"
        "mobility: {model: od, od: {csv: coded_od.csv}}\n"
        "checkpoints: [{csv: gates.csv}, {routes: {csv: gate_routes.csv}}]\n"
        "disease: {r0: 2.4}\nseed_infections: [{village: 530101001, exposed: 30}]\n"
        "simulation: {days: 40, dt: 0.25, mode: deterministic}\n");
  ASSERT_EQ(Cordon("run " + Path("coded.yaml") + " --out " + Path("coded") +
                   " -q --set simulation.daily=csv")
                .code,
            0);
  // Observed values do not matter here: zeros on every day.
  std::ostringstream township, gate;
  township << "day,id,value\n";
  gate << "day,id,value\n";
  for (int d = 1; d <= 40; ++d) {
    township << d << ",530101,0\n";
    gate << d << ",level:township,0\n";  // G1 is the only township checkpoint
  }
  Write("township.csv", township.str());
  Write("gate.csv", gate.str());
  // A running total from the start, reported once: compared with the sum over days 1..40.
  Write("gate_total.csv", "day,id,value\n40,G1,0\n");
  Write("coded_fit.yaml",
        "scenario: coded.yaml\n"
        "observations:\n"
        "  - {csv: township.csv, flow: incidence}\n"
        "  - {csv: gate.csv, flow: monitored}\n"
        "  - {csv: gate_total.csv, flow: checkpoints.monitored, cumulative: since_start}\n"
        "parameters: [{key: disease.r0, low: 2.3999999, high: 2.4000001}]\n"
        "method: {name: mle, starts: 1, max_evaluations: 3}\n");
  const Result r = Cordon("calibrate " + Path("coded_fit.yaml") + " --out " + Path("fit") + " -q");
  ASSERT_EQ(r.code, 0) << r.err;
  // daily.csv: day,id,... incidence; the township 530101 is the first two villages.
  std::map<int, double> township_incidence;
  std::istringstream daily(Slurp(Path("coded/daily.csv")));
  std::string line;
  std::getline(daily, line);
  std::vector<std::string> names;
  for (std::istringstream h(line); std::getline(h, line, ',');) names.push_back(line);
  const auto column = std::find(names.begin(), names.end(), "incidence") - names.begin();
  while (std::getline(daily, line)) {
    std::vector<std::string> cells;
    for (std::istringstream row(line); std::getline(row, names[0], ',');) cells.push_back(names[0]);
    if (cells[1].rfind("530101", 0) == 0)
      township_incidence[std::stoi(cells[0])] += std::stod(cells[std::size_t(column)]);
  }
  double monitored = 0.0, monitored_total = -1.0;
  std::istringstream fit(Slurp(Path("fit/fit.csv")));
  std::getline(fit, line);
  ASSERT_EQ(line, "day,date,flow,id,observed,mean,q025,q975");
  int rows = 0;
  while (std::getline(fit, line)) {
    std::vector<std::string> cells;
    for (std::istringstream row(line); std::getline(row, names[0], ',');) cells.push_back(names[0]);
    const int day = std::stoi(cells[0]);
    if (cells[2] == "checkpoints.monitored") {
      EXPECT_EQ(day, 40);
      monitored_total = std::stod(cells[5]);
    } else if (cells[2] == "incidence") {
      EXPECT_EQ(cells[3], "530101");
      EXPECT_NEAR(std::stod(cells[5]), township_incidence[day],
                  1e-4 * (1 + township_incidence[day]))
          << "day " << day;
    } else {
      EXPECT_EQ(cells[3], "level:township");
      monitored += std::stod(cells[5]);
    }
    ++rows;
  }
  EXPECT_EQ(rows, 81);
  // checkpoints.csv: id,level,monitored,... over the whole run (days 1..40: our 40 days).
  std::istringstream totals(Slurp(Path("coded/checkpoints.csv")));
  std::getline(totals, line);
  std::getline(totals, line);
  std::vector<std::string> cells;
  for (std::istringstream row(line); std::getline(row, names[0], ',');) cells.push_back(names[0]);
  ASSERT_EQ(cells[0], "G1");
  EXPECT_GT(monitored, 100.0);
  EXPECT_NEAR(monitored, std::stod(cells[2]), 1e-3 * monitored);
  EXPECT_NEAR(monitored_total, std::stod(cells[2]), 1e-6 * monitored);
}

TEST_F(CalibrateCli, ResultsDoNotDependOnTheThreadCount) {
  WriteCalibration("eakf.yaml", "{name: if-eakf, ensemble: 40, iterations: 2}\nstates: [A, C]");
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
  // The filtered states of A and C: the same bits on 1 and 2 threads; day 0 is the seeded
  // state (20 exposed in A). The filter moves people between compartments when it assimilates
  // (Li et al.'s update is per state), so later days need not add up to 40,000.
  const std::string states = Slurp(Path("eakf1/states.csv"));
  EXPECT_EQ(states, Slurp(Path("eakf2/states.csv")));
  std::istringstream in(states);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "day,date,id,S,E,I,R");
  int rows = 0;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    for (std::istringstream row(line); std::getline(row, line, ',');) cells.push_back(line);
    ASSERT_EQ(cells.size(), 7u);
    EXPECT_EQ(cells[2], rows % 2 == 0 ? "A" : "C");
    EXPECT_EQ(std::stoi(cells[0]), rows / 2);
    const double people =
        std::stod(cells[3]) + std::stod(cells[4]) + std::stod(cells[5]) + std::stod(cells[6]);
    for (int c = 3; c < 7; ++c) EXPECT_GE(std::stod(cells[std::size_t(c)]), 0.0) << line;
    if (rows < 2) {  // day 0
      EXPECT_NEAR(std::stod(cells[4]), rows == 0 ? 20.0 : 0.0, 1e-9) << line;
      EXPECT_NEAR(people, 40000.0, 1e-9) << line;
    }
    ++rows;
  }
  EXPECT_GT(rows, 20);
  EXPECT_EQ(rows % 2, 0);
}

// Ctrl-C (SIGINT) drops the iteration in flight and writes the finished ones: exit 130.
TEST_F(CalibrateCli, InterruptKeepsFinishedIterations) {
  WriteCalibration("long.yaml", "{name: if-eakf, ensemble: 100, iterations: 1000}");
  const std::string cmd = "( " + std::string(CORDON_BIN) + " calibrate " + Path("long.yaml") +
                          " --out " + Path("out") + " -q & pid=$!; sleep 2; kill -INT $pid; " +
                          "wait $pid; echo \"exit $?\" )";
  const Result r = RunCordon(cmd, fs::path(Path("")), true);
  EXPECT_NE(r.out.find("exit 130"), std::string::npos) << r.out << r.err;
  EXPECT_NE(r.err.find("interrupted"), std::string::npos) << r.err;
  const std::string summary = Slurp(Path("out/summary.json"));
  EXPECT_NE(summary.find("\"interrupted\": true"), std::string::npos) << summary;
  EXPECT_EQ(summary.find("\"iterations_done\": 0,"), std::string::npos) << summary;
  EXPECT_EQ(ReadPosterior(Path("out/posterior.csv")).size(), 3u);
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
  check("update.yaml", replaced(method, "{name: if-eakf, update: weekly}"),
        {"update.yaml", "method.update", "batch or daily"});
  Write("unknown_id.csv", "day,id,value\n0,A,1\n1,Z,2\n");
  check("id.yaml", replaced("observed.csv", "unknown_id.csv"), {"unknown_id.csv:3", "'Z'"});
  Write("negative.csv", "day,id,value\n0,A,-1\n");
  check("negative.yaml", replaced("observed.csv", "negative.csv"), {"negative.csv:2", ">= 0"});
  Write("late.csv", "day,id,value\n0,A,1\n101,A,2\n");
  check("late.yaml", replaced("observed.csv", "late.csv"), {"late.csv:3", "outside"});
  Write("empty.csv", "day,id,value\n");
  check("empty.yaml", replaced("observed.csv", "empty.csv"), {"empty.yaml", "no observations"});
  std::string eakf = replaced(method, "{name: if-eakf}");
  eakf.replace(eakf.find("disease.r0"), 10, "simulation.days");
  check("key2.yaml", eakf, {"key2.yaml", "parameters[0]", "use method mle"});
  // mle takes any key, and a value the scenario refuses is an input error too.
  check("key3.yaml", replaced("disease.r0", "simulation.days"),
        {"simulation.days", "whole number"});
}

}  // namespace
}  // namespace cordon::test
