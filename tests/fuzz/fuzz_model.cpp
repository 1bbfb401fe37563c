// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: any bytes as a model file must give a model that runs (deterministic
// and stochastic, a few days on a small network with a checkpoint, arrivals and travel)
// or a cordon::Error, never a crash, a hang or another exception.
#include <cstddef>
#include <cstdint>
#include <string>

#include "cordon/base/error.hpp"
#include "cordon/scenario/model_file.hpp"
#include "cordon/sim/simulation.hpp"

namespace {

// Three villages with commuting trips, a checkpoint on one route, relocation travellers on
// two days, gated arrivals and every policy: whatever the model uses is there.
cordon::sim::ModelInputs Inputs(const cordon::sim::ModelSpec& spec) {
  using cordon::sim::TripMatrix;
  cordon::sim::ModelInputs in;
  auto& net = in.network;
  net.ids = {"A", "B", "C"};
  net.names = {"", "", ""};
  net.population = Eigen::ArrayXd(3);
  net.population << 1000, 500, 20;
  std::vector<Eigen::Triplet<double, int>> t = {{0, 1, 0.2}, {1, 0, 0.1}, {1, 2, 0.3}};
  net.trips.resize(3, 3);
  net.trips.setFromTriplets(t.begin(), t.end());
  net.trips.makeCompressed();
  net.checkpoints.push_back({"K", "t", 0.5, 0.5, 0.5, {1.0, 2.0}, 3.0});
  net.route_offsets = {0, 1, 1, 1};
  net.route_checkpoints = {0};
  if (spec.mobility.kind == cordon::sim::MobilityKind::kRelocation) {
    TripMatrix day = net.trips * 100.0;
    in.travellers = {day, day * 2.0};
  }
  in.policies.beds = 3;
  in.policies.central_capacity = 5;
  in.policies.home_isolation = {{0.5, {}}};
  in.policies.central_isolation = {{0.2, {}}};
  in.policies.contact_reductions = {{"masks", 0.5, {}, {1.0, 2.0}}};
  if (spec.arrivals.enabled) {
    cordon::sim::ImportStream s;
    s.patches = {0, 1};
    s.per_day = {5.0, 2.0};
    s.exposed = 0.1;
    s.infectious = 0.1;
    s.gate_offsets = {0, 1, 1};
    s.gate_checkpoints = {0};
    in.imports = {s};
  }
  for (int c = 0; c < int(spec.compartments.size()); ++c)
    if (c != spec.initial) in.seeds.push_back({0, {{c, 3.0}}});
  return in;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const cordon::sim::ModelSpec spec = cordon::scenario::ParseModelFile(text, "fuzz.yaml");
    if (spec.compartments.size() > 64 || spec.transitions.size() > 256) return 0;
    const cordon::sim::Model model(spec, Inputs(spec));
    cordon::sim::RunSettings s;
    s.days = 3;
    s.dt = 0.5;
    s.record_patch_daily = true;
    cordon::sim::Simulate(model, s);
    if (!model.HasPopulationState()) {
      s.mode = cordon::sim::Mode::kStochastic;
      cordon::sim::Simulate(model, s, 1);
    }
  } catch (const cordon::Error&) {
    // Expected for bad input.
  }
  return 0;
}
