// SPDX-License-Identifier: Apache-2.0
#include "cordon/scenario/scenario_inputs.hpp"

#include <cmath>

#include "cordon/base/csv_table.hpp"
#include "cordon/base/error.hpp"

namespace cordon::scenario {
namespace {

// `where` one key down: "seed_infections[0]" -> "seed_infections[0].village".
SourceRef Key(SourceRef where, const std::string& key) {
  where.key += "." + key;
  return where;
}

int ResolveVillage(const geo::IdIndex& index, const std::string& id, const SourceRef& where,
                   const std::string& key) {
  const auto it = index.find(id);
  if (it == index.end()) throw InputError(Key(where, key), "unknown village id '" + id + "'");
  return it->second;
}

// Seeds, with Li et al.'s spread over the first day's travel (spread_by_travel).
void AddSeeds(const Scenario& s, const geo::IdIndex& villages, sim::ModelInputs& in) {
  const sim::Network& net = in.network;
  for (const SeedSpec& spec : s.seeds) {
    const int v = ResolveVillage(villages, spec.village, spec.where, "village");
    double persons = 0.0;
    for (const auto& p : spec.persons) persons += p.second;
    if (persons > net.population[v])
      throw InputError(spec.where, "seeds exceed the population of village '" + spec.village + "'");
    in.seeds.push_back({v, spec.persons});
    if (spec.spread_by_travel <= 0.0) continue;
    if (in.travellers.empty())
      throw InputError(Key(spec.where, "spread_by_travel"),
                       "needs a relocation model's traveller table");
    if (net.population[v] <= 0.0)
      throw InputError(Key(spec.where, "spread_by_travel"),
                       "village " + spec.village + " has no population");
    const sim::TripMatrix& day0 = in.travellers.front();
    for (sim::TripMatrix::InnerIterator e(day0, v); e; ++e) {
      sim::ModelSeed seed{static_cast<int>(e.col()), {}};
      for (const auto& [c, n] : spec.persons)
        seed.persons.emplace_back(
            c, std::round(spec.spread_by_travel * e.value() * n / net.population[v]));
      in.seeds.push_back(seed);
    }
  }
}

}  // namespace

void AddScenarioInputs(const Scenario& s, const geo::IdIndex& villages, sim::ModelInputs& in) {
  const sim::Network& net = in.network;
  in.policies = s.policies;
  for (const auto* list : {&s.contact_reductions, &s.travel_reductions})
    for (const auto& spec : *list) {
      sim::PatchMultiplier c = spec.policy;
      for (const auto& id : spec.villages)
        c.patches.push_back(ResolveVillage(villages, id, spec.where, "villages"));
      (list == &s.contact_reductions ? in.policies.contact_reductions
                                     : in.policies.travel_reductions)
          .push_back(c);
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
    if (net.HasGates()) {
      // Arrivals come in through the nearest gate and meet that route's checkpoints.
      stream.gate_offsets.push_back(0);
      for (int p : stream.patches) {
        stream.gate_checkpoints.insert(stream.gate_checkpoints.end(),
                                       net.gate_checkpoints.begin() + net.gate_offsets[p],
                                       net.gate_checkpoints.begin() + net.gate_offsets[p + 1]);
        stream.gate_offsets.push_back(static_cast<int>(stream.gate_checkpoints.size()));
      }
    }
    in.imports.push_back(std::move(stream));
  }
  in.external = s.external_trips;
  AddSeeds(s, villages, in);
}

}  // namespace cordon::scenario
