// SPDX-License-Identifier: Apache-2.0
// Maximum likelihood on the deterministic model: the reporting delay as a
// convolution of the model's daily counts, NLopt's BOBYQA or Nelder-Mead
// from Latin-hypercube starts in the prior box, 95% intervals from the
// observed Fisher information (the inverse Hessian of -log L, by central
// differences) and, for derived quantities, the delta method; for parameters
// at a prior bound or on a ridge with another, profile-likelihood intervals.
#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <limits>
#include <nlopt.hpp>
#include <optional>
#include <random>

#include "calibration_methods.hpp"
#include "cordon/base/threads.hpp"
#include "cordon/sim/rk4.hpp"

namespace cordon::calibrate {
namespace {

constexpr std::uint64_t kStartStream = 1ULL << 42;
constexpr std::uint64_t kDrawStream = 1ULL << 43;  ///< posterior draws, then their noise

class Likelihood {
 public:
  explicit Likelihood(const CalibrationProblem& p) : p_(p) {
    for (const auto& o : p.spec.observations)
      delay_.push_back(o.delay_mean > 0 ? DelayDistribution(o.delay_mean, o.delay_shape, p.days)
                                        : std::vector<double>{});
  }

  /// Per series, per day: the model's prediction of the observed value at theta.
  /// engine::Scenario keys other than disease.* and seeds rebuild the model (and its workspace).
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
    auto derivative = [&](double t, const sim::State& s, sim::State& d, sim::RkStage stage) {
      model.Derivative(t, s, d, ws, stage);
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
      const scenario::ObservationSpec& o =
          p_.spec.observations[std::size_t(p_.series[s].observation)];
      for (int d = 0; d < p_.days; ++d) {
        const double y = p_.series[s].observed[std::size_t(d)];
        if (!std::isnan(y)) sum += Term(o, y, mu[s][std::size_t(d)]);
      }
    }
    return std::isfinite(sum) ? sum : 1e300;
  }

 private:
  static double Term(const scenario::ObservationSpec& o, double y, double mu) {
    mu = std::max(mu, 1e-9);
    switch (o.error) {
      case scenario::ObservationError::kPoisson:
        return mu - y * std::log(mu) + std::lgamma(y + 1.0);
      case scenario::ObservationError::kNegBin: {
        const double k = o.dispersion;
        return -(std::lgamma(y + k) - std::lgamma(k) - std::lgamma(y + 1.0) +
                 k * std::log(k / (k + mu)) + y * std::log(mu / (k + mu)));
      }
      case scenario::ObservationError::kLi2020: {
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

// Half the 95% quantile of chi-square with k degrees of freedom: how far -log L may rise
// inside the joint 95% likelihood region of k parameters (Wilson-Hilferty beyond 6).
double JointThreshold(int k) {
  static const double kTable[] = {3.841, 5.991, 7.815, 9.488, 11.070, 12.592};
  if (k >= 1 && k <= 6) return kTable[k - 1] / 2.0;
  const double a = 2.0 / (9.0 * k), z = 1.6449;
  return k * std::pow(1.0 - a + z * std::sqrt(a), 3.0) / 2.0;
}

// min over the other parameters of -log L with parameter q held at x, searched from `from`
// (updated to the minimum found) in the prior box.
double Profile(const MethodContext& c, const Likelihood& like, int q, double x,
               std::vector<double>& from, sim::Workspace& ws) {
  const CalibrationProblem& p = c.problem;
  const int P = p.Parameters();
  from[std::size_t(q)] = x;
  if (P == 1) return like.NegLog(from.data(), ws);
  // The others in their unit box; one left is searched by Nelder-Mead, more by BOBYQA.
  struct Inner {
    const Likelihood& like;
    const CalibrationProblem& p;
    int q;
    std::vector<double>& theta;
    sim::Workspace& ws;
    static double Value(unsigned n, const double* u, double*, void* data) {
      auto* in = static_cast<Inner*>(data);
      for (unsigned k = 0, r = 0; r < unsigned(in->theta.size()); ++r) {
        if (int(r) == in->q) continue;
        const auto& pr = in->p.spec.parameters[r];
        in->theta[r] = pr.low + std::clamp(u[k++], 0.0, 1.0) * (pr.high - pr.low);
      }
      (void)n;
      return in->like.NegLog(in->theta.data(), in->ws);
    }
  };
  std::vector<double> theta = from, u;
  for (int r = 0; r < P; ++r)
    if (r != q) {
      const auto& pr = p.spec.parameters[std::size_t(r)];
      u.push_back((from[std::size_t(r)] - pr.low) / (pr.high - pr.low));
    }
  Inner inner{like, p, q, theta, ws};
  nlopt::opt opt(P - 1 >= 2 ? nlopt::LN_BOBYQA : nlopt::LN_NELDERMEAD, unsigned(P - 1));
  opt.set_lower_bounds(std::vector<double>(u.size(), 0.0));
  opt.set_upper_bounds(std::vector<double>(u.size(), 1.0));
  opt.set_min_objective(&Inner::Value, &inner);
  opt.set_xtol_rel(1e-6);
  opt.set_maxeval(80 * (P - 1));
  double value = 0.0;
  try {
    opt.optimize(u, value);
  } catch (const nlopt::roundoff_limited&) {
  }
  Inner::Value(unsigned(u.size()), u.data(), nullptr, &inner);  // theta at the best point
  from = theta;
  return like.NegLog(from.data(), ws);
}

// One end of parameter q's profile interval: walking from the estimate towards `toward`
// (a prior bound), the first value where the profile rises `threshold` above `best`; the
// bound when it never does.
double ProfileEnd(const MethodContext& c, const Likelihood& like, const std::vector<double>& theta,
                  double best, int q, double toward, double threshold) {
  sim::Workspace ws = c.problem.model->MakeWorkspace();
  std::vector<double> from = theta;
  const double x0 = theta[std::size_t(q)];
  const double step = (toward - x0) / 20.0;
  if (step == 0.0) return x0;
  double inside = x0, outside = std::nan("");
  for (int k = 1; k <= 20; ++k) {
    const double x = k == 20 ? toward : x0 + k * step;
    if (Profile(c, like, q, x, from, ws) - best > threshold) {
      outside = x;
      break;
    }
    inside = x;
  }
  if (std::isnan(outside)) return toward;
  for (int k = 0; k < 8; ++k) {  // bisection to 1/256 of a step
    const double mid = 0.5 * (inside + outside);
    (Profile(c, like, q, mid, from, ws) - best > threshold ? outside : inside) = mid;
  }
  return 0.5 * (inside + outside);
}

// Which parameters the Fisher interval cannot speak for, with the reason (posterior.csv's
// note): an estimate within 0.1% of the prior's range from a bound, a Hessian that is not
// positive definite, or a correlation beyond 0.9 with another parameter.
std::vector<std::string> Unidentified(const CalibrationProblem& p, const std::vector<double>& theta,
                                      const Eigen::MatrixXd& cov) {
  const int P = p.Parameters();
  std::vector<std::string> note(static_cast<std::size_t>(P));
  for (int q = 0; q < P; ++q) {
    const auto& pq = p.spec.parameters[std::size_t(q)];
    const double x = theta[std::size_t(q)], margin = 1e-3 * (pq.high - pq.low);
    if (x - pq.low < margin || pq.high - x < margin) {
      note[std::size_t(q)] = "at bound";
      continue;
    }
    if (cov.size() == 0) {
      note[std::size_t(q)] = "weakly identified: the likelihood is flat or curved the wrong way";
      continue;
    }
    for (int r = 0; r < P; ++r) {
      const double corr = cov(q, r) / std::sqrt(cov(q, q) * cov(r, r));
      if (r == q || !(std::abs(corr) > 0.9)) continue;
      char text[160];
      std::snprintf(text, sizeof text, "weakly identified: correlation %.2f with %s", corr,
                    p.names[std::size_t(r)].c_str());
      note[std::size_t(q)] = text;
      break;
    }
  }
  return note;
}

// The intervals of the parameters: Fisher where the data pins them down; for the others the
// projection of the joint 95% likelihood region (profile with the chi-square threshold of
// all P parameters), which holds the truth whenever that region does.
void Intervals(const MethodContext& c, const Likelihood& like, const StartResult& r,
               const Eigen::MatrixXd& cov, MethodOutcome& out) {
  const CalibrationProblem& p = c.problem;
  const int P = p.Parameters();
  const std::vector<std::string> note = Unidentified(p, r.theta, cov);
  std::vector<double> ends(std::size_t(2 * P), kNaN);
  // One parameter the data cannot pin down makes every other's Fisher interval conditional
  // on its estimate: then all are profiled.
  const bool profile =
      std::any_of(note.begin(), note.end(), [](const std::string& n) { return !n.empty(); });
  std::vector<int> jobs;
  for (int q = 0; profile && q < P; ++q) jobs.push_back(2 * q), jobs.push_back(2 * q + 1);
  ParallelFor(static_cast<long long>(jobs.size()), c.threads, [&](long long k) {
    const int q = jobs[std::size_t(k)] / 2;
    const auto& pq = p.spec.parameters[std::size_t(q)];
    const bool up = jobs[std::size_t(k)] % 2 == 1;
    ends[std::size_t(jobs[std::size_t(k)])] =
        ProfileEnd(c, like, r.theta, r.value, q, up ? pq.high : pq.low, JointThreshold(P));
  });
  for (int q = 0; q < P; ++q) {
    const auto& pq = p.spec.parameters[std::size_t(q)];
    const double x = r.theta[std::size_t(q)];
    const double sd = cov.size() ? std::sqrt(std::max(0.0, cov(q, q))) : kNaN;
    Estimate e{p.names[std::size_t(q)],          x,     x,        std::max(pq.low, x - 1.96 * sd),
               std::min(pq.high, x + 1.96 * sd), false, "fisher", note[std::size_t(q)]};
    if (profile) {
      e.interval = "profile";
      e.q025 = ends[std::size_t(2 * q)];
      e.q975 = ends[std::size_t(2 * q + 1)];
    }
    if (!e.note.empty()) {
      char text[400];
      std::snprintf(text, sizeof text,
                    "%s = %g is %s; its 95%% interval [%g, %g] is the profile likelihood's "
                    "(docs/calibration.md)",
                    e.name.c_str(), x, e.note.c_str(), e.q025, e.q975);
      out.warnings.push_back(text);
    }
    out.posterior.push_back(e);
  }
}

}  // namespace

// Parameter vectors for the posterior predictive band: `draws` from the normal approximation
// around theta (the inverse Hessian; where it is not positive definite, each parameter alone
// with sd = its 95% interval / 3.92), redrawn until inside the priors (then clipped).
std::vector<std::vector<double>> PosteriorDraws(const MethodContext& c,
                                                const std::vector<double>& theta,
                                                const Eigen::MatrixXd& cov,
                                                const std::vector<Estimate>& posterior, int draws) {
  const CalibrationProblem& p = c.problem;
  const int P = p.Parameters();
  Eigen::MatrixXd L = Eigen::MatrixXd::Zero(P, P);
  Eigen::LLT<Eigen::MatrixXd> llt(cov.size() ? cov : Eigen::MatrixXd::Identity(P, P));
  if (cov.size() && llt.info() == Eigen::Success) {
    L = llt.matrixL();
  } else {
    for (int q = 0; q < P; ++q) {
      const double sd = (posterior[std::size_t(q)].q975 - posterior[std::size_t(q)].q025) / 3.92;
      L(q, q) = std::isfinite(sd) ? sd : 0.0;
    }
  }
  std::vector<std::vector<double>> out;
  for (int k = 0; k < draws; ++k) {
    sim::CounterRng rng(c.seed, kDrawStream, std::uint64_t(k), 0);
    std::normal_distribution<double> normal(0.0, 1.0);
    Eigen::VectorXd x(P);
    for (int tries = 0; tries < 100; ++tries) {
      Eigen::VectorXd z(P);
      for (int q = 0; q < P; ++q) z[q] = normal(rng);
      x = Eigen::Map<const Eigen::VectorXd>(theta.data(), P) + L * z;
      bool inside = true;
      for (int q = 0; q < P; ++q)
        inside = inside && x[q] >= p.spec.parameters[std::size_t(q)].low &&
                 x[q] <= p.spec.parameters[std::size_t(q)].high;
      if (inside) break;
    }
    std::vector<double> t(theta.size());
    for (int q = 0; q < P; ++q)
      t[std::size_t(q)] = std::clamp(x[q], p.spec.parameters[std::size_t(q)].low,
                                     p.spec.parameters[std::size_t(q)].high);
    out.push_back(std::move(t));
  }
  return out;
}

// fit.csv: the prediction at the estimate as the mean and, as the band, the 95% posterior
// predictive (kPredictiveDraws parameter vectors, each run and given its observation noise).
// A problem that rebuilds the model for each run keeps the observation model's band around
// the prediction (200 rebuilds would cost 200 `cordon run`s).
void Fit(const MethodContext& c, const Likelihood& like, const std::vector<double>& theta,
         const Eigen::MatrixXd& cov, MethodOutcome& out) {
  constexpr int kPredictiveDraws = 200;
  const CalibrationProblem& p = c.problem;
  sim::Workspace ws = p.model->MakeWorkspace();
  const auto mu = like.Predict(theta.data(), ws);
  std::vector<std::vector<std::vector<double>>> predicted;  // [draw][series][step]
  if (!p.Rebuilds()) {
    const auto draws = PosteriorDraws(c, theta, cov, out.posterior, kPredictiveDraws);
    predicted.resize(draws.size());
    ParallelFor(
        static_cast<long long>(draws.size()), c.threads, [&] { return p.model->MakeWorkspace(); },
        [&](sim::Workspace& w, long long k) {
          predicted[std::size_t(k)] = like.Predict(draws[std::size_t(k)].data(), w);
        });
    out.fit_band = "posterior predictive";
  }
  const int K = int(predicted.size());
  for (int o = 0; o < int(p.spec.observations.size()); ++o) {
    const scenario::ObservationSpec& spec = p.spec.observations[std::size_t(o)];
    for (int d = 0; d < p.days; ++d) {
      // Each id, then their total (id "total") when there are several.
      FitPoint total{d, "", spec.flow, "total", 0.0, 0.0, 0.0, 0.0};
      std::vector<double> totals(static_cast<std::size_t>(K), 0.0), values = totals;
      double total_var = 0.0;
      int ids = 0;
      for (std::size_t s = 0; s < p.series.size(); ++s) {
        const double y = p.series[s].observed[std::size_t(d)];
        if (p.series[s].observation != o || std::isnan(y)) continue;
        const double m = mu[s][std::size_t(d)];
        FitPoint f{d, "", spec.flow, p.series[s].id, y, m, 0.0, 0.0};
        if (K > 0) {
          for (int k = 0; k < K; ++k) {
            sim::CounterRng rng(c.seed, kDrawStream + 1 + s, std::uint64_t(k), std::uint64_t(d));
            values[std::size_t(k)] =
                DrawObservation(spec, predicted[std::size_t(k)][s][std::size_t(d)], rng);
            totals[std::size_t(k)] += values[std::size_t(k)];
          }
          f.q025 = Quantile(values, 0.025);
          f.q975 = Quantile(values, 0.975);
        } else {
          const double var = ObservationVariance(spec, m, m);  // a normal approximation
          f.q025 = std::max(0.0, m - 1.96 * std::sqrt(var));
          f.q975 = m + 1.96 * std::sqrt(var);
          total_var += var;
        }
        out.fit.push_back(f);
        total.observed += y;
        total.mean += m;
        ++ids;
      }
      if (ids < 2) continue;
      if (K > 0) {
        total.q025 = Quantile(totals, 0.025);
        total.q975 = Quantile(totals, 0.975);
      } else {
        total.q025 = std::max(0.0, total.mean - 1.96 * std::sqrt(total_var));
        total.q975 = total.mean + 1.96 * std::sqrt(total_var);
      }
      out.fit.push_back(total);
    }
  }
}

MethodOutcome RunMle(const MethodContext& c) {
  const CalibrationProblem& p = c.problem;
  const scenario::MethodSpec& method = p.spec.method;
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
  Intervals(c, like, r, cov, out);
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
    out.posterior.push_back({p.spec.derived[std::size_t(k)].name, x, x, x - 1.96 * sd,
                             x + 1.96 * sd, true, "fisher", ""});
  }
  Fit(c, like, r.theta, cov, out);
  return out;
}

}  // namespace cordon::calibrate
