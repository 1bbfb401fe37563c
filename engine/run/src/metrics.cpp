// SPDX-License-Identifier: Apache-2.0
#include "cordon/engine/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cordon::engine {
namespace {

// Names and values of `spec`'s metrics from one walk, so the two never disagree.
void Walk(const sim::ModelSpec& spec, const sim::Summary* s, std::vector<std::string>* names,
          std::vector<double>* values) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto add = [&](const std::string& name, double value) {
    if (names) names->push_back(name);
    if (values) values->push_back(value);
  };
  if (spec.FirstInfectionsFlow() >= 0) add("attack_rate", s ? s->attack_rate : nan);
  if (spec.InfectionsFlow() >= 0 && spec.Reinfection())
    add("infections_per_person", s ? s->infections_per_person : nan);
  if (!spec.Infected().empty()) {
    add("peak_day", s ? double(s->peak_day) : nan);
    add("peak_prevalence", s ? s->peak_prevalence : nan);
  }
  if (!spec.Hospital().empty()) add("peak_H", s ? s->peak_hospital : nan);
  if (spec.OverflowFlow() >= 0) add("days_over_capacity", s ? double(s->days_over_capacity) : nan);
  if (!spec.Infected().empty()) add("villages_infected", s ? double(s->villages_infected) : nan);
  for (const auto& f : spec.flows) {
    if (!f.output) continue;
    const sim::FlowSummary* fs = nullptr;
    if (s)
      for (const auto& x : s->flows)
        if (x.name == f.name) fs = &x;
    add(f.name + "_total", fs ? fs->total : nan);
    add(f.name + "_peak", fs ? fs->peak : nan);
    add(f.name + "_peak_day", fs ? double(fs->peak_day) : nan);
  }
}

}  // namespace

std::vector<std::string> MetricNames(const sim::ModelSpec& spec) {
  std::vector<std::string> names;
  Walk(spec, nullptr, &names, nullptr);
  return names;
}

std::vector<double> MetricValues(const sim::ModelSpec& spec, const sim::Summary& summary) {
  std::vector<double> values;
  Walk(spec, &summary, nullptr, &values);
  return values;
}

int MetricIndex(const std::vector<std::string>& names, const std::string& name) {
  const auto it = std::find(names.begin(), names.end(), name);
  return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

sim::Summary SummarizeRun(const sim::Model& model, const sim::RunResult& r) {
  const double population = model.Net().population.sum();
  const double seeded = model.SeededPerPatch().sum();
  const int reached = static_cast<int>((r.first_infected_day >= 0).count());
  return sim::Summarize(model, r.series, r.overflow, population, seeded, reached);
}

RunMetrics MeasureRun(const sim::Model& model, const sim::RunResult& r,
                      const std::vector<int>& named) {
  RunMetrics m;
  m.values = MetricValues(model.Spec(), SummarizeRun(model, r));
  for (int p : named) {
    const int day = r.first_infected_day[p];
    m.arrival.push_back(day >= 0 ? double(day) : std::numeric_limits<double>::quiet_NaN());
  }
  return m;
}

double StaffDays(const sim::Network& network, int days) {
  double total = 0.0;
  for (const auto& c : network.checkpoints) {
    const double from = std::max(0.0, c.active.start_day);
    const double to = std::min(double(days), c.active.end_day);
    if (to > from) total += c.staff * (to - from);
  }
  return total;
}

double TracingStaffDays(const sim::Model& model, const sim::RunResult& result) {
  const sim::TracingPolicy& policy = model.Policy().tracing;
  if (!policy.enabled || policy.staff_per_contact <= 0.0) return 0.0;
  // The contacts reached: the model's flow of tracing.traced, whether it is an output or not.
  const std::vector<int>& traced = model.TracingTracedFlows();
  if (traced.empty() || std::size_t(traced.front()) >= result.flow_region_totals.size()) return 0.0;
  return policy.staff_per_contact * result.flow_region_totals[std::size_t(traced.front())];
}

}  // namespace cordon::engine
