// SPDX-License-Identifier: Apache-2.0
// Li et al. (Science 2020) reproduced from its own data (label "slow", ~50 s):
// data/samples/li2020-calibrate.yaml, the paper's IF-EAKF on the reports of
// 10-23 Jan 2020, must put the posterior means of alpha, mu and Re inside the
// paper's 95% intervals. Five seeds: tests/reference/li2020_calibration_seeds.sh.
#include <map>
#include <sstream>

#include "cli_support.hpp"

namespace cordon::test {
namespace {

class Li2020Calibration : public CliFixture {
 protected:
  Li2020Calibration() : CliFixture("cordon_li2020_calibrate_") {}
};

TEST_F(Li2020Calibration, PosteriorMeansInsideThePapersIntervals) {
  if (!fs::exists(fs::path(CORDON_SHARED_DIR) / "data/real/li2020/reported_cases.csv"))
    GTEST_SKIP() << "../shared/data/real/li2020 is not here";
  const Result r = Cordon("calibrate " + std::string(SAMPLES_DIR) +
                          "/li2020-calibrate.yaml --out " + Path("fit") + " --seed 1 -q");
  ASSERT_EQ(r.code, 0) << r.err;
  std::map<std::string, double> mean;
  std::istringstream in(Slurp(Path("fit/posterior.csv")));
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    const auto comma = line.find(',');
    mean[line.substr(0, comma)] = std::stod(line.substr(comma + 1));
  }
  // The paper: alpha 0.14 (0.10-0.18), mu 0.55 (0.46-0.62), Re 2.38 (2.04-2.77).
  EXPECT_GE(mean["disease.alpha"], 0.10);
  EXPECT_LE(mean["disease.alpha"], 0.18);
  EXPECT_GE(mean["disease.mu"], 0.46);
  EXPECT_LE(mean["disease.mu"], 0.62);
  EXPECT_GE(mean["Re"], 2.04);
  EXPECT_LE(mean["Re"], 2.77);
}

class Li2020Small : public CliFixture {
 protected:
  Li2020Small() : CliFixture("cordon_li2020_small_") {}
};

// Li et al.'s filter on their 375 cities, small (24 members, 2 passes, ~1 s): the paths of
// the full reproduction with label cli, so that it runs under ASan+UBSan too: relocation
// through the day's travel, per-case reporting delays, the daily adjustment of every city's
// neighbours.
TEST_F(Li2020Small, FilterOnTheirCitiesRunsSmall) {
  const fs::path shared = fs::path(CORDON_SHARED_DIR) / "data/real/li2020";
  if (!fs::exists(shared / "reported_cases.csv")) GTEST_SKIP() << shared << " is not here";
  Write("li.yaml",
        "name: li-small\nscenario: " + std::string(SAMPLES_DIR) +
            "/li2020.yaml\nobservations:\n  - csv: " + (shared / "reported_cases.csv").string() +
            "\n    flow: reported\n    columns: {date: date, id: id, value: cases}\n"
            "    window: [2020-01-10, 2020-01-23]\n"
            "    delay: {mean: 9, shape: 1.85}\n    error: li2020\n"
            "parameters:\n"
            "  - {key: disease.beta, low: 0.8, high: 1.5}\n"
            "  - {key: disease.mu, low: 0.2, high: 1.0}\n"
            "  - {key: disease.alpha, low: 0.02, high: 1.0}\n"
            "  - {key: \"seed_infections[0].E\", low: 0, high: 2000}\n"
            "method: {name: if-eakf, update: daily, ensemble: 24, iterations: 2}\n");
  const Result r = Cordon("calibrate " + Path("li.yaml") + " --out " + Path("li") + " -q");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto posterior = ReadPosterior(Path("li/posterior.csv"));
  const std::map<std::string, std::pair<double, double>> prior{
      {"disease.beta", {0.8, 1.5}}, {"disease.mu", {0.2, 1.0}}, {"disease.alpha", {0.02, 1.0}}};
  for (const auto& [key, range] : prior) {
    ASSERT_EQ(posterior.count(key), 1U) << key;
    const std::vector<double>& v = posterior.at(key);  // mean, median, q025, q975
    EXPECT_LE(v[2], v[1]) << key;
    EXPECT_LE(v[1], v[3]) << key;
    EXPECT_GE(v[2], range.first) << key;
    EXPECT_LE(v[3], range.second) << key;
  }
  // fit.csv holds Wuhan's 14 reports as the table has them (454 persons, 10-23 Jan).
  std::istringstream fit(Slurp(Path("li/fit.csv")));
  std::string line;
  int days = 0;
  double reported = 0.0;
  while (std::getline(fit, line)) {
    std::vector<std::string> cells;
    std::istringstream row(line);
    for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
    if (cells.size() < 5 || cells[3] != "Wuhan") continue;
    ++days;
    reported += std::stod(cells[4]);
  }
  EXPECT_EQ(days, 14);
  EXPECT_DOUBLE_EQ(reported, 454.0);
}

}  // namespace
}  // namespace cordon::test
