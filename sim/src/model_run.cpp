// SPDX-License-Identifier: Apache-2.0
// The time loop of compiled models: RK4 steps that never cross a day
// boundary, daily records of totals, flows and per-patch metrics.
#include <cmath>
#include <cstdint>
#include <limits>

#include "cordon/base/error.hpp"
#include "cordon/sim/compiled_model.hpp"
#include "cordon/sim/rk4.hpp"

namespace cordon::sim {

ModelRunResult SimulateModel(const CompiledModel& model, const RunSettings& settings,
                             const DayCallback& on_day) {
  settings.Validate();
  if (settings.mode == Mode::kStochastic)
    throw InputError("simulation.mode: stochastic runs of model '" + model.Spec().name +
                     "' are not supported yet (models from files run deterministic)");
  const ModelSpec& spec = model.Spec();
  const int patches = model.Patches();
  const int compartments = model.Compartments();
  const int states = compartments + (model.HasPopulationState() ? 1 : 0);
  const int flows = model.Flows();

  ModelRunResult out;
  for (const auto& c : spec.compartments) out.columns.push_back(c.name);
  if (model.HasPopulationState()) out.columns.push_back("N");
  for (const auto& f : spec.flows) out.columns.push_back(f.name);
  const int columns = static_cast<int>(out.columns.size());

  State y = model.InitialState();
  const Eigen::ArrayXd seeded = model.SeededPerPatch();
  ModelWorkspace ws = model.MakeWorkspace();
  Rk4Stepper rk4(model.Layout());
  auto derivative = [&](double t, const State& s, State& d) { model.Derivative(t, s, d, ws); };

  out.series = Eigen::ArrayXXd::Zero(settings.days + 1, columns);
  out.peak_day = Eigen::ArrayXi::Zero(patches);
  out.first_infected_day = Eigen::ArrayXi::Constant(patches, -1);
  if (settings.record_patch_daily)
    out.patch_daily.assign(std::size_t(settings.days + 1) * columns * patches, 0.0);
  Eigen::ArrayXXd flow_before = Eigen::ArrayXXd::Zero(patches, flows);
  Eigen::ArrayXd prevalence(patches), peak = Eigen::ArrayXd::Constant(patches, -1.0);

  auto record = [&](int day) {
    double* slot = settings.record_patch_daily
                       ? out.patch_daily.data() + std::size_t(day) * columns * patches
                       : nullptr;
    for (int c = 0; c < states; ++c) {
      out.series(day, c) = y.Compartment(c).sum();
      if (slot)
        Eigen::Map<Eigen::ArrayXd>(slot + std::size_t(c) * patches, patches) = y.Compartment(c);
    }
    for (int f = 0; f < flows; ++f) {
      const auto cumulative = y.Compartment(model.FlowBlock(f));
      const Eigen::ArrayXd daily = cumulative - flow_before.col(f);
      flow_before.col(f) = cumulative;
      out.series(day, states + f) = daily.sum();
      if (slot)
        Eigen::Map<Eigen::ArrayXd>(slot + std::size_t(states + f) * patches, patches) = daily;
    }
    prevalence.setZero();
    for (int c = 0; c < compartments; ++c)
      if (spec.compartments[c].infected) prevalence += y.Compartment(c);
    for (int i = 0; i < patches; ++i) {
      if (prevalence[i] > peak[i]) {
        peak[i] = prevalence[i];
        out.peak_day[i] = day;
      }
      if (out.first_infected_day[i] < 0 && prevalence[i] >= 1.0) out.first_infected_day[i] = day;
    }
  };

  record(0);
  const int steps_per_day = settings.StepsPerDay();
  std::int64_t step = 0;
  for (int day = 1; day <= settings.days; ++day) {
    ws.day = day - 1;
    for (int s = 0; s < steps_per_day; ++s, ++step) {
      rk4.Step(derivative, double(step) * settings.dt, settings.dt, y);
      model.AfterStep(y);
    }
    record(day);
    if (on_day) on_day(day);
  }

  const Eigen::ArrayXd& population = model.Net().population;
  const int incidence = spec.FlowIndex("incidence");
  if (incidence >= 0)
    out.attack_rate =
        (population > 0.0)
            .select((y.Compartment(model.FlowBlock(incidence)) + seeded) / population, 0.0);
  else
    out.attack_rate = Eigen::ArrayXd::Constant(patches, std::numeric_limits<double>::quiet_NaN());
  return out;
}

}  // namespace cordon::sim
