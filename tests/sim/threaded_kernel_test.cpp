// SPDX-License-Identifier: Apache-2.0
// One run shared among threads: the chunked kernel gives the same bits on 1, 2
// and 3 threads, its gathers add in the order of the scatters they replace,
// checkpoint counters scattered per block of patches add up to the route sums, and
// counted once per RK4 step they give what every stage's counting gives.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <random>
#include <stdexcept>

#include "cordon/base/error.hpp"
#include "cordon/base/worker_pool.hpp"
#include "cordon/sim/interventions.hpp"
#include "cordon/sim/patch_chunks.hpp"
#include "cordon/sim/rk4.hpp"
#include "cordon/sim/simulation.hpp"
#include "test_networks.hpp"

namespace cordon::sim {
namespace {

using testing::Cordon;
using testing::Seed;

// Days of the identity runs. Under ThreadSanitizer (10x slower) a few days run every
// threaded pass as often as races need; the Release tree runs the epidemic to its peak.
#if defined(__SANITIZE_THREAD__)
constexpr int kIdentityDays = 6;
constexpr bool kFullRuns = false;
#else
constexpr int kIdentityDays = 18;
constexpr bool kFullRuns = true;
#endif

// A county of `patches` villages (several chunks), 6 trips each, a checkpoint on a
// third of the routes (two on some), staffed from day 3; imports through gates, all
// policies, beds that run out, infection seeded in a few villages. `external`: residents'
// trips out through gates (one or two checkpoints on a third of them) and back.
ModelInputs County(int patches, bool external = false) {
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<int> pick(0, patches - 1);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  ModelInputs in;
  Network& net = in.network;
  net.population.resize(patches);
  for (int i = 0; i < patches; ++i) {
    net.ids.push_back(std::to_string(i));
    net.population[i] = std::round(200.0 + 2000.0 * unit(rng));
  }
  std::vector<Eigen::Triplet<double, int>> trips;
  for (int i = 0; i < patches; ++i)
    for (int n = 0; n < 6; ++n) {
      const int j = pick(rng);
      if (j != i) trips.emplace_back(i, j, 0.04 * unit(rng));
    }
  net.trips.resize(patches, patches);
  net.trips.setFromTriplets(trips.begin(), trips.end());
  net.trips.makeCompressed();
  const int checkpoints = patches / 20;
  for (int k = 0; k < checkpoints; ++k)
    net.checkpoints.push_back({std::to_string(k), "village", 0.4, 0.6, 0.3, {3.0, 1e9}});
  net.route_offsets.assign(std::size_t(net.trips.nonZeros()) + 1, 0);
  for (Eigen::Index p = 0; p < net.trips.nonZeros(); ++p) {
    const double u = unit(rng);
    if (u < 0.33) net.route_checkpoints.push_back(int(u * 3.0 * checkpoints) % checkpoints);
    if (u < 0.1) net.route_checkpoints.push_back(pick(rng) % checkpoints);
    net.route_offsets[std::size_t(p) + 1] = int(net.route_checkpoints.size());
  }
  ImportStream stream;
  for (int i = 0; i < patches; i += 7) {
    stream.patches.push_back(i);
    stream.per_day.push_back(0.5);
    stream.gate_offsets.push_back(int(stream.gate_checkpoints.size()));
    if (i % 2 == 0) stream.gate_checkpoints.push_back(i % checkpoints);
  }
  stream.gate_offsets.push_back(int(stream.gate_checkpoints.size()));
  stream.exposed = 0.05;
  stream.infectious = 0.02;
  in.imports = {stream};
  if (external) {
    std::vector<std::vector<int>> gates(std::size_t(patches), std::vector<int>{});
    for (int i = 0; i < patches; i += 3) gates[std::size_t(i)] = {pick(rng) % checkpoints};
    for (int i = 0; i < patches; i += 9) gates[std::size_t(i)].push_back(pick(rng) % checkpoints);
    SetGates(net, gates);
    in.external.per_day = 0.02;
    in.external.prevalence_days = {0.0, 10.0};
    in.external.prevalence = {0.001, 0.003};
    in.external.active = {2.0, 20.0};
  }
  in.policies.home_isolation = {{0.5, {10.0, 1e9}}};
  in.policies.central_isolation = {{0.2, {}}};
  in.policies.central_capacity = 50.0;
  in.policies.essential_flows = {{0.1, {}}};
  in.policies.contact_reductions = {{"gathering_ban", 0.7, {}, {12.0, 1e9}}};
  in.policies.beds = 40.0;
  for (int i = 0; i < patches; i += patches / 9) in.seeds.push_back(Seed(Cordon(), i, 5.0, 3.0));
  return in;
}

void ExpectSameBits(const RunResult& a, const RunResult& b, const std::string& what) {
  ASSERT_EQ(a.series.rows(), b.series.rows());
  EXPECT_TRUE((a.series == b.series).all()) << what << ": daily series";
  EXPECT_TRUE(a.patch_daily == b.patch_daily) << what << ": per-village daily values";
  EXPECT_TRUE((a.checkpoint_totals == b.checkpoint_totals).all()) << what << ": checkpoints";
  EXPECT_TRUE((a.first_infected_day == b.first_infected_day).all()) << what << ": arrival days";
}

TEST(ThreadedKernel, OneRunGivesTheSameBitsOnOneTwoAndThreeThreads) {
  // Three chunks, the last one short: with 2 threads one takes two, with 3 each takes one.
  const int patches = 2 * kPatchChunk + 123;
  const Model model(Cordon(), County(patches, true));
  for (Mode mode : {Mode::kDeterministic, Mode::kStochastic}) {
    RunSettings settings;
    settings.days = kIdentityDays;
    settings.mode = mode;
    settings.record_patch_daily = true;
    const RunResult one = Simulate(model, settings, 0, {}, 1);
    // Not a trivial run: the epidemic spread, checkpoints counted, beds ran out.
    if (kFullRuns) {
      EXPECT_GT(one.series.col(model.SeriesColumn("incidence")).sum(), 1000.0);
      EXPECT_GT(one.checkpoint_totals.col(kCheckpointDetectedCount).sum(), 1.0);
      EXPECT_GT((one.first_infected_day >= 0).count(), patches / 20);
    }
    const std::string label = mode == Mode::kDeterministic ? "deterministic" : "stochastic";
    ExpectSameBits(one, Simulate(model, settings, 0, {}, 2), label + ", 2 threads");
    ExpectSameBits(one, Simulate(model, settings, 0, {}, 3), label + ", 3 threads");
  }
}

TEST(ThreadedKernel, MixingByDestinationAddsInTheOrderOfTheScatter) {
  const ModelInputs in = County(2000);
  const TripMatrix& trips = in.network.trips;
  const TripsByDestination t = TripsToDestinations(trips);
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> unit(0.0, 1e3);
  Eigen::VectorXd x(trips.rows());
  for (Eigen::Index i = 0; i < x.size(); ++i) x[i] = unit(rng);
  const Eigen::VectorXd scattered = trips.transpose() * x;
  ASSERT_EQ(t.offsets.back(), trips.nonZeros());
  for (Eigen::Index j = 0; j < x.size(); ++j) {
    double gathered = 0.0;
    for (int q = t.offsets[std::size_t(j)]; q < t.offsets[std::size_t(j) + 1]; ++q)
      gathered += trips.valuePtr()[t.entry[std::size_t(q)]] * x[t.origin[std::size_t(q)]];
    ASSERT_EQ(gathered, scattered[j]) << "destination " << j;  // bitwise
  }
}

TEST(ThreadedKernel, CheckpointCountersPerBlockAddUpToTheRouteSums) {
  // MODEL.md: a trip i -> j meets its checkpoints in order; checkpoint k on it counts the
  // attempted trips that reach it (e + (1 - e) prod_{earlier}(1 - b)), turns back those times
  // b_k, and detects the sick who pass the whole route and no earlier screen: pass (prod
  // (1 - s) before k) s_k.
  const ModelInputs in = County(3 * kPatchChunk + 123);
  const Network& net = in.network;
  const Interventions iv(net, in.policies, in.imports, 1.0);
  Segment seg = iv.MakeSegment(net);
  iv.Prepare(net, 5.0, seg);
  const double e = 0.1, febrile = 0.7;
  const int patches = net.Patches(), k_count = int(net.checkpoints.size());
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> unit(0.0, 1e3);
  Eigen::ArrayXXd free_detectable(2, patches);
  for (Eigen::Index i = 0; i < free_detectable.size(); ++i) free_detectable.data()[i] = unit(rng);
  Eigen::ArrayXXd expected = Eigen::ArrayXXd::Zero(k_count, 3);
  for (int i = 0; i < patches; ++i)
    for (int p = net.trips.outerIndexPtr()[i]; p < net.trips.outerIndexPtr()[i + 1]; ++p) {
      const double r = net.trips.valuePtr()[p];
      double keep = 1.0, unseen = 1.0;
      for (int m = net.route_offsets[std::size_t(p)]; m < net.route_offsets[std::size_t(p) + 1];
           ++m)
        keep *= 1.0 - net.checkpoints[std::size_t(net.route_checkpoints[std::size_t(m)])].block;
      const double pass = e + (1.0 - e) * keep;
      keep = 1.0;
      for (int m = net.route_offsets[std::size_t(p)]; m < net.route_offsets[std::size_t(p) + 1];
           ++m) {
        const int k = net.route_checkpoints[std::size_t(m)];
        const Checkpoint& c = net.checkpoints[std::size_t(k)];
        expected(k, 0) += r * free_detectable(0, i) * (e + (1.0 - e) * keep);
        expected(k, 1) += r * free_detectable(0, i) * (1.0 - e) * keep * c.block;
        expected(k, 2) += r * febrile * free_detectable(1, i) * pass * unseen * c.screen;
        keep *= 1.0 - c.block;
        unseen *= 1.0 - c.screen;
      }
    }
  // Blocks of one, two and three chunks, and one block of all patches.
  const RoutedPairs routed = PairsWithCheckpoints(net);
  for (int chunks : {1, 2, 3, 4}) {
    const int block = chunks * kPatchChunk;
    std::vector<double> sums(3 * std::size_t(k_count), 0.0), part(sums.size());
    for (int b = 0; b < patches; b += block) {
      iv.CheckpointRatesOfPatches(net, routed, seg, free_detectable, febrile, b,
                                  std::min(block, patches - b), part.data());
      for (std::size_t q = 0; q < sums.size(); ++q) sums[q] += part[q];
    }
    for (int k = 0; k < k_count; ++k)
      for (int c = 0; c < 3; ++c)
        ASSERT_NEAR(sums[3 * std::size_t(k) + std::size_t(c)], expected(k, c),
                    1e-12 * (1.0 + expected(k, c)))
            << "checkpoint " << k << ", counter " << c << ", blocks of " << block;
  }
  EXPECT_GT(expected.col(2).sum(), 0.0);
}

TEST(ThreadedKernel, AStepCountsItsCheckpointTravellersOnceAsItsFourStagesWould) {
  // RK4 sums slopes k1 + 2 k2 + 2 k3 + k4; the counters are linear in the travellers and
  // read by nobody, so the travellers held over a step and counted once give the same
  // totals. Steps from t = 0.1 and 0.2 (dt 0.25) have the checkpoints' staffing (day 3)
  // and the external trips (day 2) begin at a step's last stage and at its second.
  const ModelInputs in = County(2 * kPatchChunk + 55, true);
  const Model model(Cordon(), in);
  WorkerPool workers(2);
  for (double t0 : {0.1, 0.2}) {
    Workspace each = model.MakeWorkspace(), once = model.MakeWorkspace();
    once.workers = &workers;
    State y_each = model.InitialState(false), y_once = y_each;
    Rk4Stepper rk4_each(model.Layout()), rk4_once(model.Layout());
    auto every_stage = [&](double t, const State& s, State& d) { model.Derivative(t, s, d, each); };
    auto held = [&](double t, const State& s, State& d, RkStage stage) {
      model.Derivative(t, s, d, once, stage);
    };
    for (int step = 0; step < kIdentityDays * 2; ++step) {
      const double t = t0 + 0.25 * step;
      rk4_each.Step(every_stage, t, 0.25, y_each);
      rk4_once.Step(held, t, 0.25, y_once, &workers);
    }
    const Eigen::Index counters = y_each.layout.RegionCounterOffset();
    // The epidemic does not read the counters: every compartment has the same bits.
    EXPECT_TRUE((y_each.values.head(counters) == y_once.values.head(counters)).all()) << t0;
    const Eigen::ArrayXd a = y_each.values.tail(y_each.values.size() - counters);
    const Eigen::ArrayXd b = y_once.values.tail(y_once.values.size() - counters);
    for (Eigen::Index q = 0; q < a.size(); ++q)
      ASSERT_NEAR(b[q], a[q], 1e-12 * (1.0 + std::abs(a[q]))) << "counter " << q << ", " << t0;
    for (int c = 0; c < kNumCheckpointCounters; ++c)
      EXPECT_GT(y_each.Checkpoints(c).sum(), 0.0) << "counter " << c;
  }
}

TEST(ThreadedKernel, UnstaffedCheckpointsRunAsCheckpointsThatStopAndScreenNobody) {
  // What `cordon optimize` relies on: one model, a selection of sites per run.
  const ModelInputs in = County(2 * kPatchChunk + 7);
  ModelInputs open = in;
  std::vector<int> unstaffed;
  for (int k = 0; k < int(in.network.checkpoints.size()); k += 3) {
    unstaffed.push_back(k);
    Checkpoint& c = open.network.checkpoints[std::size_t(k)];
    c.block = c.screen = c.isolate = 0.0;
  }
  for (Mode mode : {Mode::kDeterministic, Mode::kStochastic}) {
    RunSettings settings;
    settings.days = kFullRuns ? 20 : kIdentityDays;
    settings.mode = mode;
    const RunResult expected = Simulate(Model(Cordon(), open), settings);
    settings.unstaffed_checkpoints = unstaffed;
    const Model shared(Cordon(), in);
    ExpectSameBits(expected, Simulate(shared, settings, 0, {}, 2), "unstaffed");
    // Skipping the counters leaves the epidemic as it was and every counter at 0.
    settings.count_checkpoints = false;
    const RunResult uncounted = Simulate(shared, settings);
    EXPECT_TRUE((uncounted.checkpoint_totals == 0.0).all());
    const int back = shared.SeriesColumn("turned_back");
    for (const char* column : {"incidence", "S", "I", "H"}) {
      const int c = shared.SeriesColumn(column);
      ASSERT_GE(c, 0) << column;
      EXPECT_TRUE((uncounted.series.col(c) == expected.series.col(c)).all()) << column;
    }
    EXPECT_GT(expected.series.col(back).sum(), uncounted.series.col(back).sum());
  }
  RunSettings wrong;
  wrong.unstaffed_checkpoints = {int(in.network.checkpoints.size())};
  EXPECT_THROW(Simulate(Model(Cordon(), in), wrong), InputError);
}

TEST(WorkerPool, RunsEveryItemOnceAndRethrowsTheFirstFailure) {
  WorkerPool pool(3);
  EXPECT_EQ(pool.Threads(), 3);
  for (int round = 0; round < 200; ++round) {
    std::vector<std::atomic<int>> hits(97);
    pool.Run(97, [&](int i) { ++hits[std::size_t(i)]; });
    for (const auto& h : hits) ASSERT_EQ(h.load(), 1) << "round " << round;
  }
  EXPECT_THROW(pool.Run(50,
                        [](int i) {
                          if (i == 7) throw std::runtime_error("item 7");
                        }),
               std::runtime_error);
  std::atomic<int> after{0};
  pool.Run(10, [&](int) { ++after; });  // the pool still works after a failure
  EXPECT_EQ(after.load(), 10);
}

}  // namespace
}  // namespace cordon::sim
