// SPDX-License-Identifier: Apache-2.0
// Calibration YAML -> CalibrationSpec, through the scenario's YAML reader.
#include "cordon/scenario/calibration_file.hpp"

#include <sstream>

#include "cordon/base/csv_table.hpp"
#include "cordon/geo/od_table.hpp"
#include "cordon/scenario/scenario.hpp"
#include "yaml_reader.hpp"

namespace cordon::scenario {
namespace {

// A whole number in [low, high].
int WholeNumber(const Reader& r, const YAML::Node& map, const char* key, const std::string& path,
                int fallback, int low, int high) {
  const double v = r.Number(map, key, path, fallback, low, high);
  if (v != double(int(v))) r.Fail(map[key], Reader::Join(path, key), "must be a whole number");
  return int(v);
}

// A day of the window: a date YYYY-MM-DD (needs the scenario's start_date) or a day number.
int WindowDay(const Reader& r, const YAML::Node& n, const std::string& key,
              const std::string& start_date) {
  if (!n.IsScalar()) r.Fail(n, key, "expected a date YYYY-MM-DD or a day number");
  const std::string text = n.Scalar();
  if (const auto date = geo::DayNumber(text)) {
    if (start_date.empty()) r.Fail(n, key, "a date needs the scenario's simulation.start_date");
    return int(*date - *geo::DayNumber(start_date));
  }
  const double v = r.Value(n, key);
  if (v != double(int(v))) r.Fail(n, key, "expected a date YYYY-MM-DD or a whole day number");
  return int(v);
}

ObservationSpec ParseObservation(const Reader& r, const YAML::Node& m, const std::string& path,
                                 const std::string& start_date) {
  r.CheckKeys(m, path,
              {"csv", "flow", "columns", "cumulative", "delay", "error", "dispersion", "window"});
  ObservationSpec o;
  o.where = r.Ref(m, path);
  o.csv = r.CsvPath(m, path);
  o.flow = r.RequiredText(m, "flow", path);
  if (const YAML::Node c = m["columns"]) {
    const std::string at = path + ".columns";
    r.CheckKeys(c, at, {"day", "date", "id", "value"});
    if (c["day"] && c["date"]) r.Fail(c, at, "give day or date, not both");
    o.day_column = c["date"] ? "" : r.Text(c, "day", at, "day");
    o.date_column = r.Text(c, "date", at);
    o.id_column = r.Text(c, "id", at, "id");
    o.value_column = r.Text(c, "value", at, "value");
  }
  if (const YAML::Node c = m["cumulative"]) {
    if (!c.IsScalar() ||
        (c.Scalar() != "true" && c.Scalar() != "false" && c.Scalar() != "since_start"))
      r.Fail(c, path + ".cumulative", "expected true, false or since_start");
    o.cumulative = c.Scalar() != "false";
    o.since_start = c.Scalar() == "since_start";
  }
  if (const YAML::Node d = m["delay"]) {
    const std::string at = path + ".delay";
    r.CheckKeys(d, at, {"mean", "shape"});
    if (!d["mean"] || !d["shape"]) r.Fail(d, at, "expected {mean: DAYS, shape: K}");
    o.delay_mean = r.Number(d, "mean", at, 0.0, 1e-6, 365.0);
    o.delay_shape = r.Number(d, "shape", at, 0.0, 1e-3, 1e3);
  }
  const std::string error = r.Text(m, "error", path, "poisson");
  if (error == "poisson")
    o.error = ObservationError::kPoisson;
  else if (error == "negbin")
    o.error = ObservationError::kNegBin;
  else if (error == "li2020")
    o.error = ObservationError::kLi2020;
  else
    r.Fail(m["error"], path + ".error", "expected poisson, negbin or li2020, got '" + error + "'");
  o.dispersion = r.Number(m, "dispersion", path, 10.0, 1e-6, 1e9);
  if (const YAML::Node w = m["window"]) {
    const std::string at = path + ".window";
    if (!w.IsSequence() || w.size() != 2) r.Fail(w, at, "expected [first, last] (dates or days)");
    o.first_day = WindowDay(r, w[0], at, start_date);
    o.last_day = WindowDay(r, w[1], at, start_date);
    if (o.last_day < o.first_day) r.Fail(w, at, "the last day is before the first");
    o.window_text = "[" + w[0].Scalar() + ", " + w[1].Scalar() + "]";
  }
  return o;
}

// `disease.NAME` must name a model parameter, `seed_infections[K].X` a seeded compartment;
// any other key needs a model built per evaluation, which only mle does.
void CheckParameterKey(const Reader& r, const YAML::Node& n, const CalibratedParameter& p,
                       const Scenario& base, const MethodSpec& method) {
  const sim::ModelSpec& spec = base.model_spec;
  const std::string at = p.where.key;
  if (p.key.rfind("disease.", 0) == 0) {
    const int index = spec.ParameterIndex(p.key.substr(8));
    if (index < 0)
      r.Fail(n, at, "model " + spec.name + " has no parameter '" + p.key.substr(8) + "'");
    const sim::ParameterSpec& ps = spec.parameters[std::size_t(index)];
    if (p.low < ps.min || p.high > ps.max) {
      std::ostringstream what;
      what << "[" << p.low << ", " << p.high << "] leaves the parameter's range [" << ps.min << ", "
           << ps.max << "]";
      r.Fail(n, at, what.str());
    }
    return;
  }
  if (p.key.rfind("seed_infections[", 0) == 0) {
    if (p.low < 0.0) r.Fail(n, at, "persons seeded cannot be negative");
    return;  // the scenario parse checks the index and the compartment
  }
  if (method.kind == CalibrationMethod::kIfEakf)
    r.Fail(n, at,
           "'" + p.key +
               "' cannot be calibrated by if-eakf (it moves parameters every day): give "
               "disease.<parameter> or seed_infections[K].<compartment>, or use method mle");
}

void ParseParameters(const Reader& r, const YAML::Node& list, CalibrationSpec& spec,
                     const Scenario& base) {
  const std::string text = ReadTextFile(spec.scenario, "base scenario");
  r.RequireList(list, "parameters");
  if (list.size() == 0) r.Fail(list, "parameters", "nothing to calibrate (the list is empty)");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const YAML::Node m = list[i];
    const std::string at = "parameters[" + std::to_string(i) + "]";
    r.CheckKeys(m, at, {"key", "low", "high"});
    CalibratedParameter p;
    p.key = r.RequiredText(m, "key", at);
    p.where = r.Ref(m, at + ".key");
    if (!m["low"] || !m["high"]) r.Fail(m, at, "expected {key, low, high}");
    p.low = r.Value(m["low"], at + ".low");
    p.high = r.Value(m["high"], at + ".high");
    if (!(p.low < p.high)) r.Fail(m["high"], at + ".high", "must be above low");
    for (const auto& q : spec.parameters)
      if (q.key == p.key) r.Fail(m, at + ".key", "'" + p.key + "' is calibrated twice");
    CheckParameterKey(r, m, p, base, spec.method);
    for (double v : {p.low, p.high}) {
      std::vector<std::string> overrides = spec.set;
      overrides.push_back(p.key + "=" + FormatNumber(v));
      try {
        ParseScenario(text, spec.scenario, overrides);
      } catch (const InputError& e) {
        r.Fail(m, at + ".key", e.what());
      }
    }
    spec.parameters.push_back(p);
  }
}

void ParseDerived(const Reader& r, const YAML::Node& map, CalibrationSpec& spec) {
  r.RequireMap(map, "derived");
  for (const auto& kv : map) {
    const std::string name = kv.first.Scalar();
    const std::string at = "derived." + name;
    if (!kv.second.IsScalar()) r.Fail(kv.second, at, "expected an expression");
    DerivedQuantity d{name, {}};
    try {
      d.value = sim::ParseExpression(kv.second.Scalar());
    } catch (const sim::ExpressionError& e) {
      r.Fail(kv.second, at, e.what());
    }
    d.value.where = r.Ref(kv.second, at);
    spec.derived.push_back(std::move(d));
  }
}

MethodSpec ParseMethod(const Reader& r, const YAML::Node& m) {
  MethodSpec method;
  r.CheckKeys(m, "method",
              {"name", "ensemble", "iterations", "update", "inflation", "cooling", "dt",
               "algorithm", "starts", "max_evaluations"});
  const std::string name = r.RequiredText(m, "name", "method");
  if (name == "if-eakf") {
    method.kind = CalibrationMethod::kIfEakf;
    method.ensemble = WholeNumber(r, m, "ensemble", "method", 300, 10, 100000);
    method.iterations = WholeNumber(r, m, "iterations", "method", 10, 1, 1000);
    const std::string update = r.Text(m, "update", "method", "batch");
    if (update != "batch" && update != "daily")
      r.Fail(m["update"], "method.update", "expected batch or daily, got '" + update + "'");
    method.daily = update == "daily";
    method.inflation = r.Number(m, "inflation", "method", 1.1, 1.0, 10.0);
    method.cooling = r.Number(m, "cooling", "method", 0.9, 0.01, 1.0);
    method.dt = r.Number(m, "dt", "method", 1.0, 1e-3, 1.0);
    const double steps = 1.0 / method.dt;
    if (std::abs(steps - std::round(steps)) > 1e-9)
      r.Fail(m["dt"], "method.dt", "must divide one day evenly (1/dt a whole number)");
  } else if (name == "mle") {
    method.kind = CalibrationMethod::kMle;
    method.algorithm = r.Text(m, "algorithm", "method", "bobyqa");
    if (method.algorithm != "bobyqa" && method.algorithm != "neldermead")
      r.Fail(m["algorithm"], "method.algorithm",
             "expected bobyqa or neldermead, got '" + method.algorithm + "'");
    method.starts = WholeNumber(r, m, "starts", "method", 8, 1, 10000);
    method.max_evaluations = WholeNumber(r, m, "max_evaluations", "method", 0, 0, 100000000);
  } else {
    r.Fail(m["name"], "method.name", "expected if-eakf or mle, got '" + name + "'");
  }
  for (const char* key : {"ensemble", "iterations", "update", "inflation", "cooling", "dt"})
    if (m[key] && method.kind != CalibrationMethod::kIfEakf)
      r.Fail(m[key], std::string("method.") + key, "is a setting of if-eakf");
  for (const char* key : {"algorithm", "starts", "max_evaluations"})
    if (m[key] && method.kind != CalibrationMethod::kMle)
      r.Fail(m[key], std::string("method.") + key, "is a setting of mle");
  return method;
}

}  // namespace

CalibrationSpec LoadCalibration(const std::string& path) {
  const YAML::Node root = LoadYaml(ReadTextFile(path, "calibration file"), path);
  if (!root.IsMap())
    throw InputError(SourceRef{path},
                     "expected a calibration mapping (scenario, observations, ...)");
  const Reader r(path);
  r.CheckKeys(
      root, "",
      {"name", "scenario", "set", "observations", "parameters", "derived", "method", "states"});
  CalibrationSpec spec;
  spec.file = path;
  if (!root["scenario"] || !root["scenario"].IsScalar())
    throw InputError(SourceRef{path}, "scenario: missing required key (the base scenario file)");
  spec.scenario = r.ExistingPath(root, "scenario", "");
  if (const YAML::Node set = root["set"]) {
    r.RequireMap(set, "set");
    for (const auto& kv : set) spec.set.push_back(kv.first.Scalar() + "=" + ValueText(kv.second));
  }
  Scenario scenario;
  try {
    scenario = LoadScenario(spec.scenario, spec.set);
  } catch (const InputError& e) {
    r.Fail(root["scenario"], "scenario", e.what());
  }
  spec.start_date = scenario.start_date;
  const YAML::Node obs = root["observations"];
  if (!obs) throw InputError(SourceRef{path}, "observations: missing required key");
  r.RequireList(obs, "observations");
  if (obs.size() == 0) r.Fail(obs, "observations", "no observations (the list is empty)");
  for (std::size_t i = 0; i < obs.size(); ++i)
    spec.observations.push_back(
        ParseObservation(r, obs[i], "observations[" + std::to_string(i) + "]", spec.start_date));
  if (!root["method"]) throw InputError(SourceRef{path}, "method: missing required key");
  spec.method = ParseMethod(r, root["method"]);
  if (!root["parameters"]) throw InputError(SourceRef{path}, "parameters: missing required key");
  ParseParameters(r, root["parameters"], spec, scenario);
  if (root["derived"]) ParseDerived(r, root["derived"], spec);
  if (const YAML::Node states = root["states"]) {
    r.RequireList(states, "states");
    if (spec.method.kind != CalibrationMethod::kIfEakf)
      r.Fail(states, "states",
             "filtered states come from if-eakf; with mle run calibrated.yaml (`cordon run`)");
    spec.states_where = r.Ref(states, "states");
    for (const auto& id : states) spec.states.push_back(id.Scalar());
  }
  return spec;
}

}  // namespace cordon::scenario
