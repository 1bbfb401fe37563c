// SPDX-License-Identifier: Apache-2.0
#pragma once
// data/models/cordon.yaml, the default model, written in code: the sim suites run the
// kernel on it without the model-file reader (scenario), so that they link sim alone.
// model_tests checks that it is the bundled file, field by field
// (ModelFile.TheSimSuitesDefaultModelIsTheBundledOne): edit both together.

#include <initializer_list>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "cordon/sim/model_spec.hpp"

namespace cordon::sim::testing {

/// The default model (data/models/cordon.yaml) as its reader makes it.
inline ModelSpec Cordon() {
  ModelSpec m;
  m.name = "cordon";
  m.label = "cordon - checkpoints, home and central isolation, hospital beds";
  m.file = "cordon.yaml";
  auto compartment = [&](const char* name, bool infected, Isolation isolation = Isolation::kNone,
                         bool hospital = false) {
    CompartmentSpec c;
    c.name = name;
    c.infected = infected;
    c.isolation = isolation;
    c.hospital = hospital;
    c.travels = isolation == Isolation::kNone && !hospital;
    m.compartments.push_back(c);
  };
  for (const char* name : {"S", "E", "I", "R"}) compartment(name, name[0] == 'E' || name[0] == 'I');
  for (const char* name : {"Sh", "Eh", "Ih"}) compartment(name, name[0] != 'S', Isolation::kHome);
  for (const char* name : {"Sc", "Ec", "Ic"})
    compartment(name, name[0] != 'S', Isolation::kCentral);
  compartment("H", false, Isolation::kNone, true);
  auto at = [&](const char* name) { return m.CompartmentIndex(name); };

  auto parameter = [&](const char* name, const char* value, double min = 0.0,
                       double max = std::numeric_limits<double>::infinity()) {
    ParameterSpec p;
    p.name = name;
    p.min = min;
    p.max = max;
    const std::string text = value;
    if (text.find_first_not_of("0123456789.e-") == std::string::npos)
      p.value = std::stod(text);
    else
      p.computed = ParseExpression(text);
    m.parameters.push_back(std::move(p));
  };
  parameter("latent_days", "3.69", 1e-9, 1e9);
  parameter("infectious_days", "3.47", 1e-9, 1e9);
  parameter("r0", "2.38");
  parameter("beta", "r0 / infectious_days");
  parameter("febrile_fraction", "0.7", 0.0, 1.0);
  parameter("detect_rate", "0.2");
  parameter("detect_rate_isolated", "1.0");
  parameter("leak_home", "0.3", 0.0, 1.0);
  parameter("leak_central", "0.05", 0.0, 1.0);
  parameter("leak_hospital", "0.0", 0.0, 1.0);
  parameter("isolation_days", "14", 1e-9, 1e9);
  parameter("hospital_days", "14", 1e-9, 1e9);
  parameter("visit_days", "0.33");

  using Weights = std::vector<std::pair<const char*, const char*>>;
  auto weights = [&](const Weights& list) {
    std::vector<std::pair<int, Expression>> out;
    for (const auto& [name, w] : list) out.emplace_back(at(name), ParseExpression(w));
    return out;
  };
  ForceSpec lambda;
  lambda.name = "lambda";
  lambda.rate = ParseExpression("beta * contact");
  lambda.outside = ParseExpression("beta");
  lambda.infectious =
      weights({{"I", "1"}, {"Ih", "leak_home"}, {"Ic", "leak_central"}, {"H", "leak_hospital"}});
  lambda.present = weights({{"S", "1"},
                            {"E", "1"},
                            {"I", "1"},
                            {"R", "1"},
                            {"Sh", "leak_home"},
                            {"Eh", "leak_home"},
                            {"Ih", "leak_home"},
                            {"Sc", "leak_central"},
                            {"Ec", "leak_central"},
                            {"Ic", "leak_central"},
                            {"H", "leak_hospital"}});
  m.forces.push_back(std::move(lambda));

  const char* const kTransitions[][3] = {
      {"S", "E", "lambda"},
      {"E", "I", "1 / latent_days"},
      {"I", "R", "1 / infectious_days"},
      {"I", "H", "admit * febrile_fraction * (detect_rate + screening)"},
      {"I", "Ih", "(1 - admit) * febrile_fraction * (detect_rate + screening)"},
      {"Sh", "Eh", "leak_home * lambda"},
      {"Eh", "Ih", "1 / latent_days"},
      {"Ih", "R", "1 / infectious_days"},
      {"Ih", "H", "admit * febrile_fraction * detect_rate_isolated"},
      {"Sc", "Ec", "leak_central * lambda"},
      {"Ec", "Ic", "1 / latent_days"},
      {"Ic", "R", "1 / infectious_days"},
      {"Ic", "H", "admit * febrile_fraction * detect_rate_isolated"},
      {"Sh", "S", "1 / isolation_days"},
      {"Eh", "E", "1 / isolation_days"},
      {"Sc", "S", "1 / isolation_days"},
      {"Ec", "E", "1 / isolation_days"},
      {"H", "R", "1 / hospital_days"}};
  for (const auto& t : kTransitions)
    m.transitions.push_back({at(t[0]), at(t[1]), ParseExpression(t[2])});

  m.mobility.kind = MobilityKind::kCommuting;
  m.mobility.scale = ParseExpression("visit_days");
  m.screening.compartment = at("I");
  m.screening.share = ParseExpression("febrile_fraction");
  m.arrivals.enabled = true;
  const char* const kArrivals[] = {"S", "E", "I", "Sh", "Eh", "Ih", "Sc", "Ec", "Ic", "H", "Ih"};
  for (int c = 0; c < kNumArrivalCategories; ++c) m.arrivals.destination[std::size_t(c)] = -1;
  const int first[] = {kArrivalS, kArrivalSh, kArrivalSc, kArrivalDetectedAdmitted};
  for (int row = 0, k = 0; row < 4; ++row)
    for (int n = 0; n < (row == 3 ? 2 : 3); ++n)
      m.arrivals.destination[std::size_t(first[row] + n)] = at(kArrivals[k++]);

  auto flow = [&](const char* name, std::vector<std::pair<const char*, const char*>> pairs,
                  std::vector<FlowSource> sources, bool per_patch, bool output = true,
                  FlowRole counts = FlowRole::kNone) {
    FlowSpec f;
    f.name = name;
    for (const auto& [from, to] : pairs) f.pairs.emplace_back(at(from), at(to));
    f.sources = std::move(sources);
    f.per_patch = per_patch;
    f.output = output;
    f.counts = counts;
    m.flows.push_back(std::move(f));
  };
  flow("incidence", {{"S", "E"}, {"Sh", "Eh"}, {"Sc", "Ec"}}, {}, true, true,
       FlowRole::kInfections);
  flow("detections", {{"I", "H"}, {"I", "Ih"}, {"Ih", "H"}, {"Ic", "H"}},
       {FlowSource::kArrivalsDetected}, false);
  flow("imports", {}, {FlowSource::kArrivalsEntered}, false);
  flow("turned_back", {}, {FlowSource::kArrivalsTurnedBack, FlowSource::kCheckpointsTurnedBack},
       false);
  flow("overflow", {{"I", "Ih"}}, {FlowSource::kArrivalsOverflow}, false, false,
       FlowRole::kOverflow);
  flow("traced", {}, {FlowSource::kTracingTraced}, false);
  flow("quarantined", {}, {FlowSource::kTracingQuarantined}, false);
  flow("traced_infected", {}, {FlowSource::kTracingInfected}, false);

  m.tracing.enabled = true;
  m.tracing.cases = m.FlowIndex("detections");
  m.tracing.infected_per_case =
      ParseExpression("beta * contact * S / N * min(lookback_days, infectious_days)");
  m.tracing.moves = {{at("S"), at("Sh")}, {at("E"), at("Eh")}, {at("I"), at("Ih")}};
  m.seed_keys = {{"exposed", at("E")}, {"infectious", at("I")}};
  AddInfectionsFlow(m);  // as the reader does
  return m;
}

}  // namespace cordon::sim::testing
