// SPDX-License-Identifier: Apache-2.0
// One simulated day (4 steps at dt = 0.25) of the full model on synthetic
// networks of 1e3, 1e5 and 1e6 patches with 8 trips per patch, a checkpoint
// on every route, imports to all and infection everywhere.
// Peer: tests/bench/numpy_model_day.py (the same model in vectorized numpy).
#include <benchmark/benchmark.h>

#include <random>

#include "cordon/scenario/model_file.hpp"
#include "cordon/sim/model.hpp"
#include "cordon/sim/rk4.hpp"
#include "cordon/sim/tau_leap.hpp"

namespace cordon::sim {
namespace {

// The default model, data/models/cordon.yaml.
const ModelSpec& Cordon() {
  static const ModelSpec spec =
      engine::ParseModelFile(engine::BundledModelText("cordon"), "cordon.yaml");
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

void DeterministicDay(benchmark::State& bench) {
  const Model model(Cordon(), SyntheticInputs(static_cast<int>(bench.range(0))));
  Workspace ws = model.MakeWorkspace();
  Rk4Stepper rk4(model.Layout());
  State y = model.InitialState(false);
  auto derivative = [&](double t, const State& s, State& d) { model.Derivative(t, s, d, ws); };
  double t = 0.0;
  for (auto _ : bench) {
    for (int s = 0; s < 4; ++s, t += 0.25) rk4.Step(derivative, t, 0.25, y);
    benchmark::DoNotOptimize(y.values.data());
  }
  bench.counters["patches"] = double(bench.range(0));
}

void StochasticDay(benchmark::State& bench) {
  const Model model(Cordon(), SyntheticInputs(static_cast<int>(bench.range(0))));
  Workspace ws = model.MakeWorkspace();
  TauLeapStepper tau(model, 42, 0);
  State y = model.InitialState(true);
  std::int64_t step = 0;
  for (auto _ : bench) {
    for (int s = 0; s < 4; ++s, ++step) tau.Step(double(step) * 0.25, 0.25, step, y, ws);
    benchmark::DoNotOptimize(y.values.data());
  }
  bench.counters["patches"] = double(bench.range(0));
}

BENCHMARK(DeterministicDay)->Arg(1000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);
BENCHMARK(StochasticDay)->Arg(1000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cordon::sim

BENCHMARK_MAIN();
