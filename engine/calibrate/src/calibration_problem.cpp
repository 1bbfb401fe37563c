// SPDX-License-Identifier: Apache-2.0
#include "calibration_problem.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "cordon/base/csv_table.hpp"
#include "cordon/base/error.hpp"
#include "cordon/engine/model_build.hpp"
#include "cordon/geo/od_table.hpp"

namespace cordon::calibrate {
namespace {

// Regularized lower incomplete gamma P(a, x): its series below a + 1, else the
// continued fraction of Q = 1 - P (modified Lentz).
double LowerGammaRatio(double a, double x) {
  if (x <= 0.0) return 0.0;
  const double front = std::exp(-x + a * std::log(x) - std::lgamma(a));
  if (x < a + 1.0) {
    double term = 1.0 / a, sum = term;
    for (int n = 1; n < 10000 && term > sum * 1e-16; ++n) {
      term *= x / (a + n);
      sum += term;
    }
    return std::min(1.0, sum * front);
  }
  const double tiny = 1e-300;
  double b = x + 1.0 - a, c = 1.0 / tiny, d = 1.0 / b, h = d;
  for (int i = 1; i < 10000; ++i) {
    const double an = -i * (i - a);
    b += 2.0;
    d = an * d + b;
    if (std::abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (std::abs(c) < tiny) c = tiny;
    d = 1.0 / d;
    const double step = d * c;
    h *= step;
    if (std::abs(step - 1.0) < 1e-16) break;
  }
  return std::max(0.0, 1.0 - front * h);
}

// Checkpoint counters an observation may name when the model has no flow of that name, or
// always as `checkpoints.NAME` (the default model has a region flow turned_back).
constexpr std::pair<const char*, int> kCounters[] = {
    {"monitored", sim::kMonitoredCount},
    {"turned_back", sim::kCheckpointTurnedBackCount},
    {"detected", sim::kCheckpointDetectedCount}};

// The model's flow, compartment or checkpoint counter named by observation `o`.
ObservedSeries ResolveQuantity(const sim::Model& model, const scenario::ObservationSpec& o) {
  const sim::ModelSpec& spec = model.Spec();
  ObservedSeries s;
  const std::string prefix = "checkpoints.";
  if (o.flow.compare(0, prefix.size(), prefix) == 0) {
    for (const auto& [name, counter] : kCounters)
      if (o.flow.substr(prefix.size()) == name && model.Checkpoints() > 0)
        return (s.counter = counter), s;
    throw InputError(
        o.where.Describe() + ".flow: '" + o.flow + "' is not a counter of " +
        (model.Checkpoints() > 0 ? "the checkpoints" : "any checkpoint: there are none") +
        " (checkpoints.monitored, checkpoints.turned_back, checkpoints.detected)");
  }
  if ((s.flow = spec.FlowIndex(o.flow)) >= 0) return s;
  if ((s.compartment = spec.CompartmentIndex(o.flow)) >= 0) {
    if (o.delay_mean > 0.0)
      throw InputError(o.where.Describe() + ".delay: " + o.flow +
                       " is a compartment (persons present), not a count of events");
    return s;
  }
  for (const auto& [name, counter] : kCounters)
    if (o.flow == name && model.Checkpoints() > 0) return (s.counter = counter), s;
  std::string known;
  for (const auto& f : spec.flows) known += (known.empty() ? "" : ", ") + f.name;
  for (const auto& c : spec.compartments) known += (known.empty() ? "" : ", ") + c.name;
  if (model.Checkpoints() > 0) known += ", monitored, turned_back, detected";
  throw InputError(o.where.Describe() + ".flow: model " + spec.name + " has no flow or " +
                   "compartment '" + o.flow + "' (it has " + known + ")");
}

// What an id of an observation table names: patches (a village id, or every village whose
// id begins with a parent admin code), checkpoints for a counter (one id, or every checkpoint of
// a level: `level:county`); empty for `all`.
class IdResolver {
 public:
  IdResolver(const sim::Network& net, const ObservedSeries& kind) : net_(net), kind_(kind) {}

  /// The members of `id`; throws InputError at `where` for an unknown one.
  const std::vector<int>& Members(const std::string& id, const std::string& where) {
    const auto found = cache_.find(id);
    if (found != cache_.end()) return found->second;
    std::vector<int> members;
    if (id != "all") {
      const auto& ids = kind_.counter >= 0 ? CheckpointIds() : net_.ids;
      for (std::size_t i = 0; i < ids.size(); ++i)
        if (ids[i] == id) members = {int(i)};
      const std::string level = "level:";
      if (kind_.counter >= 0 && id.compare(0, level.size(), level) == 0)
        for (std::size_t k = 0; k < net_.checkpoints.size(); ++k)
          if (net_.checkpoints[k].level == id.substr(level.size())) members.push_back(int(k));
      if (members.empty() && kind_.counter < 0)
        for (std::size_t i = 0; i < ids.size(); ++i)
          if (ids[i].size() > id.size() && ids[i].compare(0, id.size(), id) == 0)
            members.push_back(int(i));
      if (members.empty())
        throw InputError(SourceRef{where},
                         "unknown id '" + id + "' (" +
                             (kind_.counter >= 0 ? "a checkpoint id, level:LEVEL of some checkpoint"
                                                 : "a village id, a parent admin code its village "
                                                   "ids begin with") +
                             ", or all)");
    }
    return cache_.emplace(id, std::move(members)).first->second;
  }

 private:
  const std::vector<std::string>& CheckpointIds() {
    if (checkpoint_ids_.empty())
      for (const auto& c : net_.checkpoints) checkpoint_ids_.push_back(c.id);
    return checkpoint_ids_;
  }
  const sim::Network& net_;
  const ObservedSeries& kind_;
  std::vector<std::string> checkpoint_ids_;
  std::map<std::string, std::vector<int>> cache_;
};

// The day of row r of an observation table (days from the scenario's day 0).
long RowDay(const CsvTable& t, std::size_t r, int column, bool dated, const std::string& start) {
  if (!dated) {
    const double d = t.Number(r, column);
    if (d != std::floor(d) || std::abs(d) > 1e7)
      throw InputError(t.Ref(r, column), "expected a whole day number");
    return long(d);
  }
  const auto date = geo::DayNumber(t.Text(r, column));
  if (!date)
    throw InputError(t.Ref(r, column),
                     "expected a date YYYY-MM-DD, got '" + std::string(t.Text(r, column)) + "'");
  if (start.empty())
    throw InputError(t.Ref(r, column), "dates need the scenario's simulation.start_date");
  return *date - *geo::DayNumber(start);
}

// Rows of one observation table -> one series per id.
void ReadObservation(const CalibrationProblem& p, int index, std::vector<ObservedSeries>& out) {
  const scenario::ObservationSpec& o = p.spec.observations[std::size_t(index)];
  const sim::Model& model = *p.model;
  const ObservedSeries kind = ResolveQuantity(model, o);
  IdResolver ids(model.Net(), kind);
  const CsvTable t = CsvTable::Read(o.csv);
  const bool dated = !o.date_column.empty();
  const int day_col = dated ? t.Require(o.date_column) : t.Require(o.day_column);
  // cordon's own tables read as they are: series.csv has no id column (the region total)
  // and, like daily.csv, a column per flow instead of `value`.
  const bool region_table = o.id_column == "id" && t.Find("id") < 0;
  const int id_col = region_table ? -1 : t.Require(o.id_column);
  const int value_col = o.value_column == "value" && t.Find("value") < 0 && t.Find(o.flow) >= 0
                            ? t.Find(o.flow)
                            : t.Require(o.value_column);
  static const std::string kRegion = "all";
  const int sim_days = p.scenario.simulation.days;
  std::map<std::string, std::map<int, double>> by_id;  // id -> day -> value
  std::vector<std::string> order;                      // ids in order of first appearance
  for (std::size_t r = 0; r < t.Rows(); ++r) {
    const long day = RowDay(t, r, day_col, dated, p.spec.start_date);
    if (day < o.first_day || day > o.last_day) continue;  // outside the window: not used
    if (day < 0 || day > sim_days)
      throw InputError(t.Ref(r, day_col),
                       "day " + std::to_string(day) + " is outside the simulation (days 0.." +
                           std::to_string(sim_days) + "); set a window: or simulation.days");
    const std::string id = id_col < 0 ? kRegion : std::string(t.Text(r, id_col));
    const std::vector<int>& members = ids.Members(id, t.Where(r, std::max(id_col, 0)));
    if (!members.empty() && kind.flow >= 0 && model.FlowBlock(kind.flow) < 0)
      throw InputError(
          t.Ref(r, id_col),
          o.flow + " is counted for the whole region only (per_patch: false): use id all");
    const double v = t.Number(r, value_col);
    if (!(v >= 0.0) || !std::isfinite(v))
      throw InputError(t.Ref(r, value_col), "a reported value must be a number >= 0, got '" +
                                                std::string(t.Text(r, value_col)) + "'");
    if (!by_id.count(id)) order.push_back(id);
    if (!by_id[id].emplace(int(day), v).second)
      throw InputError(t.Ref(r, day_col),
                       "a second value for id '" + id + "' on day " + std::to_string(day));
  }
  if (order.empty())
    throw InputError(o.where.Describe() + ": no observations" +
                     (o.window_text.empty() ? "" : " in the window " + o.window_text) + " in " +
                     o.csv);
  for (const std::string& id : order) {
    ObservedSeries s = kind;
    s.observation = index;
    s.id = id;
    (kind.counter >= 0 ? s.checkpoints : s.patches) = ids.Members(id, o.csv);
    s.observed.assign(std::size_t(sim_days), kNaN);
    s.span_start.resize(std::size_t(sim_days));
    for (int d = 0; d < sim_days; ++d) s.span_start[std::size_t(d)] = d;
    double before = 0.0;
    int previous = -1;  // the step of the last running total (-1: the start of the run)
    bool first = true;
    for (const auto& [day, v] : by_id[id]) {
      // Day 0 is the initial state: nothing of the run to compare (a running total there is
      // the baseline of the next).
      const int step = StepOfDay(day);
      if (!o.cumulative) {
        if (step >= 0) s.observed[std::size_t(step)] = v;
      } else {
        // A running total: the first value is a baseline unless the totals run from the
        // start; each value counts the steps since the last one.
        if (step >= 0 && (!first || o.since_start)) {
          s.observed[std::size_t(step)] = std::max(0.0, v - before);
          s.span_start[std::size_t(step)] = previous + 1;
        }
        before = v;
        previous = step;
      }
      first = false;
    }
    out.push_back(std::move(s));
  }
}

// Per patch: itself and every patch it has travel with, in either direction, on any day.
std::vector<std::vector<int>> Neighbours(const sim::ModelInputs& in) {
  const int n = in.network.Patches();
  std::vector<std::set<int>> sets(static_cast<std::size_t>(n));
  auto add = [&](const sim::TripMatrix& m) {
    for (int i = 0; i < m.outerSize(); ++i)
      for (sim::TripMatrix::InnerIterator e(m, i); e; ++e)
        if (e.value() != 0.0) {
          sets[std::size_t(i)].insert(int(e.col()));
          sets[std::size_t(e.col())].insert(i);
        }
  };
  if (!in.travellers.empty())
    for (const auto& day : in.travellers) add(day);
  else
    add(in.network.trips);
  std::vector<std::vector<int>> out(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    sets[std::size_t(i)].insert(i);
    out[std::size_t(i)].assign(sets[std::size_t(i)].begin(), sets[std::size_t(i)].end());
  }
  return out;
}

// A calibrated seed key seed_infections[K].X -> (K, compartment of X).
std::pair<int, int> SeedKey(const scenario::CalibratedParameter& q, const sim::ModelSpec& spec) {
  const std::size_t close = q.key.find(']');
  const int k = std::stoi(q.key.substr(16, close - 16));
  const std::string name = q.key.substr(close + 2);
  int c = spec.CompartmentIndex(name);
  for (const auto& [alias, compartment] : spec.seed_keys)
    if (alias == name) c = compartment;
  if (c < 0) throw InputError(q.where.Describe() + ": no compartment or seed key '" + name + "'");
  return {k, c};
}

// A model parameter that a compiled model cannot vary (a commuting model's visit days,
// compiled into its checkpoints) is a scenario key to rebuild the model with (mle only).
void CheckRuntimeParameters(CalibrationProblem& p) {
  sim::Workspace ws = p.model->MakeWorkspace();
  for (int q = 0; q < p.Parameters(); ++q) {
    const int index = p.model_parameter[std::size_t(q)];
    if (index < 0) continue;
    std::vector<double> values(p.model->Spec().parameters.size(), kNaN);
    values[std::size_t(index)] = p.spec.parameters[std::size_t(q)].low;
    try {
      p.model->SetParameters(values, ws);
    } catch (const InputError&) {
      if (p.spec.method.kind == scenario::CalibrationMethod::kIfEakf)
        throw InputError(p.spec.parameters[std::size_t(q)].where.Describe() +
                         ": cannot be calibrated by if-eakf (it sets the model's mobility "
                         "scale, fixed once compiled); use method mle");
      p.model_parameter[std::size_t(q)] = -1;
    }
  }
}

}  // namespace

std::vector<double> CalibrationProblem::ModelValues(const double* theta) const {
  std::vector<double> v(model->Spec().parameters.size(), kNaN);
  for (int q = 0; q < Parameters(); ++q)
    if (model_parameter[std::size_t(q)] >= 0)
      v[std::size_t(model_parameter[std::size_t(q)])] = theta[q];
  return v;
}

sim::State CalibrationProblem::InitialState(const sim::Model& m, const double* theta) const {
  sim::State y = &m == &*model ? initial : m.InitialState();
  const int from = m.Spec().initial;
  for (int q = 0; q < Parameters(); ++q) {
    const int c = seed_compartment[std::size_t(q)];
    if (c < 0) continue;
    const Eigen::ArrayXd moved = (theta[q] * seed_share[std::size_t(q)]).min(y.Compartment(from));
    y.Compartment(from) -= moved;
    y.Compartment(c) += moved;
  }
  return y;
}

bool CalibrationProblem::Rebuilds() const {
  for (int q = 0; q < Parameters(); ++q)
    if (model_parameter[std::size_t(q)] < 0 && seed_compartment[std::size_t(q)] < 0) return true;
  return false;
}

sim::Model CalibrationProblem::BuildModel(const double* theta) const {
  std::vector<std::string> overrides = base_overrides;
  for (int q = 0; q < Parameters(); ++q)
    if (model_parameter[std::size_t(q)] < 0 && seed_compartment[std::size_t(q)] < 0)
      overrides.push_back(names[std::size_t(q)] + "=" + FormatNumber(theta[q]));
  const scenario::Scenario s = scenario::LoadScenario(spec.scenario, overrides);
  sim::Model m(s.model_spec, engine::BuildScenarioInputs(s, 1));
  if (m.Layout().Size() != initial.layout.Size() || m.Patches() != initial.layout.patches)
    throw InputError(spec.file +
                     ": a calibrated key changes the scenario's villages or "
                     "checkpoints; calibrate values, not structure");
  return m;
}

std::vector<double> DelayDistribution(double mean, double shape, int days) {
  std::vector<double> p(std::size_t(std::max(days, 1)), 0.0);
  const double scale = mean / shape;
  double below = 0.0;
  for (int j = 1; j < days; ++j) {
    const double cdf = LowerGammaRatio(shape, j / scale);
    p[std::size_t(j)] = std::max(0.0, cdf - below);
    below = cdf;
  }
  return p;
}

double SeriesValue(const CalibrationProblem& p, const ObservedSeries& s, const sim::State& before,
                   const sim::State& after) {
  const sim::Model& m = *p.model;
  if (s.counter >= 0) {
    const auto diff = after.Checkpoints(s.counter) - before.Checkpoints(s.counter);
    if (s.checkpoints.empty()) return diff.sum();
    double v = 0.0;
    for (int k : s.checkpoints) v += diff[k];
    return v;
  }
  if (s.compartment >= 0) {
    if (s.patches.empty()) return after.Compartment(s.compartment).sum();
    double v = 0.0;
    for (int i : s.patches) v += after.Compartment(s.compartment)[i];
    return v;
  }
  if (s.patches.empty())
    return after.Region(m.FlowCounter(s.flow)) - before.Region(m.FlowCounter(s.flow));
  const int b = m.FlowBlock(s.flow);
  double v = 0.0;
  for (int i : s.patches) v += after.Compartment(b)[i] - before.Compartment(b)[i];
  return v;
}

CalibrationProblem LoadProblem(const scenario::CalibrationSpec& spec, int threads) {
  CalibrationProblem p;
  p.spec = spec;
  p.base_overrides = spec.set;
  for (const auto& q : spec.parameters)
    if (q.key.rfind("seed_infections[", 0) == 0) p.base_overrides.push_back(q.key + "=0");
  p.scenario = scenario::LoadScenario(spec.scenario, p.base_overrides);
  sim::ModelInputs in = engine::BuildScenarioInputs(p.scenario, threads);
  p.neighbours = Neighbours(in);
  const sim::ModelSpec& ms = p.scenario.model_spec;
  for (const auto& q : spec.parameters) {
    p.names.push_back(q.key);
    const bool seed = q.key.rfind("seed_infections[", 0) == 0;
    const bool disease = q.key.rfind("disease.", 0) == 0;
    p.model_parameter.push_back(disease ? ms.ParameterIndex(q.key.substr(8)) : -1);
    p.seed_compartment.push_back(-1);
    p.seed_share.emplace_back();
    if (!seed) continue;
    const auto [k, c] = SeedKey(q, ms);
    const scenario::SeedSpec& s = p.scenario.seeds.at(std::size_t(k));
    const auto& ids = in.network.ids;
    const auto it = std::find(ids.begin(), ids.end(), s.village);
    if (it == ids.end())
      throw InputError(s.where.Describe() + ".village: unknown village id '" + s.village + "'");
    const int v = int(it - ids.begin());
    Eigen::ArrayXd share = Eigen::ArrayXd::Zero(in.network.Patches());
    share[v] = 1.0;
    // Li et al.'s rule as AddSeeds applies it, before rounding (a share, not persons).
    if (s.spread_by_travel > 0.0 && !in.travellers.empty() && in.network.population[v] > 0.0)
      for (sim::TripMatrix::InnerIterator e(in.travellers.front(), v); e; ++e)
        share[e.col()] += s.spread_by_travel * e.value() / in.network.population[v];
    p.seed_compartment.back() = c;
    p.seed_share.back() = share;
  }
  p.model.emplace(ms, std::move(in));
  p.initial = p.model->InitialState();
  CheckRuntimeParameters(p);
  for (int o = 0; o < int(spec.observations.size()); ++o) ReadObservation(p, o, p.series);
  for (const std::string& id : spec.states) {
    const auto& ids = p.model->Net().ids;
    const auto at = std::find(ids.begin(), ids.end(), id);
    if (at == ids.end())
      throw InputError(spec.states_where.Describe() + ": unknown village id '" + id + "'");
    p.state_patches.push_back(int(at - ids.begin()));
  }
  for (auto& s : p.series) {
    std::set<int> local;
    for (int i : s.patches)
      local.insert(p.neighbours[std::size_t(i)].begin(), p.neighbours[std::size_t(i)].end());
    s.local.assign(local.begin(), local.end());
  }
  for (const auto& s : p.series)
    for (int d = 0; d < int(s.observed.size()); ++d) {
      if (std::isnan(s.observed[std::size_t(d)])) continue;
      p.days = std::max(p.days, d + 1);
      // The filter assimilates each day as it comes; a total over several days is mle's.
      if (s.span_start[std::size_t(d)] < d &&
          spec.method.kind == scenario::CalibrationMethod::kIfEakf)
        throw InputError(spec.observations[std::size_t(s.observation)].where.Describe() +
                         ": running totals " +
                         std::to_string(d - s.span_start[std::size_t(d)] + 1) + " days apart (id " +
                         s.id + ", day " + std::to_string(DayOfStep(d)) +
                         ") need method mle; if-eakf takes daily values");
    }
  if (p.days == 0)
    throw InputError(spec.file +
                     ": every observation is on day 0, the initial state (a flow of day d is "
                     "what happens during (d - 1, d]: docs/calibration.md, Days and dates)");
  return p;
}

}  // namespace cordon::calibrate
