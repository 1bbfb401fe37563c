// SPDX-License-Identifier: Apache-2.0
#include "cordon/engine/outputs.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "cordon/base/atomic_file.hpp"
#include "cordon/engine/dates.hpp"

namespace cordon::engine {
namespace {

// A JSON number with the 15 significant digits of FormatNumber (null when not finite).
nlohmann::json JsonNumber(double v) {
  if (!std::isfinite(v)) return nullptr;
  if (v == std::floor(v) && std::abs(v) < 1e15)
    return static_cast<std::int64_t>(v);  // 29, not 29.0
  return std::strtod(FormatNumber(v).c_str(), nullptr);
}

}  // namespace

void WriteSeriesCsv(const std::string& path, const std::vector<std::string>& columns,
                    const Eigen::ArrayXXd& mean, const sim::EnsembleResult* quantiles,
                    const std::string& start_date) {
  AtomicFile file(path);
  std::ostream& out = file.Stream();
  const Eigen::Index n = Eigen::Index(columns.size());
  out << "day";
  for (const auto& c : columns) out << ',' << CsvField(c);
  if (quantiles)
    for (const auto& c : columns)
      for (const char* q : {"_q05", "_q50", "_q95"}) out << ',' << CsvField(c + q);
  if (!start_date.empty()) out << ",date";
  out << '\n';
  for (Eigen::Index d = 0; d < mean.rows(); ++d) {
    out << d;
    for (Eigen::Index c = 0; c < n; ++c) out << ',' << FormatNumber(mean(d, c));
    if (quantiles)
      for (Eigen::Index c = 0; c < n; ++c)
        out << ',' << FormatNumber(quantiles->q05(d, c)) << ','
            << FormatNumber(quantiles->q50(d, c)) << ',' << FormatNumber(quantiles->q95(d, c));
    if (!start_date.empty()) out << ',' << DateAfter(start_date, int(d));
    out << '\n';
  }
  file.Commit();
}

void WriteVillagesCsv(const std::string& path, const sim::Network& net,
                      const sim::EnsembleResult& result) {
  AtomicFile file(path);
  std::ostream& out = file.Stream();
  out << "id,name,population,attack_rate,peak_day,first_infected_day,infected_ever\n";
  for (int i = 0; i < net.Patches(); ++i) {
    out << CsvField(net.ids[i]) << ',' << CsvField(net.names.empty() ? "" : net.names[i]) << ','
        << FormatNumber(net.population[i]) << ',' << FormatNumber(result.attack_rate[i]) << ','
        << FormatNumber(result.peak_day[i]) << ',' << FormatNumber(result.first_infected_day[i])
        << ',' << FormatNumber(result.infected_share[i]) << '\n';
  }
  file.Commit();
}

void WriteDailyCsv(const std::string& path, const sim::Network& net,
                   const sim::EnsembleResult& result, const std::string& start_date) {
  const std::size_t patches = std::size_t(net.Patches());
  const std::size_t columns = result.patch_columns.size();
  const std::size_t days =
      columns * patches == 0 ? 0 : result.patch_daily.size() / (columns * patches);
  AtomicFile file(path);
  std::ostream& out = file.Stream();
  out << "day,id";
  for (const auto& c : result.patch_columns) out << ',' << CsvField(c);
  if (!start_date.empty()) out << ",date";
  out << '\n';
  char number[32];
  for (std::size_t d = 0; d < days; ++d) {
    const std::string date = start_date.empty() ? "" : "," + DateAfter(start_date, int(d));
    for (std::size_t i = 0; i < patches; ++i) {
      out << d << ',' << CsvField(net.ids[i]);
      for (std::size_t c = 0; c < columns; ++c) {
        std::snprintf(number, sizeof number, "%.17g",
                      result.patch_daily[(d * columns + c) * patches + i]);
        out << ',' << number;
      }
      out << date << '\n';
    }
  }
  file.Commit();
}

void WriteCheckpointsCsv(const std::string& path, const sim::Network& net,
                         const sim::EnsembleResult& result) {
  AtomicFile file(path);
  std::ostream& out = file.Stream();
  out << "id,level,monitored,turned_back,detected\n";
  for (std::size_t k = 0; k < net.checkpoints.size(); ++k) {
    const auto& c = net.checkpoints[k];
    out << CsvField(c.id) << ',' << CsvField(c.level);
    for (int n = 0; n < sim::kNumCheckpointCounters; ++n)
      out << ',' << FormatNumber(result.checkpoint_totals(Eigen::Index(k), n));
    out << '\n';
  }
  file.Commit();
}

void WriteSummaryJson(const std::string& path, const RunReport& report, const std::string& hash) {
  const sim::Summary& s = report.summary;
  nlohmann::ordered_json j;
  j["name"] = report.name;
  j["model"] = report.model;
  j["mode"] = report.stochastic ? "stochastic" : "deterministic";
  j["runs"] = report.runs;
  j["population"] = JsonNumber(report.population);
  j["attack_rate"] = JsonNumber(s.attack_rate);
  j["peak_day"] = s.peak_day;
  j["peak_prevalence"] = JsonNumber(s.peak_prevalence);
  j["peak_H"] = JsonNumber(s.peak_hospital);
  j["beds"] = JsonNumber(report.beds);
  if (report.has_overflow)
    j["days_over_capacity"] = s.days_over_capacity;
  else
    j["days_over_capacity"] = nullptr;  // the model has no beds to be over
  j["villages_infected"] = s.villages_infected;
  j["turned_back"] = JsonNumber(report.turned_back);
  if (report.stochastic) {
    // Per-run metrics, then their quantiles over runs.
    std::vector<double> attack, peak_day, peak_prev, peak_h, villages, over;
    for (const sim::Summary& rs : report.run_summaries) {
      attack.push_back(rs.attack_rate);
      peak_day.push_back(rs.peak_day);
      peak_prev.push_back(rs.peak_prevalence);
      peak_h.push_back(rs.peak_hospital);
      villages.push_back(rs.villages_infected);
      over.push_back(rs.days_over_capacity);
    }
    auto quantiles = [&](const std::string& name, std::vector<double>& v) {
      j[name + "_q05"] = JsonNumber(sim::Quantile(v, 0.05));
      j[name + "_q50"] = JsonNumber(sim::Quantile(v, 0.50));
      j[name + "_q95"] = JsonNumber(sim::Quantile(v, 0.95));
    };
    quantiles("attack_rate", attack);
    quantiles("peak_day", peak_day);
    quantiles("peak_prevalence", peak_prev);
    quantiles("peak_H", peak_h);
    quantiles("villages_infected", villages);
    quantiles("days_over_capacity", over);
  }
  j["runtime_s"] = JsonNumber(report.runtime_s);
  j["build_s"] = JsonNumber(report.build_s);
  j["threads"] = {{"count", report.threads.count}, {"source", report.threads.source}};
  j["scenario_hash"] = hash;
  j["version"] = Version();
  WriteJsonFile(path, j);
}

void WriteJsonFile(const std::string& path, const nlohmann::ordered_json& value) {
  AtomicFile file(path);
  file.Stream() << value.dump(2) << "\n";
  file.Commit();
}

}  // namespace cordon::engine
