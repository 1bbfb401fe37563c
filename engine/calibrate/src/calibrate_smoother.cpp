// SPDX-License-Identifier: Apache-2.0
// if-eakf with `update: batch` (the default): an ensemble smoother with multiple data
// assimilation (Emerick and Reynolds 2013). Each of N passes runs every member over the
// whole window with its own parameters, then moves the parameters once, by the ensemble
// Kalman update on all observations at once with N times their variance, so the N passes
// together use the data once. The members after the last pass are the posterior; one more
// run of them gives the posterior predictive fit. docs/calibration.md says why this and
// not the daily filter is the default.
#include <Eigen/Dense>
#include <cmath>
#include <random>

#include "calibration_ensemble.hpp"
#include "cordon/base/error.hpp"
#include "cordon/sim/counter_rng.hpp"
#include "cordon/sim/simulation.hpp"

namespace cordon::calibrate {

MethodOutcome RunIfEakfDaily(const MethodContext& c);  // calibrate_eakf.cpp

namespace {

class Smoother {
 public:
  explicit Smoother(const MethodContext& c)
      : c_(c),
        p_(c.problem),
        e_(c, c.problem.scenario.simulation.mode == sim::Mode::kDeterministic) {}

  MethodOutcome Run();

 private:
  // Runs every member over the window (pass n keys the draws); false when stopped.
  bool RunMembers(int n, long long done, long long total, std::vector<FitPoint>* fit,
                  std::vector<FilteredState>* states);
  // The ensemble Kalman update of every member's parameters with all observations, their
  // variances multiplied by `alpha`; pass n keys the observation perturbations.
  void Update(int n, double alpha);

  const MethodContext& c_;
  const CalibrationProblem& p_;
  Ensemble e_;
};

bool Smoother::RunMembers(int n, long long done, long long total, std::vector<FitPoint>* fit,
                          std::vector<FilteredState>* states) {
  e_.Restart();
  if (states) e_.AddStates(0, *states);
  for (int d = 0; d < e_.days; ++d) {
    if (c_.stop && c_.stop->load()) return false;
    e_.StepDay(n, d);
    if (states) e_.AddStates(d + 1, *states);
    if (c_.progress) c_.progress(done + d + 1, total);
  }
  if (fit)  // after the whole window: delayed reports land on later days
    for (int d = 0; d < e_.days; ++d) {
      e_.AddTotals(d, *fit);
      for (std::size_t s = 0; s < p_.series.size(); ++s) {
        const double y = p_.series[s].observed[std::size_t(d)];
        if (!std::isnan(y)) fit->push_back(e_.Forecast(s, d, y));
      }
    }
  return true;
}

void Smoother::Update(int n, double alpha) {
  const int M = e_.Size(), P = e_.Parameters();
  std::vector<std::pair<std::size_t, int>> observed;  // (series, step)
  for (std::size_t s = 0; s < p_.series.size(); ++s)
    for (int d = 0; d < e_.days; ++d)
      if (!std::isnan(p_.series[s].observed[std::size_t(d)])) observed.push_back({s, d});
  const Eigen::Index N = Eigen::Index(observed.size());
  if (N == 0) return;
  // Predictions Y (N x M), the observations' variances times alpha D, and the innovations
  // V = y + e - Y with e ~ N(0, D) drawn per member, centred over the members so that the
  // mean moves by the Kalman gain times the mean innovation exactly.
  Eigen::MatrixXd Y(N, M), V(N, M), theta(P, M);
  Eigen::VectorXd D(N);
  for (Eigen::Index k = 0; k < N; ++k) {
    const auto [s, d] = observed[std::size_t(k)];
    const scenario::ObservationSpec& o =
        p_.spec.observations[std::size_t(p_.series[s].observation)];
    const double y = p_.series[s].observed[std::size_t(d)];
    D[k] = alpha * ObservationVariance(o, y, y);
    for (int m = 0; m < M; ++m) Y(k, m) = e_.Prediction(s, m, d);
  }
  for (int m = 0; m < M; ++m) {
    sim::CounterRng rng(c_.seed, RunKey(n, m), kPerturbationStream, 0);
    std::normal_distribution<double> normal(0.0, 1.0);
    for (Eigen::Index k = 0; k < N; ++k) V(k, m) = std::sqrt(D[k]) * normal(rng);
    for (int q = 0; q < P; ++q) theta(q, m) = e_.theta[std::size_t(m)][std::size_t(q)];
  }
  V = V.colwise() - V.rowwise().mean();
  for (Eigen::Index k = 0; k < N; ++k) {
    const auto [s, d] = observed[std::size_t(k)];
    V.row(k).array() += p_.series[s].observed[std::size_t(d)] - Y.row(k).array();
  }
  // Anomalies scaled by 1 / sqrt(M - 1), so that C_theta,y = A S' and C_yy = S S'.
  const double scale = 1.0 / std::sqrt(double(M - 1));
  const Eigen::MatrixXd S = (Y.colwise() - Y.rowwise().mean()) * scale;
  const Eigen::MatrixXd A = (theta.colwise() - theta.rowwise().mean()) * scale;
  // theta += A S' (S S' + D)^-1 V, in the members' space (Woodbury): with G = S' D^-1 S and
  // T = S' D^-1 V, S' (S S' + D)^-1 V = T - G (I + G)^-1 T: M x M systems whatever N is.
  const Eigen::MatrixXd DS = D.cwiseInverse().asDiagonal() * S;
  const Eigen::MatrixXd G = S.transpose() * DS;
  const Eigen::MatrixXd T = DS.transpose() * V;
  const Eigen::MatrixXd X = (Eigen::MatrixXd::Identity(M, M) + G).ldlt().solve(T);
  const Eigen::MatrixXd move = A * (T - G * X);
  for (int m = 0; m < M; ++m)
    for (int q = 0; q < P; ++q) e_.theta[std::size_t(m)][std::size_t(q)] += move(q, m);
  e_.ClampParameters();
}

MethodOutcome Smoother::Run() {
  const scenario::MethodSpec& method = p_.spec.method;
  MethodOutcome out;
  out.iterations = method.iterations;
  if (method.inflation != 1.1 || method.cooling != 0.9)
    out.warnings.push_back(
        "method.inflation and method.cooling are settings of update: daily; update: batch "
        "(the default) ignores them");
  const long long total = static_cast<long long>(method.iterations + 1) * e_.days;
  e_.DrawPrior(0);
  for (int n = 0; n < method.iterations; ++n) {
    if (!RunMembers(n, static_cast<long long>(n) * e_.days, total, nullptr, nullptr)) {
      out.interrupted = true;
      break;
    }
    Update(n, double(method.iterations));
    out.iterations_done = n + 1;
    std::vector<std::string> unused;  // the collapse check is the posterior's, below
    const std::vector<Estimate> pass = e_.Estimates(unused);
    for (int q = 0; q < e_.Parameters(); ++q)
      out.trace.push_back({n + 1, pass[std::size_t(q)].name, pass[std::size_t(q)].mean,
                           pass[std::size_t(q)].q025, pass[std::size_t(q)].q975});
  }
  if (out.iterations_done == 0) return out;
  out.posterior = e_.Estimates(out.warnings);
  // The posterior predictive: the posterior members run once more, each predicted
  // observation with a draw of its observation noise.
  e_.predictive = true;
  if (!out.interrupted &&
      !RunMembers(method.iterations, static_cast<long long>(method.iterations) * e_.days, total,
                  &out.fit, &out.states))
    out.interrupted = true;
  return out;
}

}  // namespace

MethodOutcome RunIfEakf(const MethodContext& c) {
  if (c.problem.spec.method.ensemble < 2) throw InputError("method.ensemble: needs 2 or more");
  return c.problem.spec.method.daily ? RunIfEakfDaily(c) : Smoother(c).Run();
}

}  // namespace cordon::calibrate
