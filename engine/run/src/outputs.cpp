// SPDX-License-Identifier: Apache-2.0
#include "cordon/engine/outputs.hpp"

#include <charconv>
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
                      const sim::EnsembleResult& result, bool reinfection) {
  AtomicFile file(path);
  std::ostream& out = file.Stream();
  out << "id,name,population,attack_rate,peak_day,first_infected_day,infected_ever";
  if (reinfection) out << ",infections_per_person";
  for (const auto& f : result.flow_columns) out << ',' << CsvField(f);
  out << '\n';
  for (int i = 0; i < net.Patches(); ++i) {
    out << CsvField(net.ids[i]) << ',' << CsvField(net.names.empty() ? "" : net.names[i]) << ','
        << FormatNumber(net.population[i]) << ',' << FormatNumber(result.attack_rate[i]) << ','
        << FormatNumber(result.peak_day[i]) << ',' << FormatNumber(result.first_infected_day[i])
        << ',' << FormatNumber(result.infected_share[i]);
    if (reinfection) out << ',' << FormatNumber(result.infections_per_person[i]);
    for (Eigen::Index f = 0; f < result.flow_totals.cols(); ++f)
      out << ',' << FormatNumber(result.flow_totals(i, f));
    out << '\n';
  }
  file.Commit();
}

DailyCsvWriter::DailyCsvWriter(const std::string& path, const std::vector<std::string>& ids,
                               const std::vector<std::string>& names, std::string start_date)
    : file_(path), ids_(ids), columns_(names.size()), start_date_(std::move(start_date)) {
  std::ostream& out = file_.Stream();
  out << "day,id";
  for (std::size_t c = 0; c < columns_; ++c) out << ',' << CsvField(names[c]);
  if (!start_date_.empty()) out << ",date";
  out << '\n';
}

void DailyCsvWriter::AddDay(int day, const double* values) {
  const std::size_t patches = ids_.size();
  // Appends rather than operator+ chains: GCC 12 warns falsely (-Wrestrict) on those.
  std::string date;
  if (!start_date_.empty()) date.append(",").append(DateAfter(start_date_, day));
  std::string lead = std::to_string(day);
  lead += ',';
  // One row at a time into a buffer, numbers as every CSV writes them (WriteNumber).
  std::string row;
  char number[kNumberChars];
  std::ostream& out = file_.Stream();
  for (std::size_t i = 0; i < patches; ++i) {
    row = lead;
    row += CsvField(ids_[i]);
    for (std::size_t c = 0; c < columns_; ++c) {
      row += ',';
      row.append(number, WriteNumber(values[c * patches + i], number));
    }
    row += date;
    row += '\n';
    out.write(row.data(), std::streamsize(row.size()));
  }
}

void DailyCsvWriter::Commit() { file_.Commit(); }

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
  if (!report.start_date.empty()) j["start_date"] = report.start_date;
  j["model"] = report.model;
  j["mode"] = report.stochastic ? "stochastic" : "deterministic";
  j["runs"] = report.runs;
  j["population"] = JsonNumber(report.population);
  j["attack_rate"] = JsonNumber(s.attack_rate);
  if (report.reinfection) j["infections_per_person"] = JsonNumber(s.infections_per_person);
  if (report.infections_flow.empty())
    j["infections"] = nullptr;
  else
    j["infections"] = {{"flow", report.infections_flow},
                       {"attack_rate", report.first_infections ? "first infections per resident"
                                                               : "null: reinfection"}};
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
  // Per-run values of one metric, then their quantiles over runs under `prefix`.
  auto quantiles = [&](nlohmann::ordered_json& into, const std::string& prefix,
                       double (*of)(const sim::Summary&, std::size_t), std::size_t k) {
    std::vector<double> v;
    for (const sim::Summary& rs : report.run_summaries) v.push_back(of(rs, k));
    into[prefix + "_q05"] = JsonNumber(sim::Quantile(v, 0.05));
    into[prefix + "_q50"] = JsonNumber(sim::Quantile(v, 0.50));
    into[prefix + "_q95"] = JsonNumber(sim::Quantile(v, 0.95));
  };
  if (report.stochastic) {
    using S = const sim::Summary&;
    quantiles(
        j, "attack_rate", [](S r, std::size_t) { return r.attack_rate; }, 0);
    if (report.reinfection)
      quantiles(
          j, "infections_per_person", [](S r, std::size_t) { return r.infections_per_person; }, 0);
    quantiles(
        j, "peak_day", [](S r, std::size_t) { return double(r.peak_day); }, 0);
    quantiles(
        j, "peak_prevalence", [](S r, std::size_t) { return r.peak_prevalence; }, 0);
    quantiles(
        j, "peak_H", [](S r, std::size_t) { return r.peak_hospital; }, 0);
    quantiles(
        j, "villages_infected", [](S r, std::size_t) { return double(r.villages_infected); }, 0);
    quantiles(
        j, "days_over_capacity", [](S r, std::size_t) { return double(r.days_over_capacity); }, 0);
  }
  // Every output flow: over the run (mean series), with per-run quantiles for ensembles.
  nlohmann::ordered_json flows = nlohmann::ordered_json::object();
  for (std::size_t k = 0; k < s.flows.size(); ++k) {
    const sim::FlowSummary& f = s.flows[k];
    nlohmann::ordered_json o;
    o["total"] = JsonNumber(f.total);
    o["peak"] = JsonNumber(f.peak);
    o["peak_day"] = f.peak_day;
    if (report.stochastic) {
      using S = const sim::Summary&;
      quantiles(
          o, "total", [](S r, std::size_t i) { return r.flows[i].total; }, k);
      quantiles(
          o, "peak", [](S r, std::size_t i) { return r.flows[i].peak; }, k);
      quantiles(
          o, "peak_day", [](S r, std::size_t i) { return double(r.flows[i].peak_day); }, k);
    }
    flows[f.name] = o;
  }
  j["flows"] = flows;
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
