// SPDX-License-Identifier: Apache-2.0
#include "cordon/sim/ensemble.hpp"

#include <gtest/gtest.h>

#include "cordon/sim/counter_rng.hpp"
#include "test_networks.hpp"

namespace cordon::sim {
namespace {

using testing::Column;
using testing::Cordon;
using testing::MakeNetwork;
using testing::Seed;
using testing::Trip;

ModelInputs TwoVillages() {
  ModelInputs in;
  Checkpoint k{"K", "township", 0.5, 0.4, 0.0, {5.0, 40.0}};
  in.network = MakeNetwork({3000, 1500}, {{0, 1, 0.2, {0}}, {1, 0, 0.3, {0}}}, {k});
  in.seeds = {Seed(Cordon(), 0, 0.0, 8.0)};
  in.policies.beds = 10;
  ImportStream s;
  s.patches = {1};
  s.per_day = {5.0};
  s.exposed = 0.1;
  s.infectious = 0.05;
  s.active = {0.0, 20.0};
  in.imports = {s};
  in.policies.home_isolation = {{0.5, {}}};
  return in;
}

TEST(Ensemble, ResultsDoNotDependOnTheThreadCount) {
  Model model(Cordon(), TwoVillages());
  RunSettings settings;
  settings.mode = Mode::kStochastic;
  settings.runs = 200;
  settings.days = 60;
  const EnsembleResult one = RunEnsemble(model, settings, 1);
  const EnsembleResult two = RunEnsemble(model, settings, 2);
  ASSERT_EQ(one.run_series.size(), 200u);
  for (std::size_t r = 0; r < one.run_series.size(); ++r)
    ASSERT_TRUE((one.run_series[r] == two.run_series[r]).all()) << "run " << r;
  EXPECT_TRUE((one.mean == two.mean).all());
  EXPECT_TRUE((one.q05 == two.q05).all());
  EXPECT_TRUE((one.attack_rate == two.attack_rate).all());
  EXPECT_TRUE((one.checkpoint_totals == two.checkpoint_totals).all());
  // Runs differ from each other: the stream is keyed by run.
  EXPECT_FALSE((one.run_series[0] == one.run_series[1]).all());
}

// Every day's per-patch columns reach on_patch_day in day order: for one run as it goes, for
// an ensemble as the mean, equal bit for bit to the table record_patch_daily keeps, with one
// thread or two (the sums are added in run order however the runs interleave).
TEST(Ensemble, StreamedDailyValuesEqualTheRecordedTable) {
  Model model(Cordon(), TwoVillages());
  for (Mode mode : {Mode::kDeterministic, Mode::kStochastic}) {
    RunSettings settings;
    settings.mode = mode;
    settings.runs = 7;
    settings.days = 30;
    settings.record_patch_daily = true;
    const EnsembleResult table = RunEnsemble(model, settings, 1);
    const std::size_t day_size = table.patch_columns.size() * 2;
    ASSERT_EQ(table.patch_daily.size(), 31 * day_size);
    for (int threads : {1, 2, 3}) {
      settings.record_patch_daily = false;
      std::vector<double> streamed;
      int next_day = 0;
      const EnsembleResult r =
          RunEnsemble(model, settings, threads, {}, {}, [&](int day, const double* values) {
            EXPECT_EQ(day, next_day++);
            streamed.insert(streamed.end(), values, values + day_size);
          });
      EXPECT_TRUE(r.patch_daily.empty()) << "the streamed table is not kept";
      ASSERT_EQ(streamed.size(), table.patch_daily.size()) << threads << " threads";
      for (std::size_t k = 0; k < streamed.size(); ++k)
        ASSERT_EQ(streamed[k], table.patch_daily[k]) << "value " << k << ", " << threads;
    }
  }
}

// An ensemble's daily mean is the mean of its runs' own daily values.
TEST(Ensemble, DailyMeanIsTheMeanOfTheRuns) {
  Model model(Cordon(), TwoVillages());
  RunSettings settings;
  settings.mode = Mode::kStochastic;
  settings.runs = 4;
  settings.days = 20;
  settings.record_patch_daily = true;
  const EnsembleResult mean = RunEnsemble(model, settings, 2);
  std::vector<double> sum(mean.patch_daily.size(), 0.0);
  std::vector<double> first;
  bool runs_differ = false;
  for (int run = 0; run < settings.runs; ++run) {
    const RunResult r = Simulate(model, settings, run);
    if (run == 0) first = r.patch_daily;
    runs_differ = runs_differ || r.patch_daily != first;
    for (std::size_t k = 0; k < sum.size(); ++k) sum[k] += r.patch_daily[k];
  }
  EXPECT_TRUE(runs_differ);
  for (std::size_t k = 0; k < sum.size(); ++k) ASSERT_EQ(mean.patch_daily[k], sum[k] / 4.0) << k;
}

TEST(Ensemble, StochasticRunsStayWholeAndConserveWithoutImports) {
  ModelInputs in = TwoVillages();
  in.imports.clear();
  Model model(Cordon(), std::move(in));
  RunSettings settings;
  settings.mode = Mode::kStochastic;
  settings.days = 80;
  const RunResult r = Simulate(model, settings, 3);
  for (Eigen::Index d = 0; d < r.series.rows(); ++d) {
    EXPECT_EQ(r.series.row(d).head(model.Compartments()).sum(), 4500.0);
    for (int c = 0; c < model.Compartments(); ++c) {
      EXPECT_GE(r.series(d, c), 0.0);
      EXPECT_EQ(r.series(d, c), std::round(r.series(d, c)));
    }
  }
}

// The chain binomial is first order in dt; at dt = 1/128 its bias is well under 1%.
constexpr int kRuns = 50;
constexpr double kSeeds = 200.0, kDt = 1.0 / 128.0;

TEST(Ensemble, StochasticMeanFollowsTheDeterministicCurveInALargePatch) {
  ModelInputs in;
  in.network = MakeNetwork({1e6}, {});
  const ModelSpec spec = testing::PlainSeir(2.38);
  in.seeds = {Seed(spec, 0, 0.0, kSeeds)};
  Model model(spec, std::move(in));
  RunSettings det;
  det.days = 150;
  det.dt = kDt;  // the chain binomial converges to the ODE as dt -> 0
  const RunResult curve = Simulate(model, det, 0);
  RunSettings sto = det;
  sto.mode = Mode::kStochastic;
  sto.runs = kRuns;
  const EnsembleResult ens = RunEnsemble(model, sto, 0);
  const int infectious = Column(model, "I"), removed = Column(model, "R");
  const double peak = curve.series.col(infectious).maxCoeff();
  const double worst = (ens.mean.col(infectious) - curve.series.col(infectious)).abs().maxCoeff();
  EXPECT_LT(worst / peak, 0.01);
  const double final_r_det = curve.series(150, removed), final_r_sto = ens.mean(150, removed);
  EXPECT_NEAR(final_r_sto / final_r_det, 1.0, 0.01);
}

TEST(Ensemble, QuantileInterpolatesLikeNumpy) {
  std::vector<double> v = {4, 1, 3, 2, 5};
  EXPECT_DOUBLE_EQ(Quantile(v, 0.5), 3.0);
  EXPECT_DOUBLE_EQ(Quantile(v, 0.05), 1.2);
  EXPECT_DOUBLE_EQ(Quantile(v, 0.95), 4.8);
}

TEST(CounterRng, StreamDependsOnlyOnItsKeys) {
  CounterRng a(42, 1, 7, 100), b(42, 1, 7, 100), c(42, 1, 8, 100);
  for (int n = 0; n < 10; ++n) EXPECT_EQ(a(), b());
  EXPECT_NE(CounterRng(42, 1, 7, 100)(), c());
  // Rough uniformity: the mean of 1e5 draws in [0, 1) is near 0.5.
  CounterRng u(1, 2, 3, 4);
  double sum = 0;
  for (int n = 0; n < 100000; ++n) sum += double(u() >> 11) * 0x1.0p-53;
  EXPECT_NEAR(sum / 100000, 0.5, 0.005);
}

}  // namespace
}  // namespace cordon::sim
