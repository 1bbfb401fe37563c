// SPDX-License-Identifier: Apache-2.0
#pragma once
/// What a model reports (docs/models.md, "What a model reports"): the numbers a
/// run is judged by, derived from the model's declaration, in one place for
/// sweeps, comparisons, summaries and optimization. A metric exists only when
/// the model has what it needs:
///
///   attack_rate            a first-infections flow (declared, or the infections of a
///                          model without reinfection): share ever infected
///   infections_per_person  a model with reinfection: every infection per resident
///   peak_day, peak_prevalence, villages_infected
///                          compartments marked infected
///   peak_H                 a hospital compartment
///   days_over_capacity     an overflow flow
///   FLOW_total, FLOW_peak, FLOW_peak_day
///                          every output flow: persons over the run, largest daily
///                          value (persons per day) and its day

#include <string>
#include <vector>

#include "cordon/sim/model.hpp"
#include "cordon/sim/network.hpp"
#include "cordon/sim/simulation.hpp"

namespace cordon::engine {

/// The metrics `spec` reports, in order (the header above says which and why).
std::vector<std::string> MetricNames(const sim::ModelSpec& spec);

/// The values of MetricNames(spec) in a run's summary (NaN where a value does not exist,
/// e.g. the attack rate of an empty region).
std::vector<double> MetricValues(const sim::ModelSpec& spec, const sim::Summary& summary);

/// Index of metric `name` in `names`, or -1.
int MetricIndex(const std::vector<std::string>& names, const std::string& name);

/// One run's metrics.
struct RunMetrics {
  std::vector<double> values;   ///< per MetricNames(model.Spec())
  std::vector<double> arrival;  ///< first day with >= 1 infected, per named patch; NaN = never
};

/// Measures a run. `named` are patch indices whose arrival day is wanted.
RunMetrics MeasureRun(const sim::Model& model, const sim::RunResult& result,
                      const std::vector<int>& named = {});

/// Summarises one run of `model` (sim::Summarize with the run's population and seeds).
sim::Summary SummarizeRun(const sim::Model& model, const sim::RunResult& result);

/// Checkpoint staff-days (persons x days) over days [0, days]: each
/// checkpoint's staff times the part of its active window inside the run.
double StaffDays(const sim::Network& network, int days);

/// Contact tracing's staff-days in a run (persons x days): the contact_tracing policy's
/// staff_per_contact times the contacts traced (the model's tracing.traced flow); 0 when
/// the run does not trace.
double TracingStaffDays(const sim::Model& model, const sim::RunResult& result);

}  // namespace cordon::engine
