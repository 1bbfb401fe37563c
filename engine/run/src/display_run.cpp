// SPDX-License-Identifier: Apache-2.0
#include "cordon/engine/display_run.hpp"

#include "cordon/engine/model_build.hpp"
#include "point_region.hpp"

namespace cordon::engine {

DisplayRun RunForDisplay(const RunConfig& config, const Progress& progress) {
  return RunForDisplay(scenario::LoadScenario(config.scenario, config.overrides), config.threads,
                       progress);
}

DisplayRun RunForDisplay(scenario::Scenario scenario, int threads, const Progress& progress) {
  DisplayRun out;
  out.scenario = std::move(scenario);
  sim::Model model = BuildScenarioModel(out.scenario, threads, &out.geography);
  out.scenario.simulation.record_patch_daily = true;
  out.result = sim::RunEnsemble(model, out.scenario.simulation, threads, progress);
  out.network = model.Net();
  out.beds = model.Beds();
  // Network tables with coordinates: villages drawn as discs sized by population.
  if (!out.geography) out.geography = PointGeography(out.scenario, out.network);
  return out;
}

}  // namespace cordon::engine
