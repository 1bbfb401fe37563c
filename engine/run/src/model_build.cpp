// SPDX-License-Identifier: Apache-2.0
#include "cordon/engine/model_build.hpp"

#include <string>

#include "cordon/base/error.hpp"
#include "cordon/scenario/scenario_inputs.hpp"

namespace cordon::engine {

namespace {

// Names the scenario file in an error that names no input file (model validation names
// keys and ids only); an error that knows its file goes on as it is.
[[noreturn]] void RethrowNamingFile(const InputError& e, const scenario::Scenario& scenario) {
  if (e.Where()) throw e;
  throw InputError(SourceRef{scenario.file}, e.what());
}

}  // namespace

sim::ModelInputs BuildScenarioInputs(const scenario::Scenario& scenario, int threads,
                                     std::optional<geo::Geography>* geography,
                                     const geo::StageCallback& on_stage) {
  try {
    if (!scenario.geo.enabled) return scenario::BuildModelInputs(scenario, threads);
    geo::GeoModel geo = BuildGeoModel(scenario.geo, threads, on_stage);
    sim::ModelInputs inputs;
    inputs.network = std::move(geo.network);
    geo::IdIndex index;
    for (int p = 0; p < inputs.network.Patches(); ++p) index.emplace(inputs.network.ids[p], p);
    scenario::AddScenarioInputs(scenario, index, inputs);
    if (geography) *geography = std::move(geo.geography);
    return inputs;
  } catch (const InputError& e) {
    RethrowNamingFile(e, scenario);
  }
}

ScenarioNetwork BuildScenarioNetwork(const scenario::Scenario& scenario, int threads) {
  try {
    ScenarioNetwork out;
    if (!scenario.geo.enabled) {
      out.inputs = scenario::BuildNetworkInputs(scenario, threads);
      return out;
    }
    geo::GeoModel geo = BuildGeoModel(scenario.geo, threads);
    out.inputs.network = std::move(geo.network);
    return out;
  } catch (const InputError& e) {
    RethrowNamingFile(e, scenario);
  }
}

sim::Model BuildScenarioModel(const scenario::Scenario& scenario, const ScenarioNetwork& network) {
  try {
    sim::ModelInputs inputs = network.inputs;
    geo::IdIndex index;
    for (int p = 0; p < inputs.network.Patches(); ++p) index.emplace(inputs.network.ids[p], p);
    scenario::AddScenarioInputs(scenario, index, inputs);
    return sim::Model(scenario.model_spec, std::move(inputs));
  } catch (const InputError& e) {
    RethrowNamingFile(e, scenario);
  }
}

std::string NetworkKey(const std::vector<std::string>& overrides) {
  // Conservative: anything under these keys may change the network or its validation.
  static const char* const kNetworkKeys[] = {"region", "mobility", "checkpoints", "model",
                                             "simulation.start_date"};
  std::string key;
  for (const auto& o : overrides)
    for (const char* k : kNetworkKeys) {
      const std::string prefix(k);
      if (o.compare(0, prefix.size(), prefix) == 0 &&
          (o.size() == prefix.size() || o[prefix.size()] == '.' || o[prefix.size()] == '[' ||
           o[prefix.size()] == '='))
        key += o + "\n";
    }
  return key;
}

sim::Model BuildScenarioModel(const scenario::Scenario& scenario, int threads,
                              std::optional<geo::Geography>* geography,
                              const geo::StageCallback& on_stage) {
  sim::ModelInputs inputs = BuildScenarioInputs(scenario, threads, geography, on_stage);
  try {
    return sim::Model(scenario.model_spec, std::move(inputs));
  } catch (const InputError& e) {
    RethrowNamingFile(e, scenario);
  }
}

}  // namespace cordon::engine
