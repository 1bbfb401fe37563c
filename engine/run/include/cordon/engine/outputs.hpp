// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Writers of the output files of docs/scenario.md (stable column names). Each
/// file is written atomically (AtomicFile).

#include <nlohmann/json.hpp>
#include <string>

#include "cordon/base/atomic_file.hpp"
#include "cordon/base/csv_table.hpp"  // FormatNumber, CsvField
#include "cordon/engine/run_report.hpp"
#include "cordon/sim/ensemble.hpp"
#include "cordon/sim/network.hpp"

namespace cordon::engine {

/// series.csv: day, then `columns` (the model's compartments and daily flows); with
/// `quantiles`, each column also gets _q05, _q50, _q95 columns; with a `start_date`
/// (YYYY-MM-DD of day 0) a last column `date`.
void WriteSeriesCsv(const std::string& path, const std::vector<std::string>& columns,
                    const Eigen::ArrayXXd& mean, const sim::EnsembleResult* quantiles,
                    const std::string& start_date = "");

/// daily.csv, written a day at a time while the run goes (it never sits in memory): day,id,
/// then the model's per-village columns (flows per day) at full precision (other
/// implementations compare with it); with a `start_date` a last column `date`. The file
/// appears only at Commit().
class DailyCsvWriter {
 public:
  /// Opens the file and writes the header: `names` as sim::PatchColumns gives them; `ids`
  /// the villages in the network's order (kept by reference: they must outlive the writer).
  DailyCsvWriter(const std::string& path, const std::vector<std::string>& ids,
                 const std::vector<std::string>& names, std::string start_date = "");
  /// Appends day `day`'s rows: values as sim::PatchDayCallback gives them.
  void AddDay(int day, const double* values);
  /// Renames the finished file into place. Throws cordon::Error on a write failure.
  void Commit();

 private:
  AtomicFile file_;
  const std::vector<std::string>& ids_;
  std::size_t columns_;
  std::string start_date_;
};

/// villages.csv: id,name,population,attack_rate,peak_day,first_infected_day,infected_ever,
/// then (with `reinfection`) infections_per_person, then each per-village output flow's
/// persons over the run (result.flow_columns).
void WriteVillagesCsv(const std::string& path, const sim::Network& net,
                      const sim::EnsembleResult& result, bool reinfection = false);

/// checkpoints.csv: id,level,monitored,turned_back,detected (totals over the run).
void WriteCheckpointsCsv(const std::string& path, const sim::Network& net,
                         const sim::EnsembleResult& result);

/// summary.json: the region metrics, with q05/q50/q95 over runs for ensembles.
void WriteSummaryJson(const std::string& path, const RunReport& report, const std::string& hash);

/// Writes `value` as indented JSON, atomically (every JSON output goes through here).
void WriteJsonFile(const std::string& path, const nlohmann::ordered_json& value);

}  // namespace cordon::engine
