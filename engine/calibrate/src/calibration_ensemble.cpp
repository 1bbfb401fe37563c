// SPDX-License-Identifier: Apache-2.0
#include "calibration_ensemble.hpp"

#include <algorithm>
#include <cmath>
#include <random>

#include "cordon/base/csv_table.hpp"
#include "cordon/base/threads.hpp"
#include "cordon/sim/counter_rng.hpp"
#include "cordon/sim/poisson_rk4.hpp"
#include "cordon/sim/rk4.hpp"

namespace cordon::calibrate {
namespace {

struct MemberScratch {
  sim::Workspace ws;
  sim::PoissonRk4Stepper poisson;
  sim::Rk4Stepper rk4;
  sim::State before;
};

}  // namespace

Ensemble::Ensemble(const MethodContext& context, bool deterministic_members)
    : c(context),
      p(context.problem),
      m(*context.problem.model),
      members(context.problem.spec.method.ensemble),
      days(context.problem.days),
      deterministic(deterministic_members) {
  for (const auto& q : p.spec.parameters) {
    low.push_back(q.low);
    high.push_back(q.high);
  }
  for (int i = 0; i < m.Patches(); ++i) all_patches.push_back(i);
  for (const auto& o : p.spec.observations)
    delay.push_back(o.delay_mean > 0 ? DelayDistribution(o.delay_mean, o.delay_shape, days)
                                     : std::vector<double>{});
  predictions.assign(p.series.size(), {});
}

void Ensemble::DrawPrior(int pass) {
  const int P = Parameters();
  const auto lhs = LatinHypercube(members, P, c.seed, kParameterStream + std::uint64_t(pass));
  theta.assign(std::size_t(members), std::vector<double>(std::size_t(P)));
  for (int k = 0; k < members; ++k)
    for (int q = 0; q < P; ++q)
      theta[std::size_t(k)][std::size_t(q)] =
          low[std::size_t(q)] +
          lhs[std::size_t(k)][std::size_t(q)] * (high[std::size_t(q)] - low[std::size_t(q)]);
}

void Ensemble::Restart() {
  states.clear();
  for (int k = 0; k < members; ++k)
    states.push_back(p.InitialState(m, theta[std::size_t(k)].data()));
  for (auto& r : predictions) r.assign(std::size_t(members) * std::size_t(days), 0.0);
}

void Ensemble::StepDay(int pass, int d) {
  const bool exact = deterministic;
  const double dt = exact ? p.scenario.simulation.dt : p.spec.method.dt;
  const int steps = int(std::lround(1.0 / dt));
  ParallelFor(
      members, c.threads,
      [&] {
        return MemberScratch{m.MakeWorkspace(), sim::PoissonRk4Stepper(m, c.seed, 0),
                             sim::Rk4Stepper(m.Layout()), sim::State(m.Layout())};
      },
      [&](MemberScratch& s, long long mm) {
        const int k = int(mm);
        sim::State& y = states[std::size_t(k)];
        m.SetParameters(p.ModelValues(theta[std::size_t(k)].data()), s.ws);
        s.poisson.Rekey(c.seed, RunKey(pass, k));
        s.ws.day = d;
        s.before.values = y.values;
        auto derivative = [&](double t, const sim::State& at, sim::State& dydt,
                              sim::RkStage stage) { m.Derivative(t, at, dydt, s.ws, stage); };
        for (int j = 0; j < steps; ++j) {
          const std::int64_t step = std::int64_t(d) * steps + j;
          if (exact)
            s.rk4.Step(derivative, double(step) * dt, dt, y);
          else
            s.poisson.Step(double(step) * dt, dt, step, y, s.ws);
          m.AfterStep(y);
        }
        for (std::size_t q = 0; q < p.series.size(); ++q) {
          const ObservedSeries& series = p.series[q];
          double* r = predictions[q].data() + std::size_t(k) * std::size_t(days);
          const double v = SeriesValue(p, series, s.before, y);
          if (!p.Delayed(series)) {
            r[d] = v;
            continue;
          }
          const std::vector<double>& pmf = delay[std::size_t(series.observation)];
          if (exact) {  // the expected reports: the convolution with the delay
            for (int j = 1; d + j < days; ++j) r[d + j] += v * pmf[std::size_t(j)];
            continue;
          }
          // Each new case gets its own delay: a multinomial over the report days.
          auto left = static_cast<std::int64_t>(std::llround(std::max(v, 0.0)));
          sim::CounterRng rng(c.seed, RunKey(pass, k), kDelayStream + q, std::uint64_t(d));
          double rest = 1.0;
          for (int j = 1; d + j < days && left > 0; ++j) {
            const double pj = pmf[std::size_t(j)];
            if (pj <= 0.0) continue;
            const auto n = std::binomial_distribution<std::int64_t>(
                left, std::clamp(pj / rest, 0.0, 1.0))(rng);
            rest -= pj;
            left -= n;
            r[d + j] += double(n);
          }
        }
      });
}

void Ensemble::ClampStates(const std::vector<int>& patches) {
  const int population = m.PopulationBlock(), initial = m.Spec().initial;
  for (auto& y : states)
    for (int i : patches)
      for (int k = 0; k < m.Compartments(); ++k) {
        double& x = y.Compartment(k)[i];
        x = std::max(x, 0.0);
        if (k == initial && population >= 0) x = std::min(x, y.Compartment(population)[i]);
      }
}

namespace {

// x put just inside [lo, hi] (a millionth of the width from a bound).
double JustInside(double x, double lo, double hi) {
  const double inside = 1e-6 * (hi - lo);
  return std::clamp(x, lo + inside, hi - inside);
}

}  // namespace

void Ensemble::ClampParameters() {
  for (auto& t : theta)
    for (int q = 0; q < Parameters(); ++q)
      t[std::size_t(q)] = JustInside(t[std::size_t(q)], low[std::size_t(q)], high[std::size_t(q)]);
}

void Ensemble::JitterIntoPrior(int pass, std::uint64_t call) {
  for (int k = 0; k < members; ++k)
    for (int q = 0; q < Parameters(); ++q) {
      const double lo = low[std::size_t(q)], hi = high[std::size_t(q)];
      double& x = theta[std::size_t(k)][std::size_t(q)];
      if (x >= lo && x <= hi) continue;
      const double width = std::min(0.1 * std::abs(x < lo ? lo : hi), hi - lo);
      if (width == 0.0) {
        x = JustInside(x, lo, hi);
        continue;
      }
      const double u =
          sim::KeyedUniform(c.seed, RunKey(pass, k), kBoundStream + std::uint64_t(q), call);
      x = x < lo ? lo + width * u : hi - width * u;
    }
}

double Ensemble::Reported(std::size_t s, int k, int d) const {
  if (!predictive) return Prediction(s, k, d);
  const scenario::ObservationSpec& o = p.spec.observations[std::size_t(p.series[s].observation)];
  sim::CounterRng rng(c.seed, RunKey(0, k), kNoiseStream + s, std::uint64_t(d));
  return DrawObservation(o, Prediction(s, k, d), rng);
}

FitPoint Ensemble::Forecast(std::size_t s, int d, double y) const {
  std::vector<double> values;
  for (int k = 0; k < members; ++k) values.push_back(Reported(s, k, d));
  FitPoint f;
  f.day = d;
  f.id = p.series[s].id;
  f.flow = p.spec.observations[std::size_t(p.series[s].observation)].flow;
  f.observed = y;
  for (int k = 0; k < members; ++k) f.mean += Prediction(s, k, d) / members;
  f.q025 = Quantile(values, 0.025);
  f.q975 = Quantile(values, 0.975);
  return f;
}

void Ensemble::AddTotals(int d, std::vector<FitPoint>& fit) const {
  for (int o = 0; o < int(p.spec.observations.size()); ++o) {
    FitPoint f;
    f.day = d;
    f.id = "total";
    f.flow = p.spec.observations[std::size_t(o)].flow;
    std::vector<double> sums(static_cast<std::size_t>(members), 0.0), reported = sums;
    int ids = 0;
    for (std::size_t s = 0; s < p.series.size(); ++s) {
      const double y = p.series[s].observed[std::size_t(d)];
      if (p.series[s].observation != o || std::isnan(y)) continue;
      ++ids;
      f.observed += y;
      for (int k = 0; k < members; ++k) {
        sums[std::size_t(k)] += Prediction(s, k, d);
        reported[std::size_t(k)] += Reported(s, k, d);
      }
    }
    if (ids < 2) continue;
    for (double v : sums) f.mean += v / members;
    f.q025 = Quantile(reported, 0.025);
    f.q975 = Quantile(reported, 0.975);
    fit.push_back(f);
  }
}

void Ensemble::AddStates(int day, std::vector<FilteredState>& out) const {
  const int blocks = m.Compartments() + (m.HasPopulationState() ? 1 : 0);
  for (int i : p.state_patches) {
    FilteredState s{day, i, std::vector<double>(std::size_t(blocks), 0.0)};
    for (const sim::State& y : states)
      for (int k = 0; k < blocks; ++k) s.mean[std::size_t(k)] += y.Compartment(k)[i];
    for (double& v : s.mean) v /= double(members);
    out.push_back(std::move(s));
  }
}

std::vector<std::vector<double>> Ensemble::Quantities() const {
  const int P = Parameters();
  std::vector<std::vector<double>> out(std::size_t(P + c.derived.Size()),
                                       std::vector<double>(std::size_t(members)));
  for (int k = 0; k < members; ++k) {
    const std::vector<double> derived = c.derived.Evaluate(theta[std::size_t(k)].data());
    for (int q = 0; q < P; ++q)
      out[std::size_t(q)][std::size_t(k)] = theta[std::size_t(k)][std::size_t(q)];
    for (int q = 0; q < c.derived.Size(); ++q)
      out[std::size_t(P + q)][std::size_t(k)] = derived[std::size_t(q)];
  }
  return out;
}

std::vector<Estimate> Ensemble::Estimates(std::vector<std::string>& warnings) const {
  const int P = Parameters();
  std::vector<Estimate> out;
  std::vector<std::vector<double>> values = Quantities();
  for (int q = 0; q < int(values.size()); ++q) {
    std::vector<double>& v = values[std::size_t(q)];
    Estimate e;
    e.derived = q >= P;
    e.name = e.derived ? p.spec.derived[std::size_t(q - P)].name : p.names[std::size_t(q)];
    for (double x : v) e.mean += x / double(v.size());
    e.median = Quantile(v, 0.5);
    e.q025 = Quantile(v, 0.025);
    e.q975 = Quantile(v, 0.975);
    e.interval = "ensemble";
    if (!e.derived) FlagCollapse(q, e, warnings, "widen the prior");
    out.push_back(std::move(e));
  }
  return out;
}

void Ensemble::FlagCollapse(int q, Estimate& e, std::vector<std::string>& warnings,
                            const std::string& advice) const {
  // An ensemble squeezed against a prior bound has found the bound, not the value.
  const double lo = low[std::size_t(q)], hi = high[std::size_t(q)], span = hi - lo;
  const bool narrow = e.q975 - e.q025 < 0.01 * span;
  if (narrow && (e.median - lo < 0.01 * span || hi - e.median < 0.01 * span)) {
    e.note = "collapsed onto a bound";
    warnings.push_back(e.name + ": the ensemble collapsed onto a prior bound (" +
                       FormatNumber(e.median) + "): " + advice);
  }
}

}  // namespace cordon::calibrate
