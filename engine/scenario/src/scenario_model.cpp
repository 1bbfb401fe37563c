// SPDX-License-Identifier: Apache-2.0
#include "scenario_model.hpp"

#include <sstream>

#include "cordon/scenario/model_file.hpp"

namespace cordon::scenario {

void ParseModelKey(const Reader& r, const YAML::Node& root, Scenario& s) {
  const YAML::Node m = root["model"];
  if (m && (!m.IsScalar() || m.Scalar().empty()))
    r.Fail(m, "model", "expected a bundled model name or a model file path");
  s.model = m ? m.Scalar() : "cordon";
  try {
    s.model_spec = LoadModel(s.model, r.File());
  } catch (const InputError& e) {
    // A bad name is the scenario's error; a bad file names its own place.
    if (BundledModelText(s.model) == nullptr && std::string(e.what()).rfind("model '", 0) == 0)
      r.Fail(m, "model", e.what());
    throw;
  }
}

void ParseModelDisease(const Reader& r, const YAML::Node& map, Scenario& s) {
  r.RequireMap(map, "disease");
  sim::ModelSpec& m = s.model_spec;
  for (const auto& kv : map) {
    const std::string name = kv.first.Scalar();
    const std::string key = "disease." + name;
    const int p = m.ParameterIndex(name);
    if (p < 0) {
      std::string names;
      for (const auto& x : m.parameters) names += (names.empty() ? "" : ", ") + x.name;
      r.Fail(kv.first, key,
             "model " + m.name + " has no parameter '" + name + "' (it has: " + names + ")");
    }
    sim::ParameterSpec& spec = m.parameters[std::size_t(p)];
    spec.value = r.Number(map, name.c_str(), "disease", spec.value, spec.min, spec.max);
    spec.set = true;
  }
}

void SetModelParameter(const Reader& r, const YAML::Node& map, const char* key,
                       const std::string& path, const std::string& name, Scenario& s) {
  const int p = s.model_spec.ParameterIndex(name);
  if (p < 0)
    r.Fail(map[key], Reader::Join(path, key),
           "model " + s.model_spec.name + " has no parameter '" + name + "'");
  sim::ParameterSpec& spec = s.model_spec.parameters[std::size_t(p)];
  spec.value = r.Number(map, key, path, spec.value, spec.min, spec.max);
  spec.set = true;
}

void ParseModelSeeds(const Reader& r, const YAML::Node& list, Scenario& s) {
  r.RequireList(list, "seed_infections");
  const sim::ModelSpec& m = s.model_spec;
  for (std::size_t n = 0; n < list.size(); ++n) {
    const std::string path = "seed_infections[" + std::to_string(n) + "]";
    const YAML::Node e = list[n];
    r.RequireMap(e, path);
    SeedSpec spec;
    spec.where = r.Ref(e, path);
    spec.village = r.RequiredText(e, "village", path);
    for (const auto& kv : e) {
      const std::string key = kv.first.Scalar();
      if (key == "village") continue;
      if (key == "spread_by_travel") {
        spec.spread_by_travel = r.Number(e, "spread_by_travel", path, 0.0, 0.0);
        continue;
      }
      int c = m.CompartmentIndex(key);
      for (const auto& [alias, compartment] : m.seed_keys)
        if (alias == key) c = compartment;
      if (c < 0) {
        std::string names;
        for (const auto& [alias, compartment] : m.seed_keys) names += ", " + alias;
        for (const auto& x : m.compartments) names += ", " + x.name;
        r.Fail(kv.first, path + "." + key,
               "unknown key '" + key + "' (expected village, spread_by_travel or, for model " +
                   m.name + names + ")");
      }
      if (c == m.initial)
        r.Fail(kv.first, path + "." + key,
               "seeds are moved out of " + key + " (the model's initial compartment)");
      spec.persons.emplace_back(c, r.Number(e, key.c_str(), path, 0.0, 0.0));
    }
    s.seeds.push_back(spec);
  }
}

void CheckModelKeys(const Reader& r, const YAML::Node& root, const Scenario& s) {
  sim::ScenarioNeeds needs;
  needs.imports = !s.imports.empty();
  needs.route_checkpoints =
      !s.route_csvs.empty() || !s.geo.cordons.empty() || !s.geo.checkpoint_layers.empty();
  needs.external_trips = s.external_trips.Enabled();
  needs.travel_reductions = !s.travel_reductions.empty();
  needs.gis_region = s.geo.enabled;
  needs.tracing = s.policies.tracing.enabled;
  // The rules are sim's (Model applies the same list); here they get the file and line.
  for (const sim::Incompatibility& broken : sim::Incompatibilities(s.model_spec, needs)) {
    const std::string head = broken.key.substr(0, broken.key.find('.'));
    r.Fail(root[head], broken.key, broken.reason);
  }
}

}  // namespace cordon::scenario
