// SPDX-License-Identifier: Apache-2.0
// One simulated day (4 steps at dt = 0.25) of the full model on synthetic
// networks of 1e3, 1e5 and 1e6 patches with 8 trips per patch, a checkpoint
// on every route, imports to all and infection everywhere.
// Peer: tests/bench/numpy_model_day.py (the same model in vectorized numpy).
#include <benchmark/benchmark.h>

#include <random>
#include <thread>
#include <vector>

#include "cordon/base/worker_pool.hpp"
#include "cordon/scenario/model_file.hpp"
#include "cordon/sim/model.hpp"
#include "cordon/sim/rk4.hpp"
#include "cordon/sim/tau_leap.hpp"

namespace cordon::sim {
namespace {

// The default model, data/models/cordon.yaml.
const ModelSpec& Cordon() {
  static const ModelSpec spec =
      scenario::ParseModelFile(scenario::BundledModelText("cordon"), "cordon.yaml");
  return spec;
}

ModelInputs SyntheticInputs(int patches) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> pick(0, patches - 1);
  std::uniform_real_distribution<double> population(500.0, 3000.0);
  ModelInputs in;
  Network& net = in.network;
  net.population.resize(patches);
  for (int i = 0; i < patches; ++i) {
    net.ids.push_back(std::to_string(i));
    net.population[i] = std::round(population(rng));
  }
  std::vector<Eigen::Triplet<double, int>> trips;
  for (int i = 0; i < patches; ++i)
    for (int n = 0; n < 8; ++n) {
      int j = pick(rng);
      if (j == i) j = (j + 1) % patches;
      trips.emplace_back(i, j, 0.3 / 8.0);
    }
  net.trips.resize(patches, patches);
  net.trips.setFromTriplets(trips.begin(), trips.end());  // duplicates sum
  net.trips.makeCompressed();
  const int checkpoints = std::max(1, patches / 10);
  std::uniform_int_distribution<int> pick_checkpoint(0, checkpoints - 1);
  for (int k = 0; k < checkpoints; ++k)
    net.checkpoints.push_back({std::to_string(k), "village", 0.3, 0.5, 0.2, {}});
  net.route_offsets.resize(net.trips.nonZeros() + 1);
  for (Eigen::Index p = 0; p < net.trips.nonZeros(); ++p) {
    net.route_checkpoints.push_back(pick_checkpoint(rng));
    net.route_offsets[p + 1] = static_cast<int>(p + 1);
  }
  in.network.route_offsets[0] = 0;
  ImportStream all;
  for (int i = 0; i < patches; ++i) {
    all.patches.push_back(i);
    all.per_day.push_back(0.01 * net.population[i] / 1000.0);
  }
  all.exposed = 0.02;
  all.infectious = 0.01;
  in.imports = {all};
  in.policies.home_isolation = {{0.5, {}}};
  in.policies.central_isolation = {{0.2, {}}};
  in.policies.central_capacity = 1e-3 * net.population.sum();
  in.policies.essential_flows = {{0.1, {}}};
  in.policies.contact_reductions = {{"gathering_ban", 0.8, {}, {}}};
  in.policies.beds = 0.002 * net.population.sum();
  // Infection everywhere, so that no compartment array is trivially zero (as in the numpy peer).
  for (int i = 0; i < patches; ++i)
    in.seeds.push_back({i,
                        {{Cordon().CompartmentIndex("E"), std::round(2e-3 * net.population[i])},
                         {Cordon().CompartmentIndex("I"), std::round(1e-3 * net.population[i])}}});
  return in;
}

// The least memory traffic of a deterministic day (4 RK4 steps, 16 derivative evaluations),
// bytes: each evaluation reads the state and writes dy/dt, reads the trip matrix (values and
// column indices) for the mixing of the forces and the route entries for the checkpoint
// counters; each step's stage sums read and write the state vectors (~8 state passes).
double DayBytes(const Model& model) {
  const double state = 8.0 * double(model.Layout().Size());
  const double trips = 12.0 * double(model.Net().trips.nonZeros()) + 4.0 * (model.Patches() + 1);
  const double routes = 4.0 * double(model.Net().route_checkpoints.size()) +
                        4.0 * double(model.Net().route_offsets.size());
  return 16.0 * (2.0 * state + 2.0 * trips + routes) + 4.0 * 8.0 * state;
}

// Arguments: patches, threads of the one run.
void DeterministicDay(benchmark::State& bench) {
  const Model model(Cordon(), SyntheticInputs(static_cast<int>(bench.range(0))));
  Workspace ws = model.MakeWorkspace();
  WorkerPool workers(static_cast<int>(bench.range(1)));
  ws.workers = &workers;
  Rk4Stepper rk4(model.Layout());
  State y = model.InitialState(false);
  auto derivative = [&](double t, const State& s, State& d, RkStage stage) {
    model.Derivative(t, s, d, ws, stage);
  };
  double t = 0.0;
  for (auto _ : bench) {
    for (int s = 0; s < 4; ++s, t += 0.25) rk4.Step(derivative, t, 0.25, y, ws.workers);
    benchmark::DoNotOptimize(y.values.data());
  }
  bench.counters["patches"] = double(bench.range(0));
  bench.counters["day_bytes"] = DayBytes(model);
  bench.counters["bytes_per_second"] =
      benchmark::Counter(DayBytes(model), benchmark::Counter::kIsIterationInvariantRate);
}

void StochasticDay(benchmark::State& bench) {
  const Model model(Cordon(), SyntheticInputs(static_cast<int>(bench.range(0))));
  Workspace ws = model.MakeWorkspace();
  WorkerPool workers(static_cast<int>(bench.range(1)));
  ws.workers = &workers;
  TauLeapStepper tau(model, 42, 0);
  State y = model.InitialState(true);
  std::int64_t step = 0;
  for (auto _ : bench) {
    for (int s = 0; s < 4; ++s, ++step) tau.Step(double(step) * 0.25, 0.25, step, y, ws);
    benchmark::DoNotOptimize(y.values.data());
  }
  bench.counters["patches"] = double(bench.range(0));
}

// STREAM's triad a = b + s c over arrays far larger than the caches, on `threads` threads
// (each its own slice): the memory bandwidth the kernel is judged against (24 bytes/element).
void Triad(benchmark::State& bench) {
  const std::size_t n = std::size_t(1) << 25;  // 256 MiB per array
  const int threads = static_cast<int>(bench.range(0));
  std::vector<double> a(n, 0.0), b(n, 1.0), c(n, 2.0);
  for (auto _ : bench) {
    std::vector<std::thread> pool;
    for (int k = 0; k < threads; ++k)
      pool.emplace_back([&, k] {
        const std::size_t begin = n * std::size_t(k) / std::size_t(threads);
        const std::size_t end = n * std::size_t(k + 1) / std::size_t(threads);
        for (std::size_t i = begin; i < end; ++i) a[i] = b[i] + 3.0 * c[i];
      });
    for (auto& t : pool) t.join();
    benchmark::DoNotOptimize(a.data());
  }
  bench.counters["bytes_per_second"] =
      benchmark::Counter(24.0 * double(n), benchmark::Counter::kIsIterationInvariantRate);
}

BENCHMARK(Triad)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(DeterministicDay)
    ->ArgsProduct({{1000, 100000, 1000000}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(StochasticDay)
    ->ArgsProduct({{1000, 100000, 1000000}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace cordon::sim
