// SPDX-License-Identifier: Apache-2.0
// Maximum likelihood on the deterministic model: the reporting delay as a
// convolution of the model's daily counts, NLopt's BOBYQA or Nelder-Mead
// from Latin-hypercube starts in the prior box, 95% intervals from the
// observed Fisher information (the inverse Hessian of -log L, by central
// differences) and, for derived quantities, the delta method.
#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <nlopt.hpp>
#include <optional>

#include "calibration_methods.hpp"
#include "cordon/base/threads.hpp"
#include "cordon/sim/rk4.hpp"

namespace cordon::engine {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::uint64_t kStartStream = 1ULL << 42;

class Likelihood {
 public:
  explicit Likelihood(const CalibrationProblem& p) : p_(p) {
    for (const auto& o : p.spec.observations)
      delay_.push_back(o.delay_mean > 0 ? DelayDistribution(o.delay_mean, o.delay_shape, p.days)
                                        : std::vector<double>{});
  }

  /// Per series, per day: the model's prediction of the observed value at theta.
  /// Scenario keys other than disease.* and seeds rebuild the model (and its workspace).
  std::vector<std::vector<double>> Predict(const double* theta, sim::Workspace& base_ws) const {
    std::optional<sim::Model> rebuilt;
    std::optional<sim::Workspace> rebuilt_ws;
    if (p_.Rebuilds()) {
      rebuilt.emplace(p_.BuildModel(theta));
      rebuilt_ws.emplace(rebuilt->MakeWorkspace());
    }
    const sim::Model& model = rebuilt ? *rebuilt : *p_.model;
    sim::Workspace& ws = rebuilt ? *rebuilt_ws : base_ws;
    model.SetParameters(p_.ModelValues(theta), ws);
    sim::State y = p_.InitialState(model, theta), before(model.Layout());
    sim::Rk4Stepper rk4(model.Layout());
    auto derivative = [&](double t, const sim::State& s, sim::State& d) {
      model.Derivative(t, s, d, ws);
    };
    const double dt = p_.scenario.simulation.dt;
    const int steps = p_.scenario.simulation.StepsPerDay();
    std::vector<std::vector<double>> raw(p_.series.size(),
                                         std::vector<double>(std::size_t(p_.days), 0.0));
    for (int d = 0; d < p_.days; ++d) {
      ws.day = d;
      before.values = y.values;
      for (int k = 0; k < steps; ++k) {
        rk4.Step(derivative, d + k * dt, dt, y);
        model.AfterStep(y);
      }
      for (std::size_t s = 0; s < p_.series.size(); ++s)
        raw[s][std::size_t(d)] = SeriesValue(p_, p_.series[s], before, y);
    }
    for (std::size_t s = 0; s < p_.series.size(); ++s) {
      if (!p_.Delayed(p_.series[s])) continue;
      const std::vector<double>& pmf = delay_[std::size_t(p_.series[s].observation)];
      std::vector<double> reported(std::size_t(p_.days), 0.0);
      for (int d = 0; d < p_.days; ++d)
        for (int j = 1; j <= d; ++j)
          reported[std::size_t(d)] += pmf[std::size_t(j)] * raw[s][std::size_t(d - j)];
      raw[s] = std::move(reported);
    }
    // A running total observed a few days after the last one: the sum over its days.
    for (std::size_t s = 0; s < p_.series.size(); ++s) {
      const std::vector<int>& start = p_.series[s].span_start;
      for (int d = p_.days - 1; d >= 0; --d)
        for (int j = start[std::size_t(d)]; j < d; ++j)
          raw[s][std::size_t(d)] += raw[s][std::size_t(j)];
    }
    return raw;
  }

  /// -log L at theta (a huge value when the model gives no number).
  double NegLog(const double* theta, sim::Workspace& ws) const {
    const auto mu = Predict(theta, ws);
    double sum = 0.0;
    for (std::size_t s = 0; s < p_.series.size(); ++s) {
      const ObservationSpec& o = p_.spec.observations[std::size_t(p_.series[s].observation)];
      for (int d = 0; d < p_.days; ++d) {
        const double y = p_.series[s].observed[std::size_t(d)];
        if (!std::isnan(y)) sum += Term(o, y, mu[s][std::size_t(d)]);
      }
    }
    return std::isfinite(sum) ? sum : 1e300;
  }

 private:
  static double Term(const ObservationSpec& o, double y, double mu) {
    mu = std::max(mu, 1e-9);
    switch (o.error) {
      case ObservationError::kPoisson:
        return mu - y * std::log(mu) + std::lgamma(y + 1.0);
      case ObservationError::kNegBin: {
        const double k = o.dispersion;
        return -(std::lgamma(y + k) - std::lgamma(k) - std::lgamma(y + 1.0) +
                 k * std::log(k / (k + mu)) + y * std::log(mu / (k + mu)));
      }
      case ObservationError::kLi2020: {
        const double var = ObservationVariance(o, y, mu);
        return 0.5 * std::log(2.0 * M_PI * var) + (y - mu) * (y - mu) / (2.0 * var);
      }
    }
    return 0.0;
  }

  const CalibrationProblem& p_;
  std::vector<std::vector<double>> delay_;
};

// One start's search, in the unit box (theta = low + u (high - low)).
struct StartResult {
  std::vector<double> theta;
  double value = std::numeric_limits<double>::infinity();
  int evaluations = 0;
  bool finished = false;
};

struct Search {
  const MethodContext& c;
  const Likelihood& like;
  std::atomic<long long>& done;
  long long total;
  sim::Workspace* ws = nullptr;
  StartResult* result = nullptr;

  std::vector<double> Theta(const double* u) const {
    std::vector<double> t;
    for (std::size_t q = 0; q < c.problem.spec.parameters.size(); ++q) {
      const auto& pq = c.problem.spec.parameters[q];
      t.push_back(pq.low + std::clamp(u[q], 0.0, 1.0) * (pq.high - pq.low));
    }
    return t;
  }
  std::exception_ptr failure;  ///< what the objective threw (NLopt would swallow it)

  static double Objective(unsigned, const double* u, double*, void* data) {
    auto* s = static_cast<Search*>(data);
    if (s->c.stop && s->c.stop->load()) throw nlopt::forced_stop();
    const std::vector<double> theta = s->Theta(u);
    double v = 0.0;
    try {
      v = s->like.NegLog(theta.data(), *s->ws);
    } catch (...) {
      s->failure = std::current_exception();
      throw nlopt::forced_stop();
    }
    ++s->result->evaluations;
    if (v < s->result->value) {
      s->result->value = v;
      s->result->theta = theta;
    }
    if (s->c.progress) s->c.progress(++s->done, s->total);
    return v;
  }
};

// The inverse of the Hessian of -log L at theta (central differences), or an empty matrix
// when it is not positive definite.
Eigen::MatrixXd Covariance(const MethodContext& c, const Likelihood& like,
                           const std::vector<double>& theta, double f0) {
  const int P = c.problem.Parameters();
  std::vector<double> h(static_cast<std::size_t>(P));
  for (int q = 0; q < P; ++q) {
    const auto& pq = c.problem.spec.parameters[std::size_t(q)];
    h[std::size_t(q)] = 1e-3 * (pq.high - pq.low);
  }
  // Stencil points: (q, r, sq, sr) with sq, sr in {-1, +1}; q == r uses (q, q, s, s) as +-2h/2.
  struct Point {
    int q, r, sq, sr;
  };
  std::vector<Point> points;
  for (int q = 0; q < P; ++q)
    for (int r = q; r < P; ++r)
      for (int sq : {-1, 1})
        for (int sr : {-1, 1})
          if (q != r || sq == sr) points.push_back({q, r, sq, sr});
  std::vector<double> value(points.size());
  ParallelFor(
      static_cast<long long>(points.size()), c.threads,
      [&] { return c.problem.model->MakeWorkspace(); },
      [&](sim::Workspace& ws, long long k) {
        const Point& pt = points[std::size_t(k)];
        std::vector<double> t = theta;
        if (pt.q == pt.r) {
          t[std::size_t(pt.q)] += pt.sq * h[std::size_t(pt.q)];
        } else {
          t[std::size_t(pt.q)] += pt.sq * h[std::size_t(pt.q)];
          t[std::size_t(pt.r)] += pt.sr * h[std::size_t(pt.r)];
        }
        value[std::size_t(k)] = like.NegLog(t.data(), ws);
      });
  Eigen::MatrixXd H = Eigen::MatrixXd::Zero(P, P);
  for (std::size_t k = 0; k < points.size(); ++k) {
    const Point& pt = points[k];
    const double hq = h[std::size_t(pt.q)], hr = h[std::size_t(pt.r)];
    if (pt.q == pt.r)
      H(pt.q, pt.q) += (value[k] - f0) / (hq * hq);  // f(+h) + f(-h) - 2 f0, over h^2
    else
      H(pt.q, pt.r) += pt.sq * pt.sr * value[k] / (4.0 * hq * hr);
  }
  for (int q = 0; q < P; ++q)
    for (int r = q + 1; r < P; ++r) H(r, q) = H(q, r);
  Eigen::LLT<Eigen::MatrixXd> llt(H);
  if (llt.info() != Eigen::Success) return {};
  return llt.solve(Eigen::MatrixXd::Identity(P, P));
}

}  // namespace

MethodOutcome RunMle(const MethodContext& c) {
  const CalibrationProblem& p = c.problem;
  const MethodSpec& method = p.spec.method;
  const int P = p.Parameters();
  const Likelihood like(p);
  const int max_evaluations = method.max_evaluations > 0 ? method.max_evaluations : 300 * P;
  // BOBYQA needs two or more dimensions; one parameter is searched by Nelder-Mead.
  const nlopt::algorithm algorithm =
      method.algorithm == "bobyqa" && P >= 2 ? nlopt::LN_BOBYQA : nlopt::LN_NELDERMEAD;
  const auto starts = LatinHypercube(method.starts, P, c.seed, kStartStream);
  std::vector<StartResult> results(std::size_t(method.starts));
  std::atomic<long long> done{0};
  const long long total = static_cast<long long>(method.starts) * max_evaluations;
  ParallelFor(
      method.starts, c.threads, [&] { return p.model->MakeWorkspace(); },
      [&](sim::Workspace& ws, long long k) {
        StartResult& r = results[std::size_t(k)];
        Search search{c, like, done, total, &ws, &r, nullptr};
        nlopt::opt opt(algorithm, unsigned(P));
        opt.set_lower_bounds(std::vector<double>(std::size_t(P), 0.0));
        opt.set_upper_bounds(std::vector<double>(std::size_t(P), 1.0));
        opt.set_min_objective(&Search::Objective, &search);
        opt.set_xtol_rel(1e-7);
        opt.set_ftol_abs(1e-9);
        opt.set_maxeval(max_evaluations);
        std::vector<double> u = starts[std::size_t(k)];
        double value = 0.0;
        try {
          opt.optimize(u, value);
          r.finished = true;
        } catch (const nlopt::forced_stop&) {
          if (search.failure) std::rethrow_exception(search.failure);
          r.finished = false;  // interrupted: dropped
        } catch (const nlopt::roundoff_limited&) {
          r.finished = true;  // converged as far as rounding allows: the best point stands
        }
        // A start that converged early gives back the evaluations it did not need, so the
        // progress total (starts x max_evaluations) does not overstate what is left.
        const long long unused = max_evaluations - r.evaluations;
        if (r.finished && unused > 0) {
          const long long now = done += unused;
          if (c.progress) c.progress(now, total);
        }
      });
  MethodOutcome out;
  out.iterations = method.starts;
  int best = -1;
  for (int k = 0; k < method.starts; ++k) {
    const StartResult& r = results[std::size_t(k)];
    if (!r.finished || r.theta.empty()) {
      out.interrupted = true;
      continue;
    }
    ++out.iterations_done;
    for (int q = 0; q < P; ++q)
      out.trace.push_back({k + 1, p.names[std::size_t(q)], r.theta[std::size_t(q)], kNaN, kNaN});
    out.trace.push_back({k + 1, "neg_log_likelihood", r.value, kNaN, kNaN});
    if (best < 0 || r.value < results[std::size_t(best)].value) best = k;
  }
  if (best < 0) return out;
  const StartResult& r = results[std::size_t(best)];
  out.log_likelihood = -r.value;
  const Eigen::MatrixXd cov = Covariance(c, like, r.theta, r.value);
  for (int q = 0; q < P; ++q) {
    const auto& pq = p.spec.parameters[std::size_t(q)];
    const double x = r.theta[std::size_t(q)];
    const double sd = cov.size() ? std::sqrt(std::max(0.0, cov(q, q))) : kNaN;
    out.posterior.push_back({p.names[std::size_t(q)], x, x, std::max(pq.low, x - 1.96 * sd),
                             std::min(pq.high, x + 1.96 * sd), false});
  }
  const std::vector<double> at = c.derived.Evaluate(r.theta.data());
  for (int k = 0; k < c.derived.Size(); ++k) {
    Eigen::VectorXd g(P);
    for (int q = 0; q < P; ++q) {
      const auto& pq = p.spec.parameters[std::size_t(q)];
      const double h = 1e-4 * (pq.high - pq.low);
      std::vector<double> up = r.theta, down = r.theta;
      up[std::size_t(q)] += h;
      down[std::size_t(q)] -= h;
      g[q] = (c.derived.Evaluate(up.data())[std::size_t(k)] -
              c.derived.Evaluate(down.data())[std::size_t(k)]) /
             (2.0 * h);
    }
    const double sd = cov.size() ? std::sqrt(std::max(0.0, g.dot(cov * g))) : kNaN;
    const double x = at[std::size_t(k)];
    out.posterior.push_back(
        {p.spec.derived[std::size_t(k)].name, x, x, x - 1.96 * sd, x + 1.96 * sd, true});
  }
  sim::Workspace ws = p.model->MakeWorkspace();
  const auto mu = like.Predict(r.theta.data(), ws);
  for (int o = 0; o < int(p.spec.observations.size()); ++o) {
    const ObservationSpec& spec = p.spec.observations[std::size_t(o)];
    for (int d = 0; d < p.days; ++d) {
      // Each id, then their total (id "total", the variances summed) when there are several.
      FitPoint total{d, "", spec.flow, "total", 0.0, 0.0, 0.0, 0.0};
      double total_var = 0.0;
      int ids = 0;
      for (std::size_t s = 0; s < p.series.size(); ++s) {
        const double y = p.series[s].observed[std::size_t(d)];
        if (p.series[s].observation != o || std::isnan(y)) continue;
        const double m = mu[s][std::size_t(d)];
        const double var = ObservationVariance(spec, m, m);  // a normal approximation
        out.fit.push_back({d, "", spec.flow, p.series[s].id, y, m,
                           std::max(0.0, m - 1.96 * std::sqrt(var)), m + 1.96 * std::sqrt(var)});
        total.observed += y;
        total.mean += m;
        total_var += var;
        ++ids;
      }
      if (ids < 2) continue;
      total.q025 = std::max(0.0, total.mean - 1.96 * std::sqrt(total_var));
      total.q975 = total.mean + 1.96 * std::sqrt(total_var);
      out.fit.push_back(total);
    }
  }
  return out;
}

}  // namespace cordon::engine
