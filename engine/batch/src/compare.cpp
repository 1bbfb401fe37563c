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

namespace cordon::engine {
namespace {

// The metrics shown, in table order (names from MetricNames()).
constexpr const char* kShown[] = {"attack_rate", "peak_day",           "peak_prevalence",
                                  "peak_H",      "days_over_capacity", "villages_infected",
                                  "turned_back"};

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
  Scenario scenario;
  std::unique_ptr<sim::Model> model;
  std::vector<int> named;  // village index of each config.villages entry
  // Runs of its ensemble; 1 when deterministic.
  int Runs() const {
    const sim::RunSettings& st = scenario.simulation;
    return st.mode == sim::Mode::kStochastic ? st.runs : 1;
  }
};

// Loads and builds every scenario first, so a bad one fails before any run.
std::vector<LoadedScenario> LoadScenarios(const CompareConfig& config) {
  std::vector<LoadedScenario> loaded;
  for (const auto& file : config.scenarios) {
    LoadedScenario l;
    l.scenario = LoadScenario(file, config.overrides);
    l.model = std::make_unique<sim::Model>(BuildScenarioModel(l.scenario, config.threads));
    const sim::Network& net = l.model->Net();
    for (const auto& id : config.villages) {
      const auto it = std::find(net.ids.begin(), net.ids.end(), id);
      if (it == net.ids.end())
        throw InputError(file + ": --village " + id + ": no village with this id");
      l.named.push_back(static_cast<int>(it - net.ids.begin()));
    }
    loaded.push_back(std::move(l));
  }
  return loaded;
}

// What one run leaves for the outcome: its metrics and its daily curves (persons).
struct RunTrace {
  RunMetrics metrics;
  std::vector<double> prevalence, hospital;
};

// The table rows of a scenario's outcome (mean and 90% interval of each
// metric over runs) and its mean daily curves.
void Summarize(const std::vector<RunTrace>& traces, const CompareConfig& config,
               ScenarioOutcome& o) {
  const int runs = static_cast<int>(traces.size());
  auto add = [&](const std::string& name, const std::vector<double>& values) {
    o.metric.push_back(name);
    o.mean.push_back(Mean(values));
    o.q05.push_back(Q(values, 0.05));
    o.q95.push_back(Q(values, 0.95));
  };
  for (const char* name : kShown) {
    const int m = MetricIndex(name);
    std::vector<double> v;
    for (const auto& t : traces) v.push_back(t.metrics.values[m]);
    add(name, v);
    if (std::string(name) == "peak_H") add("beds", std::vector<double>(runs, o.beds));
  }
  add("staff_days", std::vector<double>(runs, o.staff_days));
  for (std::size_t k = 0; k < config.villages.size(); ++k) {
    std::vector<double> v;
    for (const auto& t : traces) v.push_back(t.metrics.arrival[k]);
    add("arrival_day:" + config.villages[k], v);
  }
  const std::size_t days = traces[0].prevalence.size();
  o.prevalence.assign(days, 0.0);
  o.hospital.assign(days, 0.0);
  for (int r = 0; r < runs; ++r)
    for (std::size_t d = 0; d < days; ++d) {
      o.prevalence[d] += traces[r].prevalence[d] / runs;
      o.hospital[d] += traces[r].hospital[d] / runs;
    }
}

// Runs one scenario's ensemble (one run when deterministic) and summarizes it;
// `done` counts runs over all scenarios for `progress`.
ScenarioOutcome RunScenario(const LoadedScenario& l, const CompareConfig& config,
                            const CompareProgress& progress, std::atomic<long long>& done,
                            long long total_runs) {
  const sim::Model& model = *l.model;
  const sim::RunSettings& settings = l.scenario.simulation;
  std::vector<RunTrace> traces(l.Runs());
  ParallelFor(l.Runs(), ResolveThreads(config.threads).count, [&](int r) {
    const sim::RunResult result = sim::Simulate(model, settings, r);
    traces[r].metrics = MeasureRun(model, result, l.named);
    const std::vector<int> infected = model.Spec().Infected(), hospital = model.Spec().Hospital();
    for (Eigen::Index d = 0; d < result.series.rows(); ++d) {
      double p = 0, h = 0;
      for (int c : infected) p += result.series(d, c);
      for (int c : hospital) h += result.series(d, c);
      traces[r].prevalence.push_back(p);
      traces[r].hospital.push_back(h);
    }
    if (progress) progress(++done, total_runs);
  });
  ScenarioOutcome o;
  o.name = l.scenario.name;
  o.file = l.scenario.file;
  o.runs = l.Runs();
  o.beds = model.Beds();
  o.staff_days = StaffDays(model.Net(), settings.days);
  Summarize(traces, config, o);
  return o;
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
  for (std::size_t m = 0; m < first.metric.size(); ++m) {
    out << CsvField(first.metric[m]);
    for (std::size_t s = 0; s < outcomes.size(); ++s) {
      const auto& o = outcomes[s];
      out << ',' << FormatNumber(o.mean[m]) << ',' << FormatNumber(o.q05[m]) << ','
          << FormatNumber(o.q95[m]);
      if (s > 0) out << ',' << FormatNumber(o.mean[m] - first.mean[m]);
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
  for (std::size_t m = 0; m < first.metric.size(); ++m) {
    out << "| " << first.metric[m] << " |";
    for (std::size_t s = 0; s < outcomes.size(); ++s) {
      const auto& o = outcomes[s];
      out << ' ' << Cell(o.mean[m]);
      if (o.runs > 1 && !(o.q05[m] == o.q95[m]))
        out << " [" << Cell(o.q05[m]) << ", " << Cell(o.q95[m]) << "]";
      out << " |";
      if (s > 0) {
        const double d = o.mean[m] - first.mean[m];
        out << ' ';
        if (std::isfinite(d)) out << (d > 0 ? "+" : "") << Cell(d);
        out << " |";
      }
    }
    out << '\n';
  }
  out << "\nMeans over runs with 90% intervals [q05, q95] where runs differ; "
         "arrival days count the runs in which the village was reached.\n";
  f.Commit();
}

}  // namespace

CompareReport RunCompare(const CompareConfig& config, const CompareProgress& progress) {
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

}  // namespace cordon::engine
