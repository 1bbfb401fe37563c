// SPDX-License-Identifier: Apache-2.0
// Sweep YAML -> SweepSpec, through the scenario's YAML reader.
#include "cordon/scenario/sweep_file.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "cordon/base/csv_table.hpp"
#include "cordon/base/error.hpp"
#include "cordon/scenario/scenario.hpp"
#include "cordon/sim/latin_hypercube.hpp"
#include "yaml_reader.hpp"

namespace cordon::scenario {
namespace {

// A whole number in [1, 1e7] (runs, samples.n).
int Count(const Reader& r, const YAML::Node& n, const std::string& key) {
  const double v = r.Value(n, key);
  if (v < 1 || v != std::floor(v) || v > 1e7) r.Fail(n, key, "must be a whole number >= 1");
  return static_cast<int>(v);
}

// Collects points and, per point, where it was declared (for messages).
struct PointList {
  SweepSpec& spec;
  std::vector<std::string> where;

  void Add(SweepPoint p, const std::string& at) {
    for (const auto& [k, v] : p.overrides)
      if (std::find(spec.keys.begin(), spec.keys.end(), k) == spec.keys.end())
        spec.keys.push_back(k);
    spec.points.push_back(std::move(p));
    where.push_back(at);
  }
};

// vary: {key: [values]}: the Cartesian product, first key slowest.
void ParseVary(const Reader& r, const YAML::Node& vary, PointList& list) {
  if (!vary.IsMap()) r.Fail(vary, "vary", "expected {key.path: [values]}");
  std::vector<std::pair<std::string, std::vector<std::string>>> axes;
  for (const auto& kv : vary) {
    const std::string key = kv.first.Scalar();
    const std::string at = "vary." + key;
    if (!kv.second.IsSequence()) r.Fail(kv.second, at, "expected a list of values");
    if (kv.second.size() == 0) r.Fail(kv.second, at, "empty range");
    std::vector<std::string> values;
    for (const auto& v : kv.second) values.push_back(ValueText(v));
    axes.push_back({key, values});
  }
  std::vector<std::size_t> index(axes.size(), 0);
  while (true) {
    SweepPoint p;
    for (std::size_t a = 0; a < axes.size(); ++a)
      p.overrides.push_back({axes[a].first, axes[a].second[index[a]]});
    list.Add(std::move(p), r.Ref(vary, "vary").Describe());
    std::size_t a = axes.size();
    while (a > 0 && ++index[a - 1] == axes[a - 1].second.size()) index[--a] = 0;
    if (a == 0) break;
  }
}

// points: [{key: value, ...}, ...].
void ParsePoints(const Reader& r, const YAML::Node& points, PointList& list) {
  if (!points.IsSequence()) r.Fail(points, "points", "expected a list");
  for (std::size_t n = 0; n < points.size(); ++n) {
    const YAML::Node m = points[n];
    const std::string at = "points[" + std::to_string(n) + "]";
    if (!m.IsMap() || m.size() == 0) r.Fail(m, at, "expected {key.path: value, ...}");
    SweepPoint p;
    for (const auto& kv : m) p.overrides.push_back({kv.first.Scalar(), ValueText(kv.second)});
    list.Add(std::move(p), r.Ref(m, at).Describe());
  }
}

// samples: {n, seed, ranges: {key: [low, high]}}: a Latin hypercube, each
// dimension's n strata in a seeded random order, a uniform draw in each.
void ParseSamples(const Reader& r, const YAML::Node& samples, PointList& list) {
  if (!samples.IsMap()) r.Fail(samples, "samples", "expected {n, seed, ranges}");
  r.CheckKeys(samples, "samples", {"n", "seed", "ranges"});
  if (!samples["n"]) r.Fail(samples, "samples.n", "missing required key");
  const int count = Count(r, samples["n"], "samples.n");
  const double seed = samples["seed"] ? r.Value(samples["seed"], "samples.seed") : 1.0;
  const YAML::Node ranges = samples["ranges"];
  if (!ranges || !ranges.IsMap() || ranges.size() == 0)
    r.Fail(samples, "samples.ranges", "expected {key.path: [low, high]}");
  std::vector<std::pair<std::string, std::pair<double, double>>> dims;
  for (const auto& kv : ranges) {
    const std::string at = "samples.ranges." + kv.first.Scalar();
    if (!kv.second.IsSequence() || kv.second.size() != 2)
      r.Fail(kv.second, at, "expected [low, high]");
    const double lo = r.Value(kv.second[0], at), hi = r.Value(kv.second[1], at);
    if (!(hi > lo)) r.Fail(kv.second, at, "empty range (high must exceed low)");
    dims.push_back({kv.first.Scalar(), {lo, hi}});
  }
  const auto points = sim::LatinHypercube(count, static_cast<int>(dims.size()),
                                          static_cast<std::uint64_t>(seed), 0);
  for (int i = 0; i < count; ++i) {
    SweepPoint p;
    for (std::size_t d = 0; d < dims.size(); ++d) {
      const double u = points[std::size_t(i)][d];
      const double lo = dims[d].second.first, hi = dims[d].second.second;
      p.overrides.push_back({dims[d].first, FormatNumber(lo + u * (hi - lo))});
    }
    list.Add(std::move(p), r.Ref(samples, "samples").Describe());
  }
}

// Every point must make a valid scenario, so nothing runs before all are known good, and
// run point 0's model (spec.model), so that every row has the same metrics.
void CheckPoints(SweepSpec& spec, const std::vector<std::string>& where) {
  for (std::size_t p = 0; p < spec.points.size(); ++p) {
    std::vector<std::string> overrides;
    for (const auto& [k, v] : spec.points[p].overrides) overrides.push_back(k + "=" + v);
    try {
      Scenario s = ParseScenario(spec.base_text, spec.base, overrides);
      if (spec.runs > 1 && s.simulation.mode != sim::Mode::kStochastic)
        throw InputError("simulation.mode: runs > 1 needs stochastic runs");
      if (p == 0)
        spec.model = std::move(s.model_spec);
      else if (s.model_spec.file != spec.model.file)
        throw InputError("model: a sweep runs one model (point 0 runs " + spec.model.file +
                         ", this point " + s.model_spec.file + "); sweep each model apart");
    } catch (const InputError& e) {
      throw InputError(where[p] + ": point " + std::to_string(p) + ": " + e.what());
    }
  }
}

}  // namespace

SweepSpec LoadSweep(const std::string& path) {
  const YAML::Node root = LoadYaml(ReadTextFile(path, "sweep file"), path);
  if (!root.IsMap())
    throw InputError(SourceRef{path}, "expected a sweep mapping (base, runs, vary, ...)");
  const Reader r(path);
  r.CheckKeys(root, "", {"name", "base", "runs", "vary", "points", "samples"});
  SweepSpec spec;
  spec.file = path;
  if (!root["base"] || !root["base"].IsScalar())
    throw InputError(SourceRef{path}, "base: missing required key (the base scenario file)");
  spec.base = r.ExistingPath(root, "base", "");
  spec.base_text = ReadTextFile(spec.base, "base scenario");
  const Scenario base_scenario = ParseScenario(spec.base_text, spec.base);
  const bool stochastic = base_scenario.simulation.mode == sim::Mode::kStochastic;
  spec.runs = stochastic ? base_scenario.simulation.runs : 1;
  if (const YAML::Node runs = root["runs"]) {
    spec.runs = Count(r, runs, "runs");
    if (spec.runs > 1 && !stochastic)
      r.Fail(runs, "runs", "runs > 1 needs a stochastic base (simulation.mode: stochastic)");
  }
  PointList list{spec, {}};
  if (root["vary"]) ParseVary(r, root["vary"], list);
  if (root["points"]) ParsePoints(r, root["points"], list);
  if (root["samples"]) ParseSamples(r, root["samples"], list);
  if (spec.points.empty())
    throw InputError(SourceRef{path}, "nothing varies (give vary, points or samples)");
  CheckPoints(spec, list.where);
  return spec;
}

}  // namespace cordon::scenario
