// SPDX-License-Identifier: Apache-2.0
// Properties of the model checked against mathematics, not against the code.
#include <gtest/gtest.h>

#include <cmath>

#include "cordon/base/error.hpp"
#include "cordon/sim/simulation.hpp"
#include "test_networks.hpp"

namespace cordon::sim {
namespace {

using testing::Column;
using testing::Cordon;
using testing::MakeNetwork;
using testing::PlainSeir;
using testing::Seed;
using testing::Set;
using testing::Trip;

constexpr int kCompartments = 11;  // cordon.yaml: S E I R Sh Eh Ih Sc Ec Ic H

double TotalPersons(const Eigen::ArrayXXd& series, Eigen::Index day) {
  return series.row(day).head(kCompartments).sum();
}

// Solves z = 1 - exp(-r0 z) for the non-trivial root by fixed-point iteration.
double FinalSize(double r0) {
  double z = 0.9;
  for (int n = 0; n < 10000; ++n) z = 1.0 - std::exp(-r0 * z);
  return z;
}

TEST(Model, SeirFinalSizeMatchesTheFinalSizeEquation) {
  for (double r0 : {1.5, 2.38, 3.0}) {
    const ModelSpec spec = PlainSeir(r0);
    ModelInputs in;
    in.network = MakeNetwork({1e7}, {});
    in.seeds = {Seed(spec, 0, 0.0, 1.0)};
    Model model(spec, std::move(in));
    RunSettings settings;
    settings.days = 800;
    const RunResult r = Simulate(model, settings, 0);
    const Summary s = Summarize(model, r.series, r.overflow, 1e7, 1.0, 1);
    EXPECT_NEAR(s.attack_rate, FinalSize(r0), 1e-4) << "r0 = " << r0;
    EXPECT_NEAR(r.attack_rate[0], FinalSize(r0), 1e-4);
  }
}

TEST(Model, AFlowsPeakDayIsThePlateausFirstDayWhateverItsRounding) {
  const ModelSpec spec = PlainSeir(2.0);
  ModelInputs in;
  in.network = MakeNetwork({1e4}, {});
  const Model model(spec, std::move(in));
  const int c = model.SeriesColumn("incidence");
  ASSERT_GE(c, 0);
  Eigen::ArrayXXd series = Eigen::ArrayXXd::Zero(8, Eigen::Index(model.SeriesColumns().size()));
  // 120 a day from day 2, as differences of a cumulative counter leave it: the last digits
  // wander and day 5's happen to be the largest. Then a real peak elsewhere wins.
  series.col(c) << 0.0, 60.0, 120.0, 119.99999999999999, 120.0, 120.00000000000003, 120.0, 0.0;
  const auto peak = [&] {
    for (const FlowSummary& f :
         Summarize(model, series, std::vector<double>(8, 0.0), 1e4, 0.0, 0).flows)
      if (f.name == "incidence") return std::make_pair(f.peak_day, f.peak);
    return std::make_pair(-1, 0.0);
  };
  EXPECT_EQ(peak(), std::make_pair(2, 120.00000000000003));
  series(6, c) = 120.001;
  EXPECT_EQ(peak(), std::make_pair(6, 120.001));
}

TEST(Model, EarlyGrowthRateSolvesTheSeirCharacteristicEquation) {
  const double r0 = 2.38;
  const ModelSpec spec = PlainSeir(r0);
  ModelInputs in;
  in.network = MakeNetwork({1e13}, {});
  in.seeds = {Seed(spec, 0, 0.0, 10.0)};
  const double sigma = 1.0 / 3.69, gamma = 1.0 / 3.47;  // cordon.yaml's defaults
  Model model(spec, std::move(in));
  RunSettings settings;
  settings.days = 80;
  const RunResult result = Simulate(model, settings, 0);
  const int infectious = Column(model, "I");
  const double slope =
      std::log(result.series(80, infectious) / result.series(60, infectious)) / 20.0;
  // R0 = (1 + r/sigma)(1 + r/gamma): r^2/(sigma gamma) + r (1/sigma + 1/gamma) + 1 - R0 = 0.
  const double a = 1.0 / (sigma * gamma), b = 1.0 / sigma + 1.0 / gamma, c = 1.0 - r0;
  const double r = (-b + std::sqrt(b * b - 4 * a * c)) / (2 * a);
  EXPECT_NEAR(slope / r, 1.0, 1e-4);
}

// A three-village network with travel, checkpoints, detection and small beds.
ModelInputs BusyNetwork() {
  ModelInputs in;
  Checkpoint k1{"K1", "township", 0.4, 0.3, 0.0, {2.5, 30.0}};
  Checkpoint k2{"K2", "village", 0.2, 0.6, 0.0, {}};
  in.network = MakeNetwork(
      {20000, 5000, 800},
      {{0, 1, 0.2, {0}}, {1, 0, 0.5, {1, 0}}, {1, 2, 0.3, {1}}, {2, 1, 0.6, {}}}, {k1, k2});
  in.seeds = {Seed(Cordon(), 0, 5.0, 5.0)};
  in.policies.beds = 15;
  in.policies.essential_flows = {{0.1, {}}};
  in.policies.contact_reductions = {{"gathering_ban", 0.6, {}, {10.0, 40.0}}};
  return in;
}

TEST(Model, PopulationIsConservedWithoutImports) {
  Model model(Cordon(), BusyNetwork());
  RunSettings settings;
  settings.days = 120;
  const RunResult r = Simulate(model, settings, 0);
  const double n = model.Net().population.sum();
  for (Eigen::Index d = 0; d < r.series.rows(); ++d)
    ASSERT_NEAR(TotalPersons(r.series, d) / n, 1.0, 1e-9) << "day " << d;
  // Beds bind in this network: H stays near 15 and people overflow to Ih.
  EXPECT_GT(Summarize(model, r.series, r.overflow, n, 10.0, 3).days_over_capacity, 0);
}

TEST(Model, NoBedsKeepsHospitalEmpty) {
  ModelInputs in = BusyNetwork();
  in.policies.beds = 0;
  Model model(Cordon(), std::move(in));
  RunSettings settings;
  settings.days = 100;
  const RunResult r = Simulate(model, settings, 0);
  EXPECT_EQ(r.series.col(Column(model, "H")).abs().maxCoeff(), 0.0);
  EXPECT_GT(r.series.col(Column(model, "Ih")).maxCoeff(), 1.0);  // detected: home isolation
}

TEST(Model, VillageWithoutTripsStaysUninfected) {
  ModelInputs in;
  in.network = MakeNetwork({1000, 1000, 1000}, {{0, 1, 0.2, {}}, {1, 0, 0.2, {}}});
  in.seeds = {Seed(Cordon(), 0, 0.0, 10.0)};
  Model model(Cordon(), std::move(in));
  RunSettings settings;
  settings.days = 100;
  const RunResult r = Simulate(model, settings, 0);
  EXPECT_GT(r.attack_rate[1], 0.1);
  EXPECT_EQ(r.attack_rate[2], 0.0);
  EXPECT_EQ(r.first_infected_day[2], -1);
}

TEST(Model, FullBlockWithoutEssentialFlowsCutsTheRoute) {
  ModelInputs in;
  Checkpoint wall{"W", "county", 1.0, 0.0, 0.0, {}};
  in.network = MakeNetwork({1000, 1000}, {{0, 1, 0.3, {0}}, {1, 0, 0.3, {0}}}, {wall});
  in.seeds = {Seed(Cordon(), 0, 0.0, 10.0)};
  Model model(Cordon(), std::move(in));
  RunSettings settings;
  settings.days = 100;
  const RunResult r = Simulate(model, settings, 0);
  EXPECT_GT(r.attack_rate[0], 0.5);
  EXPECT_EQ(r.attack_rate[1], 0.0);
  // Everyone who tried was monitored and turned back.
  EXPECT_NEAR(r.checkpoint_totals(0, kCheckpointTurnedBackCount),
              r.checkpoint_totals(0, kMonitoredCount), 1e-9);
  EXPECT_GT(r.checkpoint_totals(0, kMonitoredCount), 100.0);
}

TEST(Model, CheckpointCountersFollowTheRouteOrder) {
  // No infection, so the free population and the attempted flow are constant.
  ModelInputs in;
  const double b1 = 0.3, b2 = 0.5, e = 0.2, rate = 0.1, pop = 2000.0;
  in.network = MakeNetwork({pop, 500}, {{0, 1, rate, {0, 1}}},
                           {{"K1", "", b1, 0.0, 0.0, {}}, {"K2", "", b2, 0.0, 0.0, {}}});
  ModelSpec spec = Cordon();
  Set(spec, "r0", 0.0);
  in.policies.essential_flows = {{e, {}}};
  Model model(spec, std::move(in));
  RunSettings settings;
  settings.days = 10;
  const RunResult r = Simulate(model, settings, 0);
  const double attempted = rate * pop * 10;
  EXPECT_NEAR(r.checkpoint_totals(0, kMonitoredCount), attempted, 1e-8);
  EXPECT_NEAR(r.checkpoint_totals(0, kCheckpointTurnedBackCount), (1 - e) * attempted * b1, 1e-8);
  EXPECT_NEAR(r.checkpoint_totals(1, kMonitoredCount), attempted * (e + (1 - e) * (1 - b1)), 1e-8);
  EXPECT_NEAR(r.checkpoint_totals(1, kCheckpointTurnedBackCount),
              (1 - e) * attempted * (1 - b1) * b2, 1e-8);
  EXPECT_NEAR(r.series.col(Column(model, "turned_back")).sum(),
              (1 - e) * attempted * (1 - (1 - b1) * (1 - b2)), 1e-8);
}

TEST(Model, TripsNotAttemptedAreNeverCounted) {
  // travel_reduction: residents of village 0 attempt u r trips while it is active; the
  // counters see only attempted trips (no infection: the free population stays constant).
  ModelInputs in;
  const double b = 0.4, rate = 0.1, pop = 2000.0, u = 0.25, u0 = 0.5;
  in.network =
      MakeNetwork({pop, 500}, {{0, 1, rate, {0}}, {1, 0, rate, {0}}}, {{"K", "", b, 0.0, 0.0, {}}});
  ModelSpec spec = Cordon();
  Set(spec, "r0", 0.0);
  // Everyone's travel down to u from day 4 to 10; village 0's also halved from day 6 on.
  in.policies.travel_reductions = {{"travel_reduction", u, {}, {4.0, 10.0}},
                                   {"travel_reduction", u0, {0}, {6.0, kUnlimited}}};
  Model model(spec, std::move(in));
  RunSettings settings;
  settings.days = 12;
  const RunResult r = Simulate(model, settings, 0);
  // Trip-days attempted: village 0: 4 + u * 2 + u u0 * 4 + u0 * 2; village 1: 4 + 6 u + 2.
  const double v0 = rate * pop, v1 = rate * 500;
  double attempted = v0 * (4 + u * 2 + u * u0 * 4 + u0 * 2) + v1 * (4 + 6 * u + 2);
  // docs/model.md, "Time switches": a switch at a step's end is already seen by that step's
  // last RK4 stage (weight dt / 6), so each one moves the total by dt / 6 x (after - before).
  const double dt = settings.dt;
  attempted += dt / 6 * ((u * v0 - v0) + (u * v1 - v1));            // day 4
  attempted += dt / 6 * (u * u0 * v0 - u * v0);                     // day 6
  attempted += dt / 6 * ((u0 * v0 - u * u0 * v0) + (v1 - u * v1));  // day 10
  EXPECT_NEAR(r.checkpoint_totals(0, kMonitoredCount), attempted, 1e-8);
  EXPECT_NEAR(r.checkpoint_totals(0, kCheckpointTurnedBackCount), b * attempted, 1e-8);
  EXPECT_NEAR(r.series.col(Column(model, "turned_back")).sum(), b * attempted, 1e-8);
}

TEST(Model, TravelReductionNeedsCommutingTrips) {
  ModelInputs in;
  in.network = MakeNetwork({1000, 1000}, {{0, 1, 0.1, {}}}, {});
  ModelSpec still = Cordon();
  still.mobility = MobilitySpec{};
  ASSERT_EQ(still.mobility.kind, MobilityKind::kNone);
  EXPECT_NO_THROW(Model(still, in));
  in.policies.travel_reductions = {{"travel_reduction", 0.5, {}, {}}};
  EXPECT_THROW(Model(still, in), InputError);
  in.policies.travel_reductions = {{"travel_reduction", 1.5, {}, {}}};
  EXPECT_THROW(Model(Cordon(), in), InputError);
}

TEST(Model, ImportsArriveWithTheirSharesAndIsolation) {
  ModelInputs in;
  in.network = MakeNetwork({1000}, {});
  ModelSpec spec = PlainSeir(0.0);
  in.policies.home_isolation = {{0.25, {}}};
  ImportStream stream;
  stream.patches = {0};
  stream.per_day = {10.0};
  stream.exposed = 0.2;
  stream.active = {0.0, 5.0};
  in.imports = {stream};
  Model model(spec, std::move(in));
  RunSettings settings;
  settings.days = 5;
  const RunResult r = Simulate(model, settings, 0);
  // The stream ends at t = 5: the last RK4 stage of day 5 (t = 5) sees it off,
  // which costs that step 1/6 of its dt * 10 arrivals.
  const double last_day = 10.0 - 10.0 * settings.dt / 6.0;
  const int imports = Column(model, "imports");
  for (int d = 1; d <= 4; ++d) EXPECT_NEAR(r.series(d, imports), 10.0, 1e-9);
  EXPECT_NEAR(r.series(5, imports), last_day, 1e-9);
  EXPECT_NEAR(TotalPersons(r.series, 5), 1040.0 + last_day, 1e-9);
  // A quarter of arrivals went into home isolation (some released again at rate 1/14).
  const double isolated_ever = r.series(5, Column(model, "Sh")) + r.series(5, Column(model, "Eh")) +
                               r.series(5, Column(model, "Ih"));
  EXPECT_GT(isolated_ever, 0.2 * 12.5);
  EXPECT_LT(isolated_ever, 12.5);
}

// Error at day 30 against a fine reference, for a smooth problem (no switches, no beds).
double Rk4Error(double dt) {
  auto run = [](double step) {
    ModelInputs in;
    in.network = MakeNetwork({50000, 20000, 5000},
                             {{0, 1, 0.2, {}}, {1, 0, 0.4, {}}, {1, 2, 0.3, {}}, {2, 1, 0.5, {}}});
    ModelSpec spec = Cordon();
    Set(spec, "r0", 3.0);
    in.seeds = {Seed(spec, 0, 0.0, 20.0)};
    Model model(spec, std::move(in));
    RunSettings settings;
    settings.days = 30;
    settings.dt = step;
    return Simulate(model, settings, 0).series;
  };
  static const Eigen::ArrayXXd kReference = run(1.0 / 64.0);
  return (run(dt).row(30) - kReference.row(30)).abs().maxCoeff();
}

TEST(Model, Rk4ErrorFallsSixteenfoldWhenTheStepHalves) {
  const double e1 = Rk4Error(1.0), e2 = Rk4Error(0.5), e3 = Rk4Error(0.25);
  EXPECT_GT(e1 / e2, 12.0);
  EXPECT_LT(e1 / e2, 20.0);
  EXPECT_GT(e2 / e3, 12.0);
  EXPECT_LT(e2 / e3, 20.0);
}

TEST(Model, RejectsNegativeHomeShare) {
  ModelInputs in;
  in.network = MakeNetwork({100, 100}, {{0, 1, 4.0, {}}});  // 0.33 * 4 > 1
  EXPECT_THROW({ Model model(Cordon(), std::move(in)); }, InputError);
}

TEST(Model, ScenarioNeedsAreCheckedAgainstOneListOfRules) {
  // What both the scenario parser (with file and line) and Model (throwing) apply.
  const ScenarioNeeds all{true, true, true, true, true};
  EXPECT_TRUE(Incompatibilities(Cordon(), all).empty());
  // A model like Li et al.'s: relocation, no arrivals, no outside force.
  ModelSpec li = Cordon();
  li.name = "li2020";
  li.mobility.kind = MobilityKind::kRelocation;
  li.arrivals.enabled = false;
  for (auto& force : li.forces) force.outside.root = -1;
  std::vector<std::string> keys;
  for (const Incompatibility& broken : Incompatibilities(li, all)) {
    keys.push_back(broken.key);
    EXPECT_NE(broken.reason.find("model li2020"), std::string::npos) << broken.reason;
  }
  EXPECT_EQ(keys,
            (std::vector<std::string>{"imports", "external_trips", "policies", "region.villages"}));
  EXPECT_TRUE(Incompatibilities(li, ScenarioNeeds{}).empty());
  // The default model without an outside contact rate cannot send residents out.
  ModelSpec closed = Cordon();
  for (auto& force : closed.forces) force.outside.root = -1;
  ScenarioNeeds out;
  out.external_trips = true;
  const auto broken = Incompatibilities(closed, out);
  ASSERT_EQ(broken.size(), 1u);
  EXPECT_NE(broken[0].reason.find("outside:"), std::string::npos) << broken[0].reason;
}

}  // namespace
}  // namespace cordon::sim
