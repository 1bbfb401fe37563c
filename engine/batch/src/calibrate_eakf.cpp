// SPDX-License-Identifier: Apache-2.0
// Li et al. (Science 2020)'s iterated filter, step by step as docs/calibration.md states
// it: an ensemble of stochastic runs, inflated each day,
// adjusted observation by observation with the ensemble adjustment Kalman
// filter; the parameters of pass n + 1 drawn around the mean of pass n.
#include <algorithm>
#include <cmath>
#include <random>

#include "calibration_methods.hpp"
#include "cordon/base/csv_table.hpp"
#include "cordon/base/error.hpp"
#include "cordon/base/threads.hpp"
#include "cordon/sim/counter_rng.hpp"
#include "cordon/sim/poisson_rk4.hpp"

namespace cordon::engine {
namespace {

// Random-stream keys: (iteration, member) -> run; what is drawn -> the patch slot.
std::uint64_t RunKey(int n, int m) { return (std::uint64_t(n) << 32) | std::uint64_t(m); }
constexpr std::uint64_t kDelayStream = 1ULL << 40, kParameterStream = 1ULL << 41;

struct MemberScratch {
  sim::Workspace ws;
  sim::PoissonRk4Stepper stepper;
  sim::State before;
};

// What one finished pass leaves: per parameter, then derived quantity, the mean over its
// days of the ensemble's mean (Li et al.'s estimate) and of its daily quantiles.
struct Pass {
  std::vector<double> mean, median, q025, q975;
  std::vector<FitPoint> fit;  ///< the prior predictions of each observation
};

// Sums over the days of a pass of the ensemble's daily mean and quantiles.
struct DailySums {
  std::vector<double> mean, median, q025, q975;
  explicit DailySums(int n) : mean(std::size_t(n)), median(mean), q025(mean), q975(mean) {}
  void Add(int k, std::vector<double>& members) {
    double sum = 0.0;
    for (double v : members) sum += v;
    mean[std::size_t(k)] += sum / double(members.size());
    q025[std::size_t(k)] += Quantile(members, 0.025);
    median[std::size_t(k)] += Quantile(members, 0.5);
    q975[std::size_t(k)] += Quantile(members, 0.975);
  }
};

class Filter {
 public:
  explicit Filter(const MethodContext& c)
      : c_(c),
        p_(c.problem),
        m_(*c.problem.model),
        members_(c.problem.spec.method.ensemble),
        params_(c.problem.Parameters()),
        days_(c.problem.days) {
    for (const auto& q : p_.spec.parameters) {
      low_.push_back(q.low);
      high_.push_back(q.high);
    }
    for (int i = 0; i < m_.Patches(); ++i) all_patches_.push_back(i);
    for (const auto& o : p_.spec.observations)
      delay_.push_back(o.delay_mean > 0 ? DelayDistribution(o.delay_mean, o.delay_shape, days_)
                                        : std::vector<double>{});
    reports_.assign(p_.series.size(), {});
  }

  MethodOutcome Run();

 private:
  void Draw(int n, const std::vector<double>& centre);
  void Inflate();
  void ClampPatches(const std::vector<int>& patches);
  void ClampParameters();
  void StepMembers(int n, int d);
  void Assimilate(std::size_t s, int d, double y);
  void Regress(const std::vector<int>& patches, const std::vector<double>& hc,
               const std::vector<double>& dy, double prior_var);
  void AddDay(DailySums& sums) const;
  // The ensemble's mean state of the patches states.csv reports, at time `day`.
  void AddStates(int day, std::vector<FilteredState>& out) const;
  // The ensemble's prediction of observation y of series s on day d, before assimilating it.
  FitPoint Prior(std::size_t s, int d, double y) const;
  // Per observation table with several ids: the sum of its ids on day d (id "total").
  void AddTotals(int d, std::vector<FitPoint>& fit) const;

  const MethodContext& c_;
  const CalibrationProblem& p_;
  const sim::Model& m_;
  const int members_, params_, days_;
  std::vector<double> low_, high_;
  std::vector<int> all_patches_;
  std::vector<std::vector<double>> delay_;    ///< per observation: P(report j days later)
  std::vector<sim::State> states_;            ///< per member
  std::vector<std::vector<double>> theta_;    ///< per member: parameters
  std::vector<std::vector<double>> reports_;  ///< per series: predicted, [member * days + day]
};

void Filter::Draw(int n, const std::vector<double>& centre) {
  const auto lhs = LatinHypercube(members_, params_, c_.seed, kParameterStream + std::uint64_t(n));
  const double spread = std::pow(p_.spec.method.cooling, n);
  theta_.assign(std::size_t(members_), std::vector<double>(std::size_t(params_)));
  for (int m = 0; m < members_; ++m)
    for (int q = 0; q < params_; ++q) {
      const double lo = low_[std::size_t(q)], hi = high_[std::size_t(q)];
      double& x = theta_[std::size_t(m)][std::size_t(q)];
      x = lo + lhs[std::size_t(m)][std::size_t(q)] * (hi - lo);
      // The initial state is drawn afresh each pass; parameters around the last pass's mean.
      if (n == 0 || p_.seed_compartment[std::size_t(q)] >= 0) continue;
      sim::CounterRng rng(c_.seed, RunKey(n, m), kParameterStream + std::uint64_t(q), 0);
      std::normal_distribution<double> normal(centre[std::size_t(q)], spread * (hi - lo) / 2.0);
      for (int tries = 0; tries < 1000; ++tries) {
        const double v = normal(rng);
        if (v >= lo && v <= hi) {
          x = v;
          break;
        }
      }
    }
  states_.clear();
  for (int m = 0; m < members_; ++m)
    states_.push_back(p_.InitialState(m_, theta_[std::size_t(m)].data()));
  for (auto& r : reports_) r.assign(std::size_t(members_) * std::size_t(days_), 0.0);
}

void Filter::Inflate() {
  const double lambda = p_.spec.method.inflation;
  const std::size_t M = std::size_t(members_);
  for (int c = 0; c < m_.Compartments(); ++c)
    for (int i = 0; i < m_.Patches(); ++i) {
      const Eigen::Index at = states_[0].layout.BlockOffset(c) + i;
      double mean = 0.0;
      for (std::size_t m = 0; m < M; ++m) mean += states_[m].values[at];
      mean /= double(M);
      for (std::size_t m = 0; m < M; ++m)
        states_[m].values[at] = mean + lambda * (states_[m].values[at] - mean);
    }
  for (int q = 0; q < params_; ++q) {
    if (p_.seed_compartment[std::size_t(q)] >= 0) continue;  // not a state of the dynamics
    double mean = 0.0;
    for (std::size_t m = 0; m < M; ++m) mean += theta_[m][std::size_t(q)];
    mean /= double(M);
    for (std::size_t m = 0; m < M; ++m)
      theta_[m][std::size_t(q)] = mean + lambda * (theta_[m][std::size_t(q)] - mean);
  }
  ClampPatches(all_patches_);
  ClampParameters();
}

// States stay physical: no compartment below 0, the initial one (S) at most N.
void Filter::ClampPatches(const std::vector<int>& patches) {
  const int population = m_.PopulationBlock(), initial = m_.Spec().initial;
  for (auto& y : states_)
    for (int i : patches) {
      for (int c = 0; c < m_.Compartments(); ++c) {
        double& x = y.Compartment(c)[i];
        x = std::max(x, 0.0);
        if (c == initial && population >= 0) x = std::min(x, y.Compartment(population)[i]);
      }
    }
}

// Parameters that left their range go back just inside it.
void Filter::ClampParameters() {
  for (auto& t : theta_)
    for (int q = 0; q < params_; ++q) {
      const double lo = low_[std::size_t(q)], hi = high_[std::size_t(q)];
      const double inside = 1e-6 * (hi - lo);
      t[std::size_t(q)] = std::clamp(t[std::size_t(q)], lo + inside, hi - inside);
    }
}

void Filter::StepMembers(int n, int d) {
  const double dt = p_.spec.method.dt;
  const int steps = int(std::lround(1.0 / dt));
  ParallelFor(
      members_, c_.threads,
      [&] {
        return MemberScratch{m_.MakeWorkspace(), sim::PoissonRk4Stepper(m_, c_.seed, 0),
                             sim::State(m_.Layout())};
      },
      [&](MemberScratch& s, long long mm) {
        const int m = int(mm);
        sim::State& y = states_[std::size_t(m)];
        m_.SetParameters(p_.ModelValues(theta_[std::size_t(m)].data()), s.ws);
        s.stepper.Rekey(c_.seed, RunKey(n, m));
        s.ws.day = d;
        s.before.values = y.values;
        for (int k = 0; k < steps; ++k) {
          const std::int64_t step = std::int64_t(d) * steps + k;
          s.stepper.Step(double(step) * dt, dt, step, y, s.ws);
          m_.AfterStep(y);
        }
        for (std::size_t q = 0; q < p_.series.size(); ++q) {
          const ObservedSeries& series = p_.series[q];
          double* r = reports_[q].data() + std::size_t(m) * std::size_t(days_);
          const double v = SeriesValue(p_, series, s.before, y);
          if (!p_.Delayed(series)) {
            r[d] = v;
            continue;
          }
          // Each new case gets its own delay: a multinomial over the report days.
          const std::vector<double>& pmf = delay_[std::size_t(series.observation)];
          auto left = static_cast<std::int64_t>(std::llround(std::max(v, 0.0)));
          sim::CounterRng rng(c_.seed, RunKey(n, m), kDelayStream + q, std::uint64_t(d));
          double rest = 1.0;
          for (int j = 1; d + j < days_ && left > 0; ++j) {
            const double pj = pmf[std::size_t(j)];
            if (pj <= 0.0) continue;
            const auto k = std::binomial_distribution<std::int64_t>(
                left, std::clamp(pj / rest, 0.0, 1.0))(rng);
            rest -= pj;
            left -= k;
            r[d + j] += double(k);
          }
        }
      });
}

void Filter::Regress(const std::vector<int>& patches, const std::vector<double>& hc,
                     const std::vector<double>& dy, double prior_var) {
  const int C = m_.Compartments();
  const std::size_t M = std::size_t(members_);
  auto patch_range = [&](std::size_t begin, std::size_t end) {
    std::vector<double> gain(static_cast<std::size_t>(C));
    for (std::size_t k = begin; k < end; ++k) {
      const int i = patches[k];
      std::fill(gain.begin(), gain.end(), 0.0);
      for (std::size_t m = 0; m < M; ++m)
        for (int c = 0; c < C; ++c) gain[std::size_t(c)] += states_[m].Compartment(c)[i] * hc[m];
      for (int c = 0; c < C; ++c) gain[std::size_t(c)] /= double(M - 1) * prior_var;
      for (std::size_t m = 0; m < M; ++m)
        for (int c = 0; c < C; ++c) states_[m].Compartment(c)[i] += gain[std::size_t(c)] * dy[m];
    }
  };
  constexpr std::size_t kChunk = 32;
  const std::size_t chunks = (patches.size() + kChunk - 1) / kChunk;
  if (patches.size() * M * std::size_t(C) < 200000 || c_.threads <= 1) {
    patch_range(0, patches.size());
  } else {
    ParallelFor(static_cast<long long>(chunks), c_.threads, [&](long long k) {
      patch_range(std::size_t(k) * kChunk, std::min(patches.size(), std::size_t(k + 1) * kChunk));
    });
  }
  for (int q = 0; q < params_; ++q) {
    double cov = 0.0;
    for (std::size_t m = 0; m < M; ++m) cov += theta_[m][std::size_t(q)] * hc[m];
    const double gain = cov / (double(M - 1) * prior_var);
    for (std::size_t m = 0; m < M; ++m) theta_[m][std::size_t(q)] += gain * dy[m];
  }
}

void Filter::Assimilate(std::size_t s, int d, double y) {
  const ObservedSeries& series = p_.series[s];
  const ObservationSpec& o = p_.spec.observations[std::size_t(series.observation)];
  const std::size_t M = std::size_t(members_);
  std::vector<double> h(M), hc(M), dy(M);
  double mean = 0.0;
  for (std::size_t m = 0; m < M; ++m) mean += (h[m] = reports_[s][m * std::size_t(days_) + d]);
  mean /= double(M);
  double prior_var = 0.0;
  for (std::size_t m = 0; m < M; ++m) prior_var += (hc[m] = h[m] - mean) * hc[m];
  prior_var /= double(M - 1);
  const double obs_var = ObservationVariance(o, y, y);
  double post_var = prior_var * obs_var / (prior_var + obs_var);
  if (prior_var == 0.0) post_var = prior_var = 1e-3;  // a degenerate ensemble (Li et al.)
  const double post_mean = post_var * (mean / prior_var + y / obs_var);
  const double shrink = std::sqrt(obs_var / (obs_var + prior_var));
  for (std::size_t m = 0; m < M; ++m) dy[m] = post_mean + shrink * hc[m] - h[m];
  const std::vector<int>& local = series.local.empty() ? all_patches_ : series.local;
  Regress(local, hc, dy, prior_var);
  for (std::size_t m = 0; m < M; ++m) reports_[s][m * std::size_t(days_) + d] += dy[m];
  ClampPatches(local);
  ClampParameters();
}

void Filter::AddDay(DailySums& sums) const {
  std::vector<std::vector<double>> derived;
  for (const auto& t : theta_) derived.push_back(c_.derived.Evaluate(t.data()));
  std::vector<double> members(static_cast<std::size_t>(members_));
  for (int k = 0; k < params_ + c_.derived.Size(); ++k) {
    for (int m = 0; m < members_; ++m)
      members[std::size_t(m)] = k < params_ ? theta_[std::size_t(m)][std::size_t(k)]
                                            : derived[std::size_t(m)][std::size_t(k - params_)];
    sums.Add(k, members);
  }
}

void Filter::AddStates(int day, std::vector<FilteredState>& out) const {
  const int blocks = m_.Compartments() + (m_.HasPopulationState() ? 1 : 0);
  for (int i : p_.state_patches) {
    FilteredState s{day, i, std::vector<double>(std::size_t(blocks), 0.0)};
    for (const sim::State& y : states_)
      for (int c = 0; c < blocks; ++c) s.mean[std::size_t(c)] += y.Compartment(c)[i];
    for (double& v : s.mean) v /= double(members_);
    out.push_back(std::move(s));
  }
}

MethodOutcome Filter::Run() {
  const MethodSpec& method = p_.spec.method;
  MethodOutcome out;
  out.iterations = method.iterations;
  std::vector<double> centre(static_cast<std::size_t>(params_));
  Pass last;
  const long long total = static_cast<long long>(method.iterations) * days_;
  const int quantities = params_ + c_.derived.Size();
  for (int n = 0; n < method.iterations; ++n) {
    Draw(n, centre);
    DailySums sums(quantities);
    std::vector<FitPoint> fit;
    std::vector<FilteredState> states;
    AddStates(0, states);
    for (int d = 0; d < days_; ++d) {
      if (c_.stop && c_.stop->load()) {
        out.interrupted = true;
        break;
      }
      Inflate();
      StepMembers(n, d);
      AddTotals(d, fit);
      for (std::size_t s = 0; s < p_.series.size(); ++s) {
        const double y = p_.series[s].observed[std::size_t(d)];
        if (std::isnan(y)) continue;
        fit.push_back(Prior(s, d, y));
        Assimilate(s, d, y);
      }
      AddDay(sums);
      AddStates(d + 1, states);
      if (c_.progress) c_.progress(static_cast<long long>(n) * days_ + d + 1, total);
    }
    if (out.interrupted) break;
    for (auto* v : {&sums.mean, &sums.median, &sums.q025, &sums.q975})
      for (double& x : *v) x /= days_;
    // Li et al.'s estimate: the means over the pass's days. (The ensemble at the end of the
    // window was measured as the estimate instead, by tests/reference/calibration_check.py:
    // its errors were larger, 15% for r0 against 10%, so it is not used.)
    last = {sums.mean, sums.median, sums.q025, sums.q975, std::move(fit)};
    out.states = std::move(states);
    centre.assign(last.mean.begin(), last.mean.begin() + params_);
    out.iterations_done = n + 1;
    for (int q = 0; q < params_; ++q)
      out.trace.push_back({n + 1, p_.names[std::size_t(q)], last.mean[std::size_t(q)],
                           last.q025[std::size_t(q)], last.q975[std::size_t(q)]});
  }
  if (out.iterations_done == 0) return out;
  for (int k = 0; k < quantities; ++k) {
    Estimate e;
    e.derived = k >= params_;
    e.name = e.derived ? p_.spec.derived[std::size_t(k - params_)].name : p_.names[std::size_t(k)];
    e.mean = last.mean[std::size_t(k)];
    e.median = last.median[std::size_t(k)];
    e.q025 = last.q025[std::size_t(k)];
    e.q975 = last.q975[std::size_t(k)];
    e.interval = "ensemble";
    if (!e.derived) {
      // An ensemble squeezed against a prior bound has found the bound, not the value.
      const double lo = low_[std::size_t(k)], hi = high_[std::size_t(k)], span = hi - lo;
      const bool narrow = e.q975 - e.q025 < 0.01 * span;
      if (narrow && (e.median - lo < 0.01 * span || hi - e.median < 0.01 * span)) {
        e.note = "collapsed onto a bound";
        out.warnings.push_back(e.name + ": the ensemble collapsed onto a prior bound (" +
                               FormatNumber(e.median) +
                               "): widen the prior, raise inflation or lower cooling");
      }
    }
    out.posterior.push_back(e);
  }
  out.fit = std::move(last.fit);
  return out;
}

FitPoint Filter::Prior(std::size_t s, int d, double y) const {
  std::vector<double> prior;
  for (int m = 0; m < members_; ++m)
    prior.push_back(reports_[s][std::size_t(m) * std::size_t(days_) + std::size_t(d)]);
  FitPoint f;
  f.day = d;
  f.id = p_.series[s].id;
  f.flow = p_.spec.observations[std::size_t(p_.series[s].observation)].flow;
  f.observed = y;
  for (double v : prior) f.mean += v / members_;
  f.q025 = Quantile(prior, 0.025);
  f.q975 = Quantile(prior, 0.975);
  return f;
}

void Filter::AddTotals(int d, std::vector<FitPoint>& fit) const {
  for (int o = 0; o < int(p_.spec.observations.size()); ++o) {
    FitPoint f;
    f.day = d;
    f.id = "total";
    f.flow = p_.spec.observations[std::size_t(o)].flow;
    std::vector<double> members(static_cast<std::size_t>(members_), 0.0);
    int ids = 0;
    for (std::size_t s = 0; s < p_.series.size(); ++s) {
      const double y = p_.series[s].observed[std::size_t(d)];
      if (p_.series[s].observation != o || std::isnan(y)) continue;
      ++ids;
      f.observed += y;
      for (int m = 0; m < members_; ++m)
        members[std::size_t(m)] +=
            reports_[s][std::size_t(m) * std::size_t(days_) + std::size_t(d)];
    }
    if (ids < 2) continue;
    for (double v : members) f.mean += v / members_;
    f.q025 = Quantile(members, 0.025);
    f.q975 = Quantile(members, 0.975);
    fit.push_back(f);
  }
}

}  // namespace

MethodOutcome RunIfEakf(const MethodContext& c) {
  if (c.problem.spec.method.ensemble < 2) throw InputError("method.ensemble: needs 2 or more");
  return Filter(c).Run();
}

}  // namespace cordon::engine
