// SPDX-License-Identifier: Apache-2.0
// `cordon calibrate`: the file -> the problem -> a method -> posterior.csv,
// trace.csv, fit.csv, calibrated.yaml and summary.json.
#include "cordon/calibrate/calibrate.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>

#include "calibration_methods.hpp"
#include "cordon/base/atomic_file.hpp"
#include "cordon/base/csv_table.hpp"
#include "cordon/base/error.hpp"
#include "cordon/base/threads.hpp"
#include "cordon/engine/dates.hpp"
#include "cordon/sim/counter_rng.hpp"

namespace cordon::calibrate {

DerivedQuantities::DerivedQuantities(const CalibrationProblem& p)
    : p_(p), compiled_(p.model->ParameterValues()) {
  const sim::ModelSpec& spec = p.model->Spec();
  auto resolve = [&](const std::string& name, sim::Symbol& s) {
    s = {sim::Symbol::Kind::kScalar, spec.ParameterIndex(name)};
    return s.slot >= 0;
  };
  for (const auto& d : p.spec.derived) {
    try {
      programs_.push_back(sim::Program::Compile(d.value, resolve));
    } catch (const sim::ExpressionError& e) {
      throw d.value.ErrorAt(e.offset, std::string(e.what()) + " (derived: names model " +
                                          spec.name + "'s parameters)");
    }
    if (programs_.back().PerPatch()) throw d.value.ErrorAt(0, "a derived quantity is one number");
  }
}

std::vector<double> DerivedQuantities::Evaluate(const double* theta) const {
  std::vector<double> values = compiled_;
  const std::vector<double> set = p_.ModelValues(theta);
  for (std::size_t i = 0; i < values.size(); ++i)
    if (!std::isnan(set[i])) values[i] = set[i];
  std::vector<double> out;
  for (const auto& prog : programs_) out.push_back(prog.Scalar({values.data(), nullptr}));
  return out;
}

double ObservationVariance(const scenario::ObservationSpec& o, double y, double mu) {
  switch (o.error) {
    case scenario::ObservationError::kPoisson:
      return std::max(1.0, mu);
    case scenario::ObservationError::kNegBin:
      return std::max(1.0, mu + mu * mu / o.dispersion);
    case scenario::ObservationError::kLi2020:
      return std::max(4.0, y * y / 4.0);
  }
  return 1.0;
}

double DrawObservation(const scenario::ObservationSpec& o, double mu, sim::CounterRng& rng) {
  mu = std::max(mu, 0.0);
  switch (o.error) {
    case scenario::ObservationError::kPoisson:
      return mu > 0.0 ? double(std::poisson_distribution<std::int64_t>(mu)(rng)) : 0.0;
    case scenario::ObservationError::kNegBin: {
      if (mu <= 0.0) return 0.0;
      const double rate = std::gamma_distribution<double>(o.dispersion, mu / o.dispersion)(rng);
      return rate > 0.0 ? double(std::poisson_distribution<std::int64_t>(rate)(rng)) : 0.0;
    }
    case scenario::ObservationError::kLi2020:
      return std::max(0.0, std::normal_distribution<double>(
                               mu, std::sqrt(ObservationVariance(o, mu, mu)))(rng));
  }
  return mu;
}

namespace {

namespace fs = std::filesystem;

void WriteCsv(const std::string& path, const std::string& header,
              const std::vector<std::vector<std::string>>& rows) {
  AtomicFile f(path);
  f.Stream() << header << "\n";
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) f.Stream() << (i ? "," : "") << row[i];
    f.Stream() << "\n";
  }
  f.Commit();
}

std::string Number(double v) { return std::isnan(v) ? "" : FormatNumber(v); }

nlohmann::json JsonNumber(double v) { return std::isfinite(v) ? nlohmann::json(v) : nullptr; }

void WriteOutputs(const CalibrateConfig& config, const CalibrationProblem& p,
                  CalibrationReport& r) {
  fs::create_directories(config.out_dir);
  const std::string dir = config.out_dir + "/";
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : r.posterior)
    rows.push_back({CsvField(e.name), Number(e.mean), Number(e.median), Number(e.q025),
                    Number(e.q975), e.interval, CsvField(e.note)});
  WriteCsv(dir + "posterior.csv", "parameter,mean,median,q025,q975,interval,note", rows);
  rows.clear();
  for (const auto& t : r.trace)
    rows.push_back({std::to_string(t.iteration), CsvField(t.name), Number(t.mean), Number(t.q025),
                    Number(t.q975)});
  WriteCsv(dir + "trace.csv", "iteration,parameter,mean,q025,q975", rows);
  rows.clear();
  for (const auto& f : r.fit)
    rows.push_back({std::to_string(f.day), f.date, CsvField(f.flow), CsvField(f.id),
                    Number(f.observed), Number(f.mean), Number(f.q025), Number(f.q975)});
  WriteCsv(dir + "fit.csv", "day,date,flow,id,observed,mean,q025,q975", rows);
  if (!r.states.empty()) {
    std::string header = "day,date,id";
    for (const auto& c : r.state_columns) header += "," + CsvField(c);
    WriteCsv(dir + "states.csv", header, r.states);
  }

  std::vector<std::string> overrides = p.spec.set;
  for (const auto& e : r.posterior)
    if (!e.derived) overrides.push_back(e.name + "=" + FormatNumber(e.mean));
  {
    AtomicFile f(dir + "calibrated.yaml");
    f.Stream() << "# " << p.spec.scenario << " with the posterior means of " << p.spec.file
               << " (cordon calibrate, " << r.method << ")\n"
               << scenario::RelocatedScenarioText(p.spec.scenario, overrides, config.out_dir);
    f.Commit();
  }
  nlohmann::json j;
  j["cordon_version"] = engine::Version();
  j["calibration"] = p.spec.file;
  j["scenario"] = p.spec.scenario;
  j["model"] = p.model->Spec().name;
  j["method"] = r.method;
  j["seed"] = config.seed;
  j["iterations"] = r.iterations;
  j["iterations_done"] = r.iterations_done;
  j["interrupted"] = r.interrupted;
  j["days"] = r.days;
  j["observations"] = r.fit.size();
  j["log_likelihood"] = JsonNumber(r.log_likelihood);
  j["seconds"] = r.seconds;
  j["fit_band"] = r.fit_band;
  for (const auto& e : r.posterior)
    j[e.derived ? "derived" : "parameters"][e.name] = {
        {"mean", JsonNumber(e.mean)}, {"median", JsonNumber(e.median)},
        {"q025", JsonNumber(e.q025)}, {"q975", JsonNumber(e.q975)},
        {"interval", e.interval},     {"note", e.note}};
  j["warnings"] = r.warnings;
  AtomicFile f(dir + "summary.json");
  f.Stream() << j.dump(2) << "\n";
  f.Commit();
  r.outputs = {"posterior.csv", "trace.csv", "fit.csv", "calibrated.yaml", "summary.json"};
  if (!r.states.empty()) r.outputs.push_back("states.csv");
}

}  // namespace

CalibrationReport RunCalibration(const CalibrateConfig& config, const Progress& progress,
                                 const std::atomic<bool>* stop) {
  const auto started = std::chrono::steady_clock::now();
  const scenario::CalibrationSpec spec = scenario::LoadCalibration(config.file);
  const int threads = ResolveThreads(config.threads).count;
  const CalibrationProblem problem = LoadProblem(spec, threads);
  const DerivedQuantities derived(problem);
  const MethodContext context{problem, derived, config.seed, threads, progress, stop};
  const bool eakf = spec.method.kind == scenario::CalibrationMethod::kIfEakf;
  MethodOutcome outcome = eakf ? RunIfEakf(context) : RunMle(context);
  if (outcome.iterations_done == 0)
    throw Error("calibration interrupted before its first " +
                std::string(eakf ? "iteration" : "start") + " finished: nothing written");
  CalibrationReport r;
  r.method = eakf ? "if-eakf" : "mle";
  r.posterior = std::move(outcome.posterior);
  r.trace = std::move(outcome.trace);
  r.fit = std::move(outcome.fit);
  r.fit_band = !outcome.fit_band.empty() ? outcome.fit_band
               : !eakf                   ? "observation model around the fit"
               : spec.method.daily       ? "one-day-ahead forecast"
                                         : "posterior predictive";
  // The methods count steps; tables count days (Days and dates, docs/calibration.md).
  for (auto& f : r.fit) {
    f.day = DayOfStep(f.day);
    f.date = engine::DateAfter(spec.start_date, f.day);
  }
  if (!outcome.states.empty()) {
    const sim::Model& m = *problem.model;
    for (int c = 0; c < m.Compartments(); ++c)
      r.state_columns.push_back(m.Spec().compartments[c].name);
    if (m.HasPopulationState()) r.state_columns.push_back("N");
    for (const auto& s : outcome.states) {
      // s.day is the time of the state, t = day: its end (day 0: the initial state).
      std::vector<std::string> row{std::to_string(s.day), engine::DateAfter(spec.start_date, s.day),
                                   CsvField(m.Net().ids[std::size_t(s.patch)])};
      for (double v : s.mean) row.push_back(Number(v));
      r.states.push_back(std::move(row));
    }
  }
  r.iterations = outcome.iterations;
  r.iterations_done = outcome.iterations_done;
  r.interrupted = outcome.interrupted;
  r.log_likelihood = outcome.log_likelihood;
  r.warnings = std::move(outcome.warnings);
  r.days = problem.days;
  r.start_date = spec.start_date;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  WriteOutputs(config, problem, r);
  return r;
}

}  // namespace cordon::calibrate
