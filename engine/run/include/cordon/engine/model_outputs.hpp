// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Outputs of a model from a file: the columns come from the model
/// (compartments, N under relocation, named flows), never from C++.

#include <string>

#include "cordon/sim/compiled_model.hpp"

namespace cordon::engine {

/// series.csv: day, then the model's columns (region totals; flows per day).
void WriteModelSeriesCsv(const std::string& path, const sim::ModelRunResult& result);

/// villages.csv: id,name,population,attack_rate,peak_day,first_infected_day,infected_ever
/// (attack_rate empty when the model has no `incidence` flow).
void WriteModelVillagesCsv(const std::string& path, const sim::Network& net,
                           const sim::ModelRunResult& result);

/// daily.csv: day,id, then the model's columns per village and day (flows per day).
/// Needs a result recorded with record_patch_daily.
void WriteModelDailyCsv(const std::string& path, const sim::Network& net,
                        const sim::ModelRunResult& result);

/// Region summary of a run: attack rate (NaN without an `incidence` flow), peak of the
/// infected compartments, peak of the hospital ones (NaN without any), villages infected.
sim::Summary SummarizeModelRun(const sim::CompiledModel& model, const sim::ModelRunResult& result);

}  // namespace cordon::engine
