// SPDX-License-Identifier: Apache-2.0
// Li et al. (Science 2020) reproduced from its own data (label "slow", ~30 s):
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

}  // namespace
}  // namespace cordon::test
