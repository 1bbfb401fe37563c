// SPDX-License-Identifier: Apache-2.0
#include "cordon/batch/compare.hpp"

#include <atomic>
#include <cmath>
#include <filesystem>
#include <limits>
#include <mutex>
#include <thread>

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

}  // namespace

CompareReport RunCompare(const CompareConfig& config, const CompareProgress& progress) {
  if (config.scenarios.empty()) throw InputError("compare: no scenarios given");
  // Load and build everything first, so a bad scenario fails before any run.
  std::vector<Scenario> scenarios;
  std::vector<std::unique_ptr<sim::Model>> models;
  std::vector<std::vector<int>> named;
  long long total_runs = 0;
  for (const auto& file : config.scenarios) {
    scenarios.push_back(LoadScenario(file, config.overrides));
    models.push_back(
        std::make_unique<sim::Model>(BuildScenarioModel(scenarios.back(), config.threads)));
    const sim::Network& net = models.back()->Net();
    std::vector<int> idx;
    for (const auto& id : config.villages) {
      const auto it = std::find(net.ids.begin(), net.ids.end(), id);
      if (it == net.ids.end())
        throw InputError(file + ": --village " + id + ": no village with this id");
      idx.push_back(static_cast<int>(it - net.ids.begin()));
    }
    named.push_back(idx);
    const auto& st = scenarios.back().simulation;
    total_runs += st.mode == sim::Mode::kStochastic ? st.runs : 1;
  }

  CompareReport report;
  std::atomic<long long> done{0};
  for (std::size_t s = 0; s < scenarios.size(); ++s) {
    const sim::Model& model = *models[s];
    const sim::RunSettings& settings = scenarios[s].simulation;
    const int runs = settings.mode == sim::Mode::kStochastic ? settings.runs : 1;
    std::vector<RunMetrics> per_run(runs);
    std::vector<std::vector<double>> prevalence(runs), hospital(runs);
    ParallelFor(runs, ResolveThreads(config.threads).count, [&](int r) {
      const sim::RunResult result = sim::Simulate(model, settings, r);
      per_run[r] = MeasureRun(model, result, named[s]);
      for (Eigen::Index d = 0; d < result.series.rows(); ++d) {
        double p = 0;
        for (int c = 0; c < sim::kNumCompartments; ++c)
          if (sim::IsPrevalent(c)) p += result.series(d, c);
        prevalence[r].push_back(p);
        hospital[r].push_back(result.series(d, sim::kH));
      }
      if (progress) progress(++done, total_runs);
    });

    ScenarioOutcome o;
    o.name = scenarios[s].name;
    o.file = scenarios[s].file;
    o.runs = runs;
    o.beds = model.Beds();
    o.staff_days = StaffDays(model.Net(), settings.days);
    auto add = [&](const std::string& name, const std::vector<double>& values) {
      o.metric.push_back(name);
      o.mean.push_back(Mean(values));
      o.q05.push_back(Q(values, 0.05));
      o.q95.push_back(Q(values, 0.95));
    };
    for (const char* name : kShown) {
      const int m = MetricIndex(name);
      std::vector<double> v;
      for (const auto& r : per_run) v.push_back(r.values[m]);
      add(name, v);
      if (std::string(name) == "peak_H") add("beds", std::vector<double>(runs, o.beds));
    }
    add("staff_days", std::vector<double>(runs, o.staff_days));
    for (std::size_t k = 0; k < config.villages.size(); ++k) {
      std::vector<double> v;
      for (const auto& r : per_run) v.push_back(r.arrival[k]);
      add("arrival_day:" + config.villages[k], v);
    }
    const std::size_t days = prevalence[0].size();
    o.prevalence.assign(days, 0.0);
    o.hospital.assign(days, 0.0);
    for (int r = 0; r < runs; ++r)
      for (std::size_t d = 0; d < days; ++d) {
        o.prevalence[d] += prevalence[r][d] / runs;
        o.hospital[d] += hospital[r][d] / runs;
      }
    report.outcomes.push_back(std::move(o));
  }

  std::error_code ec;
  std::filesystem::create_directories(config.out_dir, ec);
  if (ec) throw Error(config.out_dir + ": cannot create output folder: " + ec.message());
  const std::filesystem::path dir(config.out_dir);
  const auto& first = report.outcomes.front();
  {
    AtomicFile f((dir / "compare.csv").string());
    std::ostream& out = f.Stream();
    out << "metric";
    for (std::size_t s = 0; s < report.outcomes.size(); ++s) {
      const std::string& n = report.outcomes[s].name;
      out << ',' << CsvField(n) << ',' << CsvField(n + "_q05") << ',' << CsvField(n + "_q95");
      if (s > 0) out << ',' << CsvField(n + "_minus_" + first.name);
    }
    out << '\n';
    for (std::size_t m = 0; m < first.metric.size(); ++m) {
      out << CsvField(first.metric[m]);
      for (std::size_t s = 0; s < report.outcomes.size(); ++s) {
        const auto& o = report.outcomes[s];
        out << ',' << FormatNumber(o.mean[m]) << ',' << FormatNumber(o.q05[m]) << ','
            << FormatNumber(o.q95[m]);
        if (s > 0) out << ',' << FormatNumber(o.mean[m] - first.mean[m]);
      }
      out << '\n';
    }
    f.Commit();
  }
  {
    AtomicFile f((dir / "compare.md").string());
    std::ostream& out = f.Stream();
    out << "| metric |";
    for (std::size_t s = 0; s < report.outcomes.size(); ++s) {
      out << ' ' << report.outcomes[s].name << " |";
      if (s > 0) out << " vs " << first.name << " |";
    }
    out << "\n|---|";
    for (std::size_t s = 0; s < report.outcomes.size(); ++s)
      out << (s > 0 ? "---:|---:|" : "---:|");
    out << '\n';
    for (std::size_t m = 0; m < first.metric.size(); ++m) {
      out << "| " << first.metric[m] << " |";
      for (std::size_t s = 0; s < report.outcomes.size(); ++s) {
        const auto& o = report.outcomes[s];
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
  report.outputs = {"compare.csv", "compare.md"};
  return report;
}

}  // namespace cordon::engine
