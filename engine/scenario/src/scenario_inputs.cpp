// SPDX-License-Identifier: Apache-2.0
#include "cordon/scenario/scenario_inputs.hpp"

#include "cordon/base/csv_table.hpp"
#include "cordon/base/error.hpp"

namespace cordon::engine {
namespace {

int ResolveVillage(const IdIndex& index, const std::string& id, const SourceRef& where,
                   const std::string& key) {
  const auto it = index.find(id);
  if (it == index.end())
    throw InputError(where.Describe() + "." + key + ": unknown village id '" + id + "'");
  return it->second;
}

}  // namespace

void AddScenarioInputs(const Scenario& s, const IdIndex& villages,
                       const std::vector<std::vector<int>>& gate_checkpoints,
                       sim::ModelInputs& in) {
  const sim::Network& net = in.network;
  in.disease = s.disease;
  in.policies = s.policies;
  for (const auto& spec : s.contact_reductions) {
    sim::ContactReduction c = spec.policy;
    for (const auto& id : spec.villages)
      c.patches.push_back(ResolveVillage(villages, id, spec.where, "villages"));
    in.policies.contact_reductions.push_back(c);
  }
  const double total = net.population.sum();
  for (const auto& spec : s.imports) {
    sim::ImportStream stream;
    stream.exposed = spec.exposed;
    stream.infectious = spec.infectious;
    stream.active = spec.days;
    if (spec.to == "all") {
      for (int i = 0; i < net.Patches(); ++i) {
        if (net.population[i] <= 0 || total <= 0) continue;
        stream.patches.push_back(i);
        stream.per_day.push_back(spec.per_day * net.population[i] / total);
      }
    } else {
      stream.patches.push_back(ResolveVillage(villages, spec.to, spec.where, "to"));
      stream.per_day.push_back(spec.per_day);
    }
    if (!gate_checkpoints.empty()) {
      // Arrivals come in through the nearest gate and meet that route's checkpoints.
      stream.gate_offsets.push_back(0);
      for (int p : stream.patches) {
        const auto& list = gate_checkpoints[p];
        stream.gate_checkpoints.insert(stream.gate_checkpoints.end(), list.begin(), list.end());
        stream.gate_offsets.push_back(static_cast<int>(stream.gate_checkpoints.size()));
      }
    }
    in.imports.push_back(std::move(stream));
  }
  for (const auto& spec : s.seeds) {
    sim::Seed seed{ResolveVillage(villages, spec.village, spec.where, "village"), spec.exposed,
                   spec.infectious};
    if (seed.exposed + seed.infectious > net.population[seed.patch])
      throw InputError(spec.where.Describe() + ": seeds exceed the population of village '" +
                       spec.village + "'");
    in.seeds.push_back(seed);
  }
}

}  // namespace cordon::engine
