// SPDX-License-Identifier: Apache-2.0
#include "cordon/engine/model_outputs.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "cordon/base/atomic_file.hpp"
#include "cordon/base/csv_table.hpp"
#include "cordon/base/error.hpp"

namespace cordon::engine {

void WriteModelSeriesCsv(const std::string& path, const sim::ModelRunResult& result) {
  AtomicFile file(path);
  std::ostream& out = file.Stream();
  out << "day";
  for (const auto& c : result.columns) out << ',' << CsvField(c);
  out << '\n';
  for (Eigen::Index d = 0; d < result.series.rows(); ++d) {
    out << d;
    for (Eigen::Index c = 0; c < result.series.cols(); ++c)
      out << ',' << FormatNumber(result.series(d, c));
    out << '\n';
  }
  file.Commit();
}

void WriteModelVillagesCsv(const std::string& path, const sim::Network& net,
                           const sim::ModelRunResult& result) {
  AtomicFile file(path);
  std::ostream& out = file.Stream();
  out << "id,name,population,attack_rate,peak_day,first_infected_day,infected_ever\n";
  for (int i = 0; i < net.Patches(); ++i)
    out << CsvField(net.ids[i]) << ',' << CsvField(net.names.empty() ? "" : net.names[i]) << ','
        << FormatNumber(net.population[i]) << ',' << FormatNumber(result.attack_rate[i]) << ','
        << result.peak_day[i] << ',' << result.first_infected_day[i] << ','
        << (result.first_infected_day[i] >= 0 ? 1 : 0) << '\n';
  file.Commit();
}

void WriteModelDailyCsv(const std::string& path, const sim::Network& net,
                        const sim::ModelRunResult& result) {
  const std::size_t patches = std::size_t(net.Patches());
  const std::size_t columns = result.patch_columns.size();
  if (result.patch_daily.size() != std::size_t(result.series.rows()) * columns * patches)
    throw InternalError("daily.csv: the run did not record per-village values");
  AtomicFile file(path);
  std::ostream& out = file.Stream();
  out << "day,id";
  for (const auto& c : result.patch_columns) out << ',' << CsvField(c);
  out << '\n';
  char number[32];
  for (Eigen::Index d = 0; d < result.series.rows(); ++d)
    for (std::size_t i = 0; i < patches; ++i) {
      out << d << ',' << CsvField(net.ids[i]);
      for (std::size_t c = 0; c < columns; ++c) {
        // Full precision: daily.csv is what comparisons with other implementations read.
        std::snprintf(number, sizeof number, "%.17g",
                      result.patch_daily[(std::size_t(d) * columns + c) * patches + i]);
        out << ',' << number;
      }
      out << '\n';
    }
  file.Commit();
}

sim::Summary SummarizeModelRun(const sim::CompiledModel& model, const sim::ModelRunResult& result) {
  const sim::ModelSpec& spec = model.Spec();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  sim::Summary s;
  const double population = model.Net().population.sum();
  const int incidence = spec.FlowIndex("incidence");
  const int states = model.Compartments() + (model.HasPopulationState() ? 1 : 0);
  s.attack_rate =
      incidence >= 0 && population > 0
          ? (result.series.col(states + incidence).sum() + model.SeededPerPatch().sum()) /
                population
          : nan;
  bool hospital = false;
  s.peak_hospital = 0.0;
  s.peak_prevalence = -1.0;
  for (Eigen::Index d = 0; d < result.series.rows(); ++d) {
    double prevalence = 0.0, in_hospital = 0.0;
    for (int c = 0; c < model.Compartments(); ++c) {
      if (spec.compartments[c].infected) prevalence += result.series(d, c);
      if (spec.compartments[c].hospital) in_hospital += result.series(d, c);
      hospital = hospital || spec.compartments[c].hospital;
    }
    if (prevalence > s.peak_prevalence) {
      s.peak_prevalence = prevalence;
      s.peak_day = static_cast<int>(d);
    }
    s.peak_hospital = std::max(s.peak_hospital, in_hospital);
  }
  if (!hospital) s.peak_hospital = nan;
  s.villages_infected = static_cast<int>((result.first_infected_day >= 0).count());
  return s;
}

}  // namespace cordon::engine
