// SPDX-License-Identifier: Apache-2.0
#include "cordon/batch/compare.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <limits>
#include <memory>

#include "cordon/base/atomic_file.hpp"
#include "cordon/base/error.hpp"
#include "cordon/base/threads.hpp"
#include "cordon/engine/dates.hpp"
#include "cordon/engine/metrics.hpp"
#include "cordon/engine/model_build.hpp"
#include "cordon/engine/outputs.hpp"
#include "cordon/sim/ensemble.hpp"

namespace cordon::batch {
namespace {

// A curve's label: what it counts and which compartments ("infected (E, I, Eh)").
std::string RoleLabel(const std::string& what, const sim::ModelSpec& spec,
                      const std::vector<int>& compartments) {
  std::string names;
  for (int c : compartments) names += (names.empty() ? "" : ", ") + spec.compartments[c].name;
  return what + " (" + names + ")";
}

std::string Cell(double v) {
  if (std::isnan(v)) return "never";
  if (std::isinf(v)) return "unlimited";
  char buf[64];
  if (std::abs(v) >= 100 || v == std::floor(v))
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else if (std::abs(v) >= 1)
    std::snprintf(buf, sizeof buf, "%.2f", v);
  else
    std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

double Mean(const std::vector<double>& v) {
  double s = 0;
  int n = 0;
  for (double x : v)
    if (!std::isnan(x)) s += x, ++n;
  return n > 0 ? s / n : std::numeric_limits<double>::quiet_NaN();
}

// Quantile over the runs where the value exists (arrival days are NaN for "never").
double Q(std::vector<double> v, double q) {
  std::vector<double> finite;
  for (double x : v)
    if (!std::isnan(x)) finite.push_back(x);
  return sim::Quantile(finite, q);
}

// A scenario loaded and built, with the indices of the villages named by --village.
struct LoadedScenario {
  scenario::Scenario scenario;
  std::unique_ptr<sim::Model> model;
  std::vector<int> named;  // village index of each config.villages entry
  std::string label;       // its name in tables and charts
  // Runs of its ensemble; 1 when deterministic.
  int Runs() const {
    const sim::RunSettings& st = scenario.simulation;
    return st.mode == sim::Mode::kStochastic ? st.runs : 1;
  }
};

// Each scenario's label: config.labels, else its name, with its file name where two share a
// name, and a number where they still do. Throws InputError for a wrong count of labels.
void Label(const CompareConfig& config, std::vector<LoadedScenario>& loaded) {
  if (!config.labels.empty() && config.labels.size() != loaded.size())
    throw InputError("--labels: " + std::to_string(config.labels.size()) + " labels for " +
                     std::to_string(loaded.size()) + " scenarios");
  auto count = [&](const std::string& label) {
    return std::count_if(loaded.begin(), loaded.end(),
                         [&](const LoadedScenario& l) { return l.label == label; });
  };
  for (std::size_t k = 0; k < loaded.size(); ++k)
    loaded[k].label = config.labels.empty() ? loaded[k].scenario.name : config.labels[k];
  if (!config.labels.empty()) {
    for (const auto& l : loaded)
      if (count(l.label) > 1) throw InputError("--labels: '" + l.label + "' given twice");
    return;
  }
  std::vector<std::string> named(loaded.size());
  for (std::size_t k = 0; k < loaded.size(); ++k)
    named[k] = count(loaded[k].label) > 1
                   ? loaded[k].label + " (" +
                         std::filesystem::path(loaded[k].scenario.file).filename().string() + ")"
                   : loaded[k].label;
  for (std::size_t k = 0; k < loaded.size(); ++k) loaded[k].label = named[k];
  for (std::size_t k = 0; k < loaded.size(); ++k)
    named[k] = count(loaded[k].label) > 1 ? named[k] + " #" + std::to_string(k + 1) : named[k];
  for (std::size_t k = 0; k < loaded.size(); ++k) loaded[k].label = named[k];
}

// Loads and builds every scenario first, so a bad one fails before any run.
std::vector<LoadedScenario> LoadScenarios(const CompareConfig& config) {
  std::vector<LoadedScenario> loaded;
  for (const auto& file : config.scenarios) {
    LoadedScenario l;
    l.scenario = scenario::LoadScenario(file, config.overrides);
    l.model = std::make_unique<sim::Model>(engine::BuildScenarioModel(l.scenario, config.threads));
    const sim::Network& net = l.model->Net();
    for (const auto& id : config.villages) {
      const auto it = std::find(net.ids.begin(), net.ids.end(), id);
      if (it == net.ids.end())
        throw InputError(SourceRef{file}, "--village " + id + ": no village with this id");
      l.named.push_back(static_cast<int>(it - net.ids.begin()));
    }
    loaded.push_back(std::move(l));
  }
  Label(config, loaded);
  return loaded;
}

// What one run leaves for the outcome: its metrics and its daily curves (persons).
struct RunTrace {
  engine::RunMetrics metrics;
  double tracing_staff_days = 0.0;          // contacts traced x staff per contact
  std::vector<std::vector<double>> curves;  // per CurveColumns entry
};

// The curves of a scenario (ScenarioOutcome::curves) and the series columns each sums.
std::vector<std::pair<OutcomeCurve, std::vector<int>>> CurveColumns(const sim::Model& model) {
  const sim::ModelSpec& spec = model.Spec();
  std::vector<std::pair<OutcomeCurve, std::vector<int>>> out;
  if (!spec.Infected().empty())
    out.push_back(
        {{"infected", RoleLabel("infected", spec, spec.Infected()), {}}, spec.Infected()});
  if (!spec.Hospital().empty())
    out.push_back(
        {{"hospital", RoleLabel("in hospital", spec, spec.Hospital()), {}}, spec.Hospital()});
  for (const auto& f : spec.flows)
    if (f.output) out.push_back({{f.name, f.name + " per day", {}}, {model.SeriesColumn(f.name)}});
  return out;
}

// The table rows of a scenario's outcome (mean and 90% interval of each
// metric over runs) and its mean daily curves.
void Summarize(const std::vector<RunTrace>& traces, const sim::ModelSpec& spec,
               const CompareConfig& config, ScenarioOutcome& o) {
  const int runs = static_cast<int>(traces.size());
  auto add = [&](const std::string& name, const std::vector<double>& values) {
    o.metric.push_back(name);
    o.mean.push_back(Mean(values));
    o.q05.push_back(Q(values, 0.05));
    o.q95.push_back(Q(values, 0.95));
  };
  const std::vector<std::string> names = engine::MetricNames(spec);
  for (std::size_t m = 0; m < names.size(); ++m) {
    std::vector<double> v;
    for (const auto& t : traces) v.push_back(t.metrics.values[m]);
    add(names[m], v);
    if (names[m] == "peak_H") add("beds", std::vector<double>(runs, o.beds));
  }
  // Checkpoint staff and, per run, contact tracing's (engine/metrics.hpp).
  std::vector<double> staff;
  for (const auto& t : traces) staff.push_back(o.staff_days + t.tracing_staff_days);
  add("staff_days", staff);
  for (std::size_t k = 0; k < config.villages.size(); ++k) {
    std::vector<double> v;
    for (const auto& t : traces) v.push_back(t.metrics.arrival[k]);
    add("arrival_day:" + config.villages[k], v);
  }
  for (std::size_t c = 0; c < o.curves.size(); ++c) {
    std::vector<double>& y = o.curves[c].y;
    y.assign(traces[0].curves[c].size(), 0.0);
    for (int r = 0; r < runs; ++r)
      for (std::size_t d = 0; d < y.size(); ++d) y[d] += traces[r].curves[c][d] / runs;
  }
}

// Runs one scenario's ensemble (one run when deterministic) and summarizes it;
// `done` counts runs over all scenarios for `progress`.
ScenarioOutcome RunScenario(const LoadedScenario& l, const CompareConfig& config,
                            const Progress& progress, std::atomic<long long>& done,
                            long long total_runs) {
  const sim::Model& model = *l.model;
  const sim::RunSettings& settings = l.scenario.simulation;
  std::vector<RunTrace> traces(l.Runs());
  const auto columns = CurveColumns(model);
  ParallelFor(l.Runs(), ResolveThreads(config.threads).count, [&](int r) {
    const sim::RunResult result = sim::Simulate(model, settings, r);
    traces[r].metrics = engine::MeasureRun(model, result, l.named);
    traces[r].tracing_staff_days = engine::TracingStaffDays(model, result);
    for (const auto& [curve, sum] : columns) {
      std::vector<double> y;
      for (Eigen::Index d = 0; d < result.series.rows(); ++d) {
        double v = 0;
        for (int c : sum) v += result.series(d, c);
        y.push_back(v);
      }
      traces[r].curves.push_back(std::move(y));
    }
    if (progress) progress(++done, total_runs);
  });
  ScenarioOutcome o;
  o.name = l.label;
  o.file = l.scenario.file;
  o.model = model.Spec().name;
  o.runs = l.Runs();
  o.beds = model.Beds();
  o.staff_days = engine::StaffDays(model.Net(), settings.days);
  for (const auto& [curve, sum] : columns) o.curves.push_back(curve);
  Summarize(traces, model.Spec(), config, o);
  return o;
}

// Every metric of any outcome, in order of first appearance.
std::vector<std::string> AllMetrics(const std::vector<ScenarioOutcome>& outcomes) {
  std::vector<std::string> all;
  for (const auto& o : outcomes)
    for (const auto& m : o.metric)
      if (std::find(all.begin(), all.end(), m) == all.end()) all.push_back(m);
  return all;
}

// compare.csv: a row per metric; per scenario mean, q05, q95 and the difference to the first.
void WriteCompareCsv(const std::filesystem::path& dir,
                     const std::vector<ScenarioOutcome>& outcomes) {
  const auto& first = outcomes.front();
  AtomicFile f((dir / "compare.csv").string());
  std::ostream& out = f.Stream();
  out << "metric";
  for (std::size_t s = 0; s < outcomes.size(); ++s) {
    const std::string& n = outcomes[s].name;
    out << ',' << CsvField(n) << ',' << CsvField(n + "_q05") << ',' << CsvField(n + "_q95");
    if (s > 0) out << ',' << CsvField(n + "_minus_" + first.name);
  }
  out << '\n';
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (const auto& name : AllMetrics(outcomes)) {
    out << CsvField(name);
    const int first_row = engine::MetricIndex(first.metric, name);
    const double reference = first_row < 0 ? nan : first.mean[std::size_t(first_row)];
    for (std::size_t s = 0; s < outcomes.size(); ++s) {
      const auto& o = outcomes[s];
      const int row = engine::MetricIndex(o.metric, name);
      auto at = [&](const std::vector<double>& v) { return row < 0 ? nan : v[std::size_t(row)]; };
      out << ',' << FormatNumber(at(o.mean)) << ',' << FormatNumber(at(o.q05)) << ','
          << FormatNumber(at(o.q95));
      if (s > 0) out << ',' << FormatNumber(at(o.mean) - reference);
    }
    out << '\n';
  }
  f.Commit();
}

// compare.md: the same table for reading, intervals only where runs differ.
void WriteCompareMd(const std::filesystem::path& dir,
                    const std::vector<ScenarioOutcome>& outcomes) {
  const auto& first = outcomes.front();
  AtomicFile f((dir / "compare.md").string());
  std::ostream& out = f.Stream();
  out << "| metric |";
  for (std::size_t s = 0; s < outcomes.size(); ++s) {
    out << ' ' << outcomes[s].name << " |";
    if (s > 0) out << " vs " << first.name << " |";
  }
  out << "\n|---|";
  for (std::size_t s = 0; s < outcomes.size(); ++s) out << (s > 0 ? "---:|---:|" : "---:|");
  out << '\n';
  for (const auto& name : AllMetrics(outcomes)) {
    out << "| " << name << " |";
    const int first_row = engine::MetricIndex(first.metric, name);
    // NaN is "never" for an arrival day, "-" for another metric.
    const bool arrival = name.rfind("arrival_day:", 0) == 0;
    auto cell = [&](double v) { return std::isnan(v) && !arrival ? std::string("-") : Cell(v); };
    for (std::size_t s = 0; s < outcomes.size(); ++s) {
      const auto& o = outcomes[s];
      const int row = engine::MetricIndex(o.metric, name);
      if (row < 0) {
        out << " n/a |" << (s > 0 ? " |" : "");
        continue;
      }
      const std::size_t m = std::size_t(row);
      out << ' ' << cell(o.mean[m]);
      if (o.runs > 1 && !(o.q05[m] == o.q95[m]))
        out << " [" << cell(o.q05[m]) << ", " << cell(o.q95[m]) << "]";
      out << " |";
      if (s > 0) {
        const double d =
            first_row < 0 ? std::nan("") : o.mean[m] - first.mean[std::size_t(first_row)];
        out << ' ';
        if (std::isfinite(d)) out << (d > 0 ? "+" : "") << Cell(d);
        out << " |";
      }
    }
    out << '\n';
  }
  out << "\nMeans over runs with 90% intervals [q05, q95] where runs differ; "
         "arrival days count the runs in which the village was reached; n/a: the scenario's "
         "model does not report it.\n";
  f.Commit();
}

}  // namespace

const OutcomeCurve* ScenarioOutcome::Curve(const std::string& curve) const {
  for (const auto& c : curves)
    if (c.name == curve) return &c;
  return nullptr;
}

CompareReport RunCompare(const CompareConfig& config, const Progress& progress) {
  if (config.scenarios.empty()) throw InputError("compare: no scenarios given");
  const std::vector<LoadedScenario> loaded = LoadScenarios(config);
  long long total_runs = 0;
  for (const auto& l : loaded) total_runs += l.Runs();

  CompareReport report;
  std::atomic<long long> done{0};
  for (const auto& l : loaded)
    report.outcomes.push_back(RunScenario(l, config, progress, done, total_runs));

  std::error_code ec;
  std::filesystem::create_directories(config.out_dir, ec);
  if (ec) throw Error(config.out_dir + ": cannot create output folder: " + ec.message());
  const std::filesystem::path dir(config.out_dir);
  WriteCompareCsv(dir, report.outcomes);
  WriteCompareMd(dir, report.outcomes);
  report.outputs = {"compare.csv", "compare.md"};
  return report;
}

}  // namespace cordon::batch
