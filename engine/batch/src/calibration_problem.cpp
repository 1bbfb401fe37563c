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

namespace cordon::engine {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

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

// The model's flow or compartment named `name`, for observation `o`.
void ResolveQuantity(const sim::Model& model, const ObservationSpec& o, ObservedSeries& s) {
  const sim::ModelSpec& spec = model.Spec();
  s.flow = spec.FlowIndex(o.flow);
  if (s.flow >= 0) return;
  s.compartment = spec.CompartmentIndex(o.flow);
  if (s.compartment >= 0) {
    if (o.delay_mean > 0.0)
      throw InputError(o.where.Describe() + ".delay: " + o.flow +
                       " is a compartment (persons present), not a count of events");
    return;
  }
  std::string known;
  for (const auto& f : spec.flows) known += (known.empty() ? "" : ", ") + f.name;
  for (const auto& c : spec.compartments) known += (known.empty() ? "" : ", ") + c.name;
  throw InputError(o.where.Describe() + ".flow: model " + spec.name +
                   " has no flow or compartment '" + o.flow + "' (it has " + known + ")");
}

// Rows of one observation table -> one series per id.
void ReadObservation(const CalibrationProblem& p, int index, std::vector<ObservedSeries>& out) {
  const ObservationSpec& o = p.spec.observations[std::size_t(index)];
  const sim::Model& model = *p.model;
  const CsvTable t = CsvTable::Read(o.csv);
  const int day_col = o.date_column.empty() ? t.Require(o.day_column) : t.Require(o.date_column);
  const int id_col = t.Require(o.id_column), value_col = t.Require(o.value_column);
  const long start = p.spec.start_date.empty() ? 0 : *DayNumber(p.spec.start_date);
  const int sim_days = p.scenario.simulation.days;
  std::map<std::string, int> patch_of;
  for (std::size_t i = 0; i < model.Net().ids.size(); ++i) patch_of[model.Net().ids[i]] = int(i);
  std::map<std::string, std::map<int, double>> by_id;  // id -> day -> value
  std::vector<std::string> order;                      // ids in order of first appearance
  for (std::size_t r = 0; r < t.Rows(); ++r) {
    long day = 0;
    if (!o.date_column.empty()) {
      const auto date = DayNumber(t.Text(r, day_col));
      if (!date)
        throw InputError(t.Where(r, day_col) + ": expected a date YYYY-MM-DD, got '" +
                         t.Text(r, day_col) + "'");
      if (p.spec.start_date.empty())
        throw InputError(t.Where(r, day_col) + ": dates need the scenario's simulation.start_date");
      day = *date - start;
    } else {
      const double d = t.Number(r, day_col);
      if (d != std::floor(d) || std::abs(d) > 1e7)
        throw InputError(t.Where(r, day_col) + ": expected a whole day number");
      day = long(d);
    }
    if (day < o.first_day || day > o.last_day) continue;  // outside the window: not used
    if (day < 0 || day >= sim_days)
      throw InputError(t.Where(r, day_col) + ": day " + std::to_string(day) +
                       " is outside the simulation (days 0.." + std::to_string(sim_days - 1) +
                       "); set a window: or simulation.days");
    const std::string& id = t.Text(r, id_col);
    if (id != "all" && !patch_of.count(id))
      throw InputError(t.Where(r, id_col) + ": unknown id '" + id +
                       "' (a village id of the scenario, or all)");
    const double v = t.Number(r, value_col);
    if (!(v >= 0.0) || !std::isfinite(v))
      throw InputError(t.Where(r, value_col) + ": a reported value must be a number >= 0, got '" +
                       t.Text(r, value_col) + "'");
    if (!by_id.count(id)) order.push_back(id);
    if (!by_id[id].emplace(int(day), v).second)
      throw InputError(t.Where(r, day_col) + ": a second value for id '" + id + "' on day " +
                       std::to_string(day));
  }
  if (order.empty())
    throw InputError(o.where.Describe() + ": no observations" +
                     (o.window_text.empty() ? "" : " in the window " + o.window_text) + " in " +
                     o.csv);
  for (const std::string& id : order) {
    ObservedSeries s;
    s.observation = index;
    s.id = id;
    if (id != "all") s.patches = {patch_of.at(id)};
    ResolveQuantity(model, o, s);
    if (!s.patches.empty() && s.flow >= 0 && model.FlowBlock(s.flow) < 0)
      throw InputError(o.where.Describe() + ".flow: " + o.flow +
                       " is counted for the whole region only (per_patch: false): use id all");
    s.observed.assign(std::size_t(sim_days), kNaN);
    double before = 0.0;
    bool first = true;
    for (const auto& [day, v] : by_id[id]) {
      if (!o.cumulative) {
        s.observed[std::size_t(day)] = v;
      } else {
        // A running total: the first value is a baseline unless it is day 0's.
        if (!first || day == 0) s.observed[std::size_t(day)] = std::max(0.0, v - before);
        before = v;
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
std::pair<int, int> SeedKey(const CalibratedParameter& q, const sim::ModelSpec& spec) {
  const std::size_t close = q.key.find(']');
  const int k = std::stoi(q.key.substr(16, close - 16));
  const std::string name = q.key.substr(close + 2);
  int c = spec.CompartmentIndex(name);
  for (const auto& [alias, compartment] : spec.seed_keys)
    if (alias == name) c = compartment;
  if (c < 0) throw InputError(q.where.Describe() + ": no compartment or seed key '" + name + "'");
  return {k, c};
}

}  // namespace

std::vector<double> CalibrationProblem::ModelValues(const double* theta) const {
  std::vector<double> v(model->Spec().parameters.size(), kNaN);
  for (int q = 0; q < Parameters(); ++q)
    if (model_parameter[std::size_t(q)] >= 0)
      v[std::size_t(model_parameter[std::size_t(q)])] = theta[q];
  return v;
}

sim::State CalibrationProblem::InitialState(const double* theta) const {
  sim::State y = initial;
  const int from = model->Spec().initial;
  for (int q = 0; q < Parameters(); ++q) {
    const int c = seed_compartment[std::size_t(q)];
    if (c < 0) continue;
    const Eigen::ArrayXd moved = (theta[q] * seed_share[std::size_t(q)]).min(y.Compartment(from));
    y.Compartment(from) -= moved;
    y.Compartment(c) += moved;
  }
  return y;
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

CalibrationProblem LoadProblem(const CalibrationSpec& spec, int threads) {
  CalibrationProblem p;
  p.spec = spec;
  std::vector<std::string> overrides = spec.set;
  for (const auto& q : spec.parameters)
    if (q.key.rfind("seed_infections[", 0) == 0) overrides.push_back(q.key + "=0");
  p.scenario = LoadScenario(spec.scenario, overrides);
  sim::ModelInputs in = BuildScenarioInputs(p.scenario, threads);
  p.neighbours = Neighbours(in);
  const sim::ModelSpec& ms = p.scenario.model_spec;
  for (const auto& q : spec.parameters) {
    p.names.push_back(q.key);
    const bool seed = q.key.rfind("seed_infections[", 0) == 0;
    p.model_parameter.push_back(seed ? -1 : ms.ParameterIndex(q.key.substr(8)));
    p.seed_compartment.push_back(-1);
    p.seed_share.emplace_back();
    if (!seed) continue;
    const auto [k, c] = SeedKey(q, ms);
    const SeedSpec& s = p.scenario.seeds.at(std::size_t(k));
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
  for (int o = 0; o < int(spec.observations.size()); ++o) ReadObservation(p, o, p.series);
  for (const auto& s : p.series)
    for (int d = 0; d < int(s.observed.size()); ++d)
      if (!std::isnan(s.observed[std::size_t(d)])) p.days = std::max(p.days, d + 1);
  return p;
}

}  // namespace cordon::engine
