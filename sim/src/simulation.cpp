// SPDX-License-Identifier: Apache-2.0
#include "cordon/sim/simulation.hpp"

#include <cmath>
#include <sstream>

#include "cordon/base/error.hpp"
#include "cordon/sim/rk4.hpp"
#include "cordon/sim/tau_leap.hpp"

namespace cordon::sim {

int RunSettings::StepsPerDay() const { return static_cast<int>(std::lround(1.0 / dt)); }

void RunSettings::Validate() const {
  auto fail = [](const std::string& key, const std::string& what, double v) {
    std::ostringstream msg;
    msg << "simulation." << key << ": " << what << ", got " << v;
    throw InputError(msg.str());
  };
  if (days < 1 || days > 100000) fail("days", "must be a whole number of days in 1..100000", days);
  if (!(dt > 0.0 && dt <= 1.0)) fail("dt", "must be in (0, 1] days", dt);
  if (std::abs(StepsPerDay() * dt - 1.0) > 1e-9)
    fail("dt", "must divide one day evenly (1/dt a whole number)", dt);
  if (runs < 1 || runs > 1000000) fail("runs", "must be in 1..1000000", runs);
}

std::string_view SeriesColumnName(int column) {
  static constexpr std::string_view kCounters[] = {"incidence", "detections", "imports",
                                                   "turned_back"};
  return column < kNumCompartments ? kCompartmentNames[column]
                                   : kCounters[column - kNumCompartments];
}

RunResult Simulate(const Model& model, const RunSettings& settings, int run,
                   const DayCallback& on_day) {
  settings.Validate();
  const bool stochastic = settings.mode == Mode::kStochastic;
  const int patches = model.Patches();
  const int steps_per_day = settings.StepsPerDay();
  const double dt = settings.dt;

  State y = model.InitialState(stochastic);
  // What this run seeded (rounded in stochastic runs), for its attack rates.
  const Eigen::ArrayXd seeded = y.Compartment(kE) + y.Compartment(kI);
  Workspace ws = model.MakeWorkspace();
  Rk4Stepper rk4(model.Layout());
  TauLeapStepper tau(model, settings.seed, static_cast<std::uint64_t>(run));
  auto derivative = [&](double t, const State& s, State& d) { model.Derivative(t, s, d, ws); };

  RunResult out;
  out.series = Eigen::ArrayXXd::Zero(settings.days + 1, kNumSeriesColumns);
  out.overflow.assign(settings.days + 1, 0.0);
  out.peak_day = Eigen::ArrayXi::Zero(patches);
  out.first_infected_day = Eigen::ArrayXi::Constant(patches, -1);
  Eigen::ArrayXd prevalence(patches), peak = Eigen::ArrayXd::Constant(patches, -1.0);
  double counters_before[kNumRegionCounters] = {};

  if (settings.record_patch_daily)
    out.patch_daily.resize(std::size_t(settings.days + 1) * kNumCompartments * patches);
  auto record = [&](int day) {
    for (int c = 0; c < kNumCompartments; ++c) out.series(day, c) = y.Compartment(c).sum();
    if (settings.record_patch_daily) {
      float* slot = out.patch_daily.data() + (std::size_t(day) * kNumCompartments) * patches;
      for (int c = 0; c < kNumCompartments; ++c, slot += patches)
        Eigen::Map<Eigen::ArrayXf>(slot, patches) = y.Compartment(c).cast<float>();
    }
    static constexpr int kFromCounter[] = {kIncidenceColumn, kDetectionsColumn, kImportsColumn,
                                           kTurnedBackColumn};
    for (int k = 0; k < 4; ++k) {
      out.series(day, kFromCounter[k]) = y.Region(k) - counters_before[k];
      counters_before[k] = y.Region(k);
    }
    out.overflow[day] = y.Region(kOverflowCount) - counters_before[kOverflowCount];
    counters_before[kOverflowCount] = y.Region(kOverflowCount);
    prevalence = y.Compartment(kE) + y.Compartment(kI) + y.Compartment(kEh) + y.Compartment(kIh) +
                 y.Compartment(kEc) + y.Compartment(kIc);
    for (int i = 0; i < patches; ++i) {
      if (prevalence[i] > peak[i]) {
        peak[i] = prevalence[i];
        out.peak_day[i] = day;
      }
      if (out.first_infected_day[i] < 0 && prevalence[i] >= 1.0) out.first_infected_day[i] = day;
    }
  };

  record(0);
  std::int64_t step = 0;
  for (int day = 1; day <= settings.days; ++day) {
    for (int s = 0; s < steps_per_day; ++s, ++step) {
      const double t = double(step) * dt;
      if (stochastic)
        tau.Step(t, dt, step, y, ws);
      else
        rk4.Step(derivative, t, dt, y);
    }
    record(day);
    if (on_day) on_day(day);
  }

  const Eigen::ArrayXd& population = model.Net().population;
  out.attack_rate = (population > 0.0).select((y.PatchIncidence() + seeded) / population, 0.0);
  out.checkpoint_totals = Eigen::ArrayXXd::Zero(model.Checkpoints(), kNumCheckpointCounters);
  for (int c = 0; c < kNumCheckpointCounters; ++c) out.checkpoint_totals.col(c) = y.Checkpoints(c);
  return out;
}

Summary Summarize(const Eigen::ArrayXXd& series, const std::vector<double>& overflow,
                  double population, double seeded, int villages_infected) {
  Summary s;
  const double infected = series.col(kIncidenceColumn).sum() + seeded;
  s.attack_rate = population > 0.0 ? infected / population : 0.0;
  s.peak_prevalence = -1.0;
  for (Eigen::Index day = 0; day < series.rows(); ++day) {
    double prevalence = 0.0;
    for (int c = 0; c < kNumCompartments; ++c)
      if (IsPrevalent(c)) prevalence += series(day, c);
    if (prevalence > s.peak_prevalence) {
      s.peak_prevalence = prevalence;
      s.peak_day = static_cast<int>(day);
    }
    s.peak_hospital = std::max(s.peak_hospital, series(day, kH));
  }
  for (double o : overflow)
    if (o > 1e-9) ++s.days_over_capacity;
  s.villages_infected = villages_infected;
  return s;
}

}  // namespace cordon::sim
