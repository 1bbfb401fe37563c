// SPDX-License-Identifier: Apache-2.0
// Contact tracing (docs/model.md, "Contact tracing") against mathematics: the early growth
// rate of an SEIR model with detection and tracing solves the characteristic equation the
// docs give, at once and after an Erlang delay; the default model conserves persons with
// tracing on and keeps to the capacity; the stochastic version's mean follows the
// deterministic curve; bad tracing blocks and policies fail with their key.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "cordon/base/error.hpp"
#include "cordon/scenario/model_file.hpp"
#include "cordon/sim/ensemble.hpp"
#include "cordon/sim/model.hpp"
#include "cordon/sim/simulation.hpp"
#include "test_networks.hpp"

namespace cordon::scenario {
namespace {

using sim::testing::MakeNetwork;

// SEIR with detection of the infectious at rate delta into D (isolated, not infectious);
// a traced exposed goes to Q (quarantined, not infectious) and never infects. A detected
// case infected beta S/N per day over its infectious days before detection, 1/(gamma+delta)
// on average: the infected contacts tracing can find.
constexpr const char* kSeirTracing = R"(
name: seir-tracing
compartments:
  - {name: S}
  - {name: E, infected: true}
  - {name: I, infected: true}
  - {name: D, infected: true, travels: false}
  - {name: Q, infected: true, travels: false}
  - {name: R}
parameters:
  beta: {default: 1.0}
  sigma: {default: 0.25}
  gamma: {default: 0.2}
  delta: {default: 0.3}
forces:
  lambda: {rate: beta, infectious: {I: 1}}
transitions:
  - {from: S, to: E, rate: lambda}
  - {from: E, to: I, rate: sigma}
  - {from: I, to: R, rate: gamma}
  - {from: I, to: D, rate: delta}
  - {from: D, to: R, rate: gamma}
  - {from: Q, to: R, rate: sigma}
flows:
  detected: I -> D
  traced: {from: tracing.traced, per_patch: false}
  quarantined: {from: tracing.quarantined, per_patch: false}
tracing:
  cases: detected
  infected_per_case: beta * S / N / (gamma + delta)
  moves: {E: Q}
)";

constexpr double kBeta = 1.0, kSigma = 0.25, kGamma = 0.2, kDelta = 0.3;

sim::ModelInputs OnePatch(double population, int infectious, double seeded,
                          const sim::TracingPolicy& tracing) {
  sim::ModelInputs d;
  d.network = MakeNetwork({population}, {});
  d.seeds = {{0, {{infectious, seeded}}}};
  d.policies.tracing = tracing;
  return d;
}

sim::TracingPolicy Tracing(double coverage, double delay_days, int stages) {
  sim::TracingPolicy t;
  t.enabled = true;
  t.coverage = coverage;
  t.delay_days = delay_days;
  t.delay_stages = stages;
  t.contacts_per_case = 1e3;  // never binds: infected contacts are at most beta/(gamma+delta)
  return t;
}

// The largest root r of (r + sigma)(r + gamma + delta) = sigma beta (1 - c f (k/(k+rd))^k),
// f = delta / (gamma + delta): docs/model.md's growth rate with tracing.
double GrowthRate(double coverage, double delay_days, int stages) {
  const double f = kDelta / (kGamma + kDelta);
  auto excess = [&](double r) {
    const double delayed =
        delay_days > 0.0 ? std::pow(stages / (stages + r * delay_days), double(stages)) : 1.0;
    return (r + kSigma) * (r + kGamma + kDelta) - kSigma * kBeta * (1.0 - coverage * f * delayed);
  };
  // The largest root: down from above every root (excess > 0) to the first sign change,
  // then bisection. (Below it a delay can make excess positive again.)
  const double floor = -std::min(kSigma, kGamma + kDelta);
  double hi = 2.0, lo = hi;
  while (excess(lo) > 0.0)
    if ((lo -= 1e-3) < floor) return std::nan("");  // the slowest mode is not real

  for (int n = 0; n < 100; ++n) (excess(0.5 * (lo + hi)) < 0.0 ? lo : hi) = 0.5 * (lo + hi);
  return 0.5 * (lo + hi);
}

double MeasuredGrowthRate(const sim::TracingPolicy& tracing) {
  const sim::ModelSpec m = scenario::ParseModelFile(kSeirTracing, "seir-tracing.yaml");
  const int i = m.CompartmentIndex("I");
  const sim::Model model(m, OnePatch(1e13, i, 10.0, tracing));
  sim::RunSettings s;
  s.days = 120;
  const sim::RunResult r = sim::Simulate(model, s);
  return std::log(r.series(120, i) / r.series(90, i)) / 30.0;
}

TEST(Tracing, InstantTracingCutsTheGrowthRateAsTheFormulaSays) {
  // Perfect instant tracing of every detected case's contacts: R falls from
  // beta / (gamma + delta) = 2 to that times (1 - c f), f = 0.6 the share of cases detected.
  for (double coverage : {0.0, 0.5, 0.8, 1.0}) {
    const double expected = GrowthRate(coverage, 0.0, 1);
    EXPECT_NEAR(MeasuredGrowthRate(Tracing(coverage, 0.0, 1)), expected, 1e-3 * std::abs(expected))
        << "coverage " << coverage;
  }
  // With all contacts of 60% of cases traced at once R = 2 x 0.4 < 1: the epidemic declines.
  EXPECT_GT(GrowthRate(0.8, 0.0, 1), 0.0);
  EXPECT_LT(GrowthRate(1.0, 0.0, 1), 0.0);
}

TEST(Tracing, DelayedTracingFollowsTheErlangFactor) {
  for (const auto& [delay, stages] : {std::pair{1.0, 1}, {2.0, 2}, {3.0, 4}}) {
    const double expected = GrowthRate(0.6, delay, stages);
    EXPECT_NEAR(MeasuredGrowthRate(Tracing(0.6, delay, stages)), expected,
                1e-2 * std::abs(expected))
        << delay << " days, " << stages << " stages";
  }
  // In a growing epidemic later tracing buys less.
  EXPECT_LT(GrowthRate(0.6, 0.0, 1), GrowthRate(0.6, 1.0, 2));
  EXPECT_LT(GrowthRate(0.6, 1.0, 2), GrowthRate(0.6, 3.0, 2));
}

sim::ModelSpec DefaultModel() {
  return scenario::ParseModelFile(scenario::BundledModelText("cordon"), "cordon.yaml");
}

TEST(Tracing, DefaultModelConservesPersonsAndKeepsToTheCapacity) {
  const sim::ModelSpec m = DefaultModel();
  sim::TracingPolicy t = Tracing(0.9, 2.0, 2);
  t.contacts_per_case = 15;
  t.capacity = 60;  // contacts a day, region-wide
  t.active = {5.0, 80.0};
  sim::ModelInputs d;
  d.network =
      MakeNetwork({40000, 15000, 6000}, {{0, 1, 0.1, {}}, {1, 0, 0.2, {}}, {2, 0, 0.3, {}}});
  d.seeds = {{0, {{m.CompartmentIndex("I"), 30.0}}}};
  d.policies.tracing = t;
  const sim::Model model(m, d);
  sim::RunSettings s;
  s.days = 100;
  const sim::RunResult r = sim::Simulate(model, s);
  const int traced = model.SeriesColumn("traced"), quarantined = model.SeriesColumn("quarantined");
  const int infected = model.SeriesColumn("traced_infected");
  ASSERT_GE(traced, 0);
  double most = 0.0, total_quarantined = 0.0;
  for (int day = 1; day <= 100; ++day) {
    double persons = 0.0;
    for (int c = 0; c < model.Compartments(); ++c) persons += r.series(day, c);
    ASSERT_NEAR(persons, 61000.0, 1e-6) << "day " << day;
    EXPECT_LE(r.series(day, traced), 60.0 * (1 + 1e-9)) << "day " << day;
    EXPECT_LE(r.series(day, quarantined), r.series(day, traced) + 1e-9) << "day " << day;
    EXPECT_LE(r.series(day, infected), r.series(day, quarantined) + 1e-9) << "day " << day;
    // Day d holds (d - 1, d]; the stage at t = 5 is the first that traces, t = 80 not.
    if (day < 5 || day > 80) {
      EXPECT_EQ(r.series(day, traced), 0.0) << "day " << day;
    }
    most = std::max(most, r.series(day, traced));
    total_quarantined += r.series(day, quarantined);
  }
  EXPECT_NEAR(most, 60.0, 1e-6);  // the capacity binds at the peak
  EXPECT_GT(total_quarantined, 100.0);

  // Tracing lowers the attack rate against the same run without it.
  sim::ModelInputs without = d;
  without.policies.tracing = {};
  const sim::RunResult base = sim::Simulate(sim::Model(m, without), s);
  EXPECT_LT(r.attack_rate.sum(), 0.95 * base.attack_rate.sum());
  // and writes no tracing columns.
  EXPECT_LT(sim::Model(m, without).SeriesColumn("traced"), 0);
}

TEST(Tracing, EnsembleMeanFollowsTheDeterministicCurveInALargePatch) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  // 40 runs of 38,400 steps: 45 s under a sanitizer for paths the shorter tests take.
  GTEST_SKIP() << "statistics, not memory: run in the Release tree";
#endif
  const sim::ModelSpec m = DefaultModel();
  sim::TracingPolicy t = Tracing(0.7, 2.0, 2);
  t.contacts_per_case = 10;
  sim::ModelInputs d = OnePatch(2e8, m.CompartmentIndex("I"), 20000.0, t);
  const sim::Model model(m, d);
  sim::RunSettings s;
  s.days = 150;
  // The chain binomial converges to the ODE as dt -> 0 (1/64: 2% over the curve, 1/16: 6-8%;
  // the same without tracing at r0 1.1: near R = 1 a total is sensitive to any bias in R).
  s.dt = 1.0 / 256.0;
  const sim::EnsembleResult det = sim::RunEnsemble(model, s, 0);
  s.mode = sim::Mode::kStochastic;
  s.runs = 40;
  const sim::EnsembleResult sto = sim::RunEnsemble(model, s, 0);
  for (const char* column : {"incidence", "quarantined", "traced_infected"}) {
    const int c = det.Column(column);
    ASSERT_GE(c, 0) << column;
    const double a = det.mean.col(c).sum(), b = sto.mean.col(c).sum();
    EXPECT_NEAR(b / a, 1.0, 0.02) << column << ": deterministic " << a << ", mean " << b;
  }
}

void ExpectModelError(const std::string& text, const std::string& needle) {
  try {
    scenario::ParseModelFile(text, "bad.yaml");
    FAIL() << "no error for " << needle;
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("bad.yaml:"), std::string::npos) << e.what();
  }
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error("no " + from);
  return text.replace(at, from.size(), to);
}

TEST(Tracing, BadTracingBlocksNameTheirKey) {
  const std::string good = kSeirTracing;
  ExpectModelError(Replace(good, "moves: {E: Q}", "moves: {E: R}"), "tracing.moves.E");
  ExpectModelError(Replace(good, "moves: {E: Q}", "moves: {E: Nowhere}"), "unknown compartment");
  ExpectModelError(Replace(good, "cases: detected", "cases: nothing"), "tracing.cases");
  std::string infecting = Replace(good, "cases: detected", "cases: infections");
  infecting =
      Replace(infecting, "  detected: I -> D\n", "  detected: I -> D\n  infections: S -> E\n");
  ExpectModelError(infecting, "counts infections");
  ExpectModelError(Replace(good, "  moves: {E: Q}\n", ""), "tracing.moves");
}

TEST(Tracing, APolicyNeedsAModelThatTraces) {
  const sim::ModelSpec m =
      scenario::ParseModelFile(scenario::BundledModelText("seir"), "seir.yaml");
  try {
    sim::Model model(m, OnePatch(1000, m.CompartmentIndex("I"), 1.0, Tracing(0.5, 1.0, 2)));
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("contact_tracing"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace cordon::scenario
