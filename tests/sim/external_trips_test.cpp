// SPDX-License-Identifier: Apache-2.0
// Residents' trips out of the region and back (docs/model.md, "External trips"): the gate
// counters out and back, infection met outside, screening on the way, against closed forms.
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
using testing::Set;

ExternalTrips Trips(double per_day, double prevalence = 0.0) {
  ExternalTrips x;
  x.per_day = per_day;
  x.prevalence = {prevalence};
  return x;
}

TEST(ExternalTrips, GateCountersSeeResidentsOutAndBack) {
  // Village 0 leaves through its township checkpoint, then the county border; village 1
  // straight through the border, at half its trips (a travel reduction). Nobody is infected.
  ModelInputs in;
  in.network = MakeNetwork(
      {1000, 400}, {},
      {{"county", "county", 0.5, 0.0, 0.0, {}}, {"town", "township", 0.2, 0.0, 0.0, {}}});
  SetGates(in.network, {{0, 1}, {0}});  // on the way in: border first
  in.external = Trips(0.05);
  in.policies.travel_reductions = {{"travel_reduction", 0.5, {1}, {}}};
  ModelSpec spec = Cordon();
  Set(spec, "r0", 0.0);
  Model model(spec, std::move(in));
  RunSettings settings;
  settings.days = 10;
  const RunResult r = Simulate(model, settings, 0);
  // Per day: village 0 attempts 50 trips; the township turns back 10 and sees 50 out; the
  // border sees 40 out and turns back 20; 20 come back past both. Village 1: 10 attempted,
  // 5 turned back at the border, 5 back.
  EXPECT_NEAR(r.checkpoint_totals(1, kMonitoredCount), 10 * (50.0 + 20.0), 1e-8);
  EXPECT_NEAR(r.checkpoint_totals(1, kCheckpointTurnedBackCount), 10 * 10.0, 1e-8);
  EXPECT_NEAR(r.checkpoint_totals(0, kMonitoredCount), 10 * (40.0 + 20.0 + 10.0 + 5.0), 1e-8);
  EXPECT_NEAR(r.checkpoint_totals(0, kCheckpointTurnedBackCount), 10 * (20.0 + 5.0), 1e-8);
  EXPECT_NEAR(r.series.col(Column(model, "turned_back")).sum(), 10 * 35.0, 1e-8);
}

TEST(ExternalTrips, InfectionOutsideFollowsTheTimeAwayAndThePrevalence) {
  // No one infectious inside (latent period of 1e9 days): S_i(T) = S_i(0) exp(-d x pass_i
  // beta integral of the prevalence), pass = 1 for village 0, 1 - b for village 1.
  ModelInputs in;
  const double b = 0.5, x = 0.2, d = 0.33;
  in.network = MakeNetwork({1000, 1000}, {}, {{"K", "county", b, 0.0, 0.0, {}}});
  SetGates(in.network, {{}, {0}});
  in.external = Trips(x);
  in.external.prevalence_days = {0.0, 5.0};
  in.external.prevalence = {0.01, 0.02};
  ModelSpec spec = PlainSeir(2.38);
  Set(spec, "latent_days", 1e9);
  Model model(spec, std::move(in));
  RunSettings settings;
  settings.days = 10;
  const RunResult r = Simulate(model, settings, 0);
  const double beta = 2.38 / 3.47;
  // The switch at t = 5 is seen by the last stage of the step that ends there (dt / 6).
  const double exposure = 0.01 * 5 + 0.02 * 5 + settings.dt / 6 * (0.02 - 0.01);
  const int s = model.SeriesColumn("S");
  const double both = r.series(10, s);
  const double s0 = 1000 * std::exp(-d * x * beta * exposure);
  const double s1 = 1000 * std::exp(-d * x * (1 - b) * beta * exposure);
  EXPECT_NEAR(both, s0 + s1, 1e-4);
  EXPECT_NEAR(r.series.col(Column(model, "incidence")).sum(), 2000 - s0 - s1, 1e-4);
}

TEST(ExternalTrips, ScreeningOnTheWayOutDetectsFebrileTravellers) {
  // Infectious residents leave I at gamma + f (delta + x pass q); the gate credits the
  // f x pass s I of them it detects.
  ModelInputs in;
  const double x = 0.1, block = 0.25, screen = 0.5, f = 0.7, delta = 0.2, i0 = 100;
  in.network = MakeNetwork({1000}, {}, {{"K", "county", block, screen, 0.0, {}}});
  SetGates(in.network, {{0}});
  in.external = Trips(x);
  ModelSpec spec = Cordon();
  Set(spec, "r0", 0.0);
  in.seeds = {testing::Seed(spec, 0, 0.0, i0)};
  Model model(spec, std::move(in));
  RunSettings settings;
  settings.days = 8;
  settings.dt = 0.05;  // RK4's error (k dt)^5 / 120 per step stays under the tolerance
  const RunResult r = Simulate(model, settings, 0);
  const double pass = 1 - block;
  const double k = 1 / 3.47 + f * (delta + x * pass * screen);
  const double T = settings.days;
  EXPECT_NEAR(r.series(8, model.SeriesColumn("I")), i0 * std::exp(-k * T), 1e-6);
  const double person_days = i0 * (1 - std::exp(-k * T)) / k;
  EXPECT_NEAR(r.checkpoint_totals(0, kCheckpointDetectedCount), f * x * pass * screen * person_days,
              1e-6);
}

TEST(ExternalTrips, NeedCommutingAForceOutsideAndTimeAtHome) {
  ModelInputs in;
  in.network = MakeNetwork({1000, 10}, {{0, 1, 1.0, {}}}, {});
  in.external = Trips(0.5);
  ModelSpec still = Cordon();
  still.mobility = MobilitySpec{};
  EXPECT_THROW(Model(still, in), InputError);
  ModelSpec closed = Cordon();
  closed.forces.front().outside = Expression{};
  EXPECT_THROW(Model(closed, in), InputError);
  EXPECT_NO_THROW(Model(Cordon(), in));  // 0.33 x (1 + 0.5) < 1
  in.external = Trips(2.5);              // 0.33 x 3.5 > 1: p_ii would be negative
  EXPECT_THROW(Model(Cordon(), in), InputError);
}

}  // namespace
}  // namespace cordon::sim
