// SPDX-License-Identifier: Apache-2.0
// The time loop of compiled models: steps that never cross a day boundary,
// daily records of totals, flows and per-patch metrics.
#include "cordon/sim/simulation.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>

#include "cordon/base/error.hpp"
#include "cordon/base/worker_pool.hpp"
#include "cordon/sim/patch_chunks.hpp"
#include "cordon/sim/poisson_rk4.hpp"
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

void RunSettings::Validate(int checkpoints) const {
  Validate();
  for (int k : unstaffed_checkpoints)
    if (k < 0 || k >= checkpoints)
      throw InputError("unstaffed checkpoint " + std::to_string(k) + " is not one of the " +
                       std::to_string(checkpoints) + " checkpoints");
}

Summary Summarize(const Model& model, const Eigen::ArrayXXd& series,
                  const std::vector<double>& overflow, double population, double seeded,
                  int villages_infected) {
  const ModelSpec& spec = model.Spec();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Summary s;
  // Persons per resident over the run of flow f (seeded people count as infected at t = 0).
  auto per_person = [&](int f) {
    const int c = f < 0 ? -1 : model.SeriesColumn(spec.flows[std::size_t(f)].name);
    if (c < 0) return nan;
    return population > 0.0 ? (series.col(c).sum() + seeded) / population : 0.0;
  };
  s.attack_rate = per_person(spec.FirstInfectionsFlow());
  s.infections_per_person = per_person(spec.InfectionsFlow());
  const std::vector<int> infected = spec.Infected(), hospital = spec.Hospital();
  s.peak_prevalence = -1.0;
  for (Eigen::Index day = 0; day < series.rows(); ++day) {
    double prevalence = 0.0, in_hospital = 0.0;
    for (int c : infected) prevalence += series(day, c);
    for (int c : hospital) in_hospital += series(day, c);
    if (prevalence > s.peak_prevalence) {
      s.peak_prevalence = prevalence;
      s.peak_day = static_cast<int>(day);
    }
    s.peak_hospital = std::max(s.peak_hospital, in_hospital);
  }
  if (hospital.empty()) s.peak_hospital = nan;
  if (infected.empty()) s.peak_prevalence = nan;
  for (double o : overflow)
    if (o > 1e-9) ++s.days_over_capacity;
  s.villages_infected = villages_infected;
  for (const auto& f : spec.flows) {
    const int c = f.output ? model.SeriesColumn(f.name) : -1;
    if (c < 0) continue;
    FlowSummary fs{f.name, series.col(c).sum(), -1.0, 0};
    if (series.rows() > 0) fs.peak = series.col(c).maxCoeff();
    // The first day at the peak: a plateau (constant imports) is a day's values that differ
    // by rounding alone, whose largest would move with every change of summation order.
    while (fs.peak_day + 1 < series.rows() &&
           series(fs.peak_day, c) < fs.peak - 1e-9 * std::abs(fs.peak))
      ++fs.peak_day;
    s.flows.push_back(fs);
  }
  return s;
}

namespace {

// What a day's record reads: per-patch blocks and region counters, in column order.
struct Columns {
  std::vector<std::string> names, patch_names;
  std::vector<int> blocks;        ///< per column: per-patch block, or -1
  std::vector<int> counters;      ///< per column: region counter of a flow, or -1
  std::vector<int> patch_blocks;  ///< per patch column: block
  std::vector<char> cumulative;   ///< per patch column: a flow (daily = difference)
};

Columns ColumnsOf(const Model& model) {
  const ModelSpec& spec = model.Spec();
  Columns c;
  auto add = [&](const std::string& name, int block, int counter, bool flow) {
    c.names.push_back(name);
    c.blocks.push_back(block);
    c.counters.push_back(counter);
    if (block < 0) return;
    c.patch_names.push_back(name);
    c.patch_blocks.push_back(block);
    c.cumulative.push_back(flow ? 1 : 0);
  };
  for (int k = 0; k < model.Compartments(); ++k) add(spec.compartments[k].name, k, -1, false);
  if (model.HasPopulationState()) add("N", model.PopulationBlock(), -1, false);
  for (int f = 0; f < model.Flows(); ++f)
    if (spec.flows[f].output)
      add(spec.flows[f].name, model.FlowBlock(f), model.FlowCounter(f), true);
  return c;
}

// What a run leaves per patch at its end state y: attack rate and infections per person
// ((flow + seeded) / population), the output flows' totals, the checkpoint counters.
void RecordTotals(const Model& model, const State& y, const Eigen::ArrayXd& seeded,
                  RunResult& out) {
  const ModelSpec& spec = model.Spec();
  const Eigen::ArrayXd& population = model.Net().population;
  // Per patch, flow f over the run plus the seeded, per resident (NaN without f per patch).
  auto per_person = [&](int f) -> Eigen::ArrayXd {
    if (f < 0 || model.FlowBlock(f) < 0)
      return Eigen::ArrayXd::Constant(model.Patches(), std::numeric_limits<double>::quiet_NaN());
    const Eigen::ArrayXd persons = y.Compartment(model.FlowBlock(f)) + seeded;
    return (population > 0.0).select(persons / population, 0.0);
  };
  out.attack_rate = per_person(spec.FirstInfectionsFlow());
  out.infections_per_person = per_person(spec.InfectionsFlow());
  std::vector<int> blocks;
  for (int f = 0; f < model.Flows(); ++f)
    if (spec.flows[std::size_t(f)].output && model.FlowBlock(f) >= 0) {
      out.flow_columns.push_back(spec.flows[std::size_t(f)].name);
      blocks.push_back(model.FlowBlock(f));
    }
  out.flow_totals.resize(model.Patches(), Eigen::Index(blocks.size()));
  for (std::size_t c = 0; c < blocks.size(); ++c)
    out.flow_totals.col(Eigen::Index(c)) = y.Compartment(blocks[c]);
  out.checkpoint_totals = Eigen::ArrayXXd::Zero(model.Checkpoints(), kNumCheckpointCounters);
  for (int c = 0; c < kNumCheckpointCounters; ++c) out.checkpoint_totals.col(c) = y.Checkpoints(c);
  out.flow_region_totals.clear();
  for (int f = 0; f < model.Flows(); ++f)
    out.flow_region_totals.push_back(y.Region(model.FlowCounter(f)));
}

}  // namespace

std::vector<std::string> PatchColumns(const Model& model, std::size_t* state_columns) {
  if (state_columns)
    *state_columns = std::size_t(model.Compartments() + (model.HasPopulationState() ? 1 : 0));
  return ColumnsOf(model).patch_names;
}

RunResult Simulate(const Model& model, const RunSettings& settings, int run,
                   const DayCallback& on_day, int threads, const PatchDayCallback& on_patch_day) {
  settings.Validate(model.Checkpoints());
  const bool stochastic = settings.mode == Mode::kStochastic;
  const ModelSpec& spec = model.Spec();
  const int patches = model.Patches();
  const Columns cols = ColumnsOf(model);
  const std::size_t pcols = cols.patch_blocks.size();

  RunResult out;
  out.columns = cols.names;
  out.patch_columns = cols.patch_names;
  PatchColumns(model, &out.state_columns);
  State y = model.InitialState(stochastic);
  Eigen::ArrayXd seeded;  // as this run seeded (rounded)
  model.Prevalence(y, seeded);
  Workspace ws = model.MakeWorkspace();
  for (int k : settings.unstaffed_checkpoints) ws.seg.unstaffed[std::size_t(k)] = 1;
  ws.count_checkpoints = settings.count_checkpoints;
  // Threads only pay when there is more than one chunk of patches to share.
  std::unique_ptr<WorkerPool> workers;
  if (threads > 1 && ChunkCount(patches) > 1)
    workers = std::make_unique<WorkerPool>(std::min(threads, ChunkCount(patches)));
  ws.workers = workers.get();
  // Only the stepper this run uses holds buffers (each is several states in size).
  // Relocation moves whole flows between patches: Li et al.'s Poisson Runge-Kutta.
  const bool relocation = model.HasPopulationState();
  std::optional<Rk4Stepper> rk4;
  std::optional<TauLeapStepper> tau;
  std::optional<PoissonRk4Stepper> poisson;
  if (!stochastic)
    rk4.emplace(model.Layout());
  else if (relocation)
    poisson.emplace(model, settings.seed, static_cast<std::uint64_t>(run));
  else
    tau.emplace(model, settings.seed, static_cast<std::uint64_t>(run));
  auto derivative = [&](double t, const State& s, State& d, RkStage stage) {
    model.Derivative(t, s, d, ws, stage);
  };

  out.series = Eigen::ArrayXXd::Zero(settings.days + 1, Eigen::Index(cols.names.size()));
  out.peak_day = Eigen::ArrayXi::Zero(patches);
  out.first_infected_day = Eigen::ArrayXi::Constant(patches, -1);
  const int overflow = spec.OverflowFlow();
  out.overflow.assign(std::size_t(settings.days) + 1, 0.0);
  if (settings.record_patch_daily)
    out.patch_daily.assign(std::size_t(settings.days + 1) * pcols * patches, 0.0);
  // Without the whole table, one day's columns at a time for on_patch_day.
  std::vector<double> patch_day;
  if (on_patch_day && !settings.record_patch_daily) patch_day.assign(pcols * patches, 0.0);
  std::vector<double> counter_before(std::size_t(model.Flows()), 0.0);
  Eigen::ArrayXXd block_before = Eigen::ArrayXXd::Zero(patches, Eigen::Index(pcols));
  Eigen::ArrayXd prevalence(patches), peak = Eigen::ArrayXd::Constant(patches, -1.0);

  auto record = [&](int day) {
    for (std::size_t c = 0; c < cols.names.size(); ++c)
      out.series(day, Eigen::Index(c)) =
          cols.counters[c] >= 0
              ? y.Region(cols.counters[c]) - counter_before[std::size_t(cols.counters[c])]
              : y.Compartment(cols.blocks[c]).sum();
    if (overflow >= 0)
      out.overflow[std::size_t(day)] =
          y.Region(model.FlowCounter(overflow)) - counter_before[std::size_t(overflow)];
    for (int f = 0; f < model.Flows(); ++f)
      counter_before[std::size_t(f)] = y.Region(model.FlowCounter(f));
    if (settings.record_patch_daily || on_patch_day) {
      double* slot = settings.record_patch_daily
                         ? out.patch_daily.data() + std::size_t(day) * pcols * patches
                         : patch_day.data();
      for (std::size_t c = 0; c < pcols; ++c) {
        Eigen::Map<Eigen::ArrayXd> dst(slot + c * patches, patches);
        const auto now = y.Compartment(cols.patch_blocks[c]);
        if (cols.cumulative[c]) {
          dst = now - block_before.col(Eigen::Index(c));
          block_before.col(Eigen::Index(c)) = now;
        } else {
          dst = now;
        }
      }
      if (on_patch_day) on_patch_day(day, slot);
    }
    model.Prevalence(y, prevalence);
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
      const double t = double(step) * settings.dt;
      ws.check_rates = true;  // the first stage, at y itself
      if (stochastic && relocation)
        poisson->Step(t, settings.dt, step, y, ws);
      else if (stochastic)
        tau->Step(t, settings.dt, step, y, ws);
      else
        rk4->Step(derivative, t, settings.dt, y, ws.workers);
      model.AfterStep(y);
    }
    record(day);
    if (on_day) on_day(day);
  }

  RecordTotals(model, y, seeded, out);
  return out;
}

}  // namespace cordon::sim
