// SPDX-License-Identifier: Apache-2.0
// The roles metrics read off a model's declaration: which transitions infect,
// whether people can be infected again, which flows count infections and
// overflow (docs/models.md, "What a model reports").
#include <algorithm>
#include <set>
#include <string>

#include "cordon/sim/model_spec.hpp"

namespace cordon::sim {

std::vector<int> ModelSpec::InfectionTransitions() const {
  std::vector<int> out;
  for (std::size_t n = 0; n < transitions.size(); ++n) {
    bool infects = false;
    for (const auto& name : transitions[n].rate.Names())
      for (const auto& f : forces) infects = infects || f.name == name;
    if (infects) out.push_back(static_cast<int>(n));
  }
  if (!out.empty() || !forces.empty()) return out;
  // No force of infection: infection is entering a compartment marked infected.
  for (std::size_t n = 0; n < transitions.size(); ++n) {
    const auto& t = transitions[n];
    if (!compartments[std::size_t(t.from)].infected && compartments[std::size_t(t.to)].infected)
      out.push_back(static_cast<int>(n));
  }
  return out;
}

std::vector<int> ModelSpec::Susceptible() const {
  std::vector<int> out;
  if (forces.empty()) return out;  // then InfectionTransitions() are the role's, not a force's
  for (int n : InfectionTransitions()) {
    const int from = transitions[std::size_t(n)].from;
    if (std::find(out.begin(), out.end(), from) == out.end()) out.push_back(from);
  }
  return out;
}

bool ModelSpec::Reinfection() const {
  const std::vector<int> infecting = InfectionTransitions();
  std::set<int> sources;
  std::vector<int> frontier;
  std::vector<char> reached(compartments.size(), 0);
  for (int n : infecting) {
    sources.insert(transitions[std::size_t(n)].from);
    const int to = transitions[std::size_t(n)].to;
    if (!reached[std::size_t(to)]) reached[std::size_t(to)] = 1, frontier.push_back(to);
  }
  // Everything reachable from where infection leads; reinfection when a source is among it.
  while (!frontier.empty()) {
    const int c = frontier.back();
    frontier.pop_back();
    if (sources.count(c)) return true;
    for (const auto& t : transitions)
      if (t.from == c && !reached[std::size_t(t.to)])
        reached[std::size_t(t.to)] = 1, frontier.push_back(t.to);
  }
  return false;
}

int ModelSpec::InfectionsFlow() const {
  for (std::size_t f = 0; f < flows.size(); ++f)
    if (flows[f].counts == FlowRole::kInfections) return static_cast<int>(f);
  std::set<std::pair<int, int>> infecting;
  for (int n : InfectionTransitions())
    infecting.emplace(transitions[std::size_t(n)].from, transitions[std::size_t(n)].to);
  if (infecting.empty()) return -1;
  for (std::size_t f = 0; f < flows.size(); ++f) {
    if (!flows[f].sources.empty() || flows[f].counts != FlowRole::kNone) continue;
    const std::set<std::pair<int, int>> pairs(flows[f].pairs.begin(), flows[f].pairs.end());
    if (pairs == infecting) return static_cast<int>(f);
  }
  return -1;
}

int ModelSpec::FirstInfectionsFlow() const {
  for (std::size_t f = 0; f < flows.size(); ++f)
    if (flows[f].counts == FlowRole::kFirstInfections) return static_cast<int>(f);
  return Reinfection() ? -1 : InfectionsFlow();
}

int ModelSpec::OverflowFlow() const {
  for (std::size_t f = 0; f < flows.size(); ++f)
    if (flows[f].counts == FlowRole::kOverflow) return static_cast<int>(f);
  return FlowIndex("overflow");
}

void AddInfectionsFlow(ModelSpec& spec) {
  if (spec.InfectionsFlow() >= 0) return;
  const std::vector<int> infecting = spec.InfectionTransitions();
  if (infecting.empty()) return;
  FlowSpec flow;
  // "infections", or the first of infections_2, infections_3, ... that is not taken.
  flow.name = "infections";
  for (int n = 2; spec.FlowIndex(flow.name) >= 0 || spec.CompartmentIndex(flow.name) >= 0; ++n)
    flow.name = "infections_" + std::to_string(n);
  std::set<std::pair<int, int>> pairs;  // a pair names every transition between it, once
  for (int n : infecting)
    pairs.emplace(spec.transitions[std::size_t(n)].from, spec.transitions[std::size_t(n)].to);
  flow.pairs.assign(pairs.begin(), pairs.end());
  flow.counts = FlowRole::kInfections;
  spec.flows.push_back(std::move(flow));
}

void ModelSpec::HideTracingFlows() {
  for (FlowSpec& f : flows)
    if (f.pairs.empty() && !f.sources.empty() &&
        std::all_of(f.sources.begin(), f.sources.end(), [](FlowSource source) {
          return source == FlowSource::kTracingTraced ||
                 source == FlowSource::kTracingQuarantined ||
                 source == FlowSource::kTracingInfected;
        }))
      f.output = false;
}

std::string ModelSpec::TracingCasesProblem() const {
  if (!tracing.enabled || tracing.cases < 0) return "";
  const FlowSpec& f = flows[std::size_t(tracing.cases)];
  for (int n : InfectionTransitions()) {
    const TransitionSpec& t = transitions[std::size_t(n)];
    for (const auto& [from, to] : f.pairs)
      if (from == t.from && to == t.to)
        return "flow '" + f.name + "' counts infections (" + compartments[std::size_t(from)].name +
               " -> " + compartments[std::size_t(to)].name +
               "); tracing starts from detected cases";
  }
  return "";
}

std::vector<Incompatibility> Incompatibilities(const ModelSpec& spec, const ScenarioNeeds& needs) {
  std::vector<Incompatibility> broken;
  const std::string model = "model " + spec.name;
  const bool commuting = spec.mobility.kind == MobilityKind::kCommuting;
  if (needs.imports && !spec.arrivals.enabled)
    broken.push_back(
        {"imports", model + " declares no arrivals: (where people arriving from outside go)"});
  if (needs.route_checkpoints && spec.mobility.kind == MobilityKind::kNone)
    broken.push_back(
        {"checkpoints", model + " has no mobility for checkpoints on routes to act on"});
  if (needs.external_trips && !commuting)
    broken.push_back({"external_trips", model + " has no commuting mobility for residents' "
                                                "trips out of the region"});
  bool outside = false;
  for (const auto& f : spec.forces) outside = outside || f.outside.root >= 0;
  if (needs.external_trips && commuting && !outside)
    broken.push_back({"external_trips", model + " declares no force with an `outside:` contact "
                                                "rate (docs/models.md), so residents outside "
                                                "would meet nobody"});
  if (needs.travel_reductions && !commuting)
    broken.push_back({"policies", "travel_reduction scales the commuting trips r_ij, and " + model +
                                      " has no commuting mobility (relocation data carry "
                                      "their own drop in travel)"});
  if (needs.tracing && !spec.tracing.enabled)
    broken.push_back({"policies",
                      "contact_tracing needs a model with a tracing: block "
                      "(docs/models.md), and " +
                          model + " has none"});
  if (needs.gis_region && spec.mobility.kind == MobilityKind::kRelocation)
    broken.push_back({"region.villages", model + " (relocation) runs on network tables for "
                                                 "now: region.villages: {csv: ...}"});
  return broken;
}

}  // namespace cordon::sim
