// SPDX-License-Identifier: Apache-2.0
#include "cordon/engine/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cordon::engine {

const std::vector<std::string>& MetricNames() {
  static const std::vector<std::string> kNames = {
      "attack_rate",       "peak_day",  "peak_prevalence", "peak_H",  "days_over_capacity",
      "villages_infected", "incidence", "detections",      "imports", "turned_back"};
  return kNames;
}

int MetricIndex(const std::string& name) {
  const auto& names = MetricNames();
  const auto it = std::find(names.begin(), names.end(), name);
  return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

RunMetrics MeasureRun(const sim::Model& model, const sim::RunResult& r,
                      const std::vector<int>& named) {
  const double population = model.Net().population.sum();
  const double seeded = model.SeededPerPatch().sum();
  const int reached = static_cast<int>((r.first_infected_day >= 0).count());
  const sim::Summary s = sim::Summarize(model, r.series, r.overflow, population, seeded, reached);
  // A flow's total over the run; NaN when the model has no such flow.
  auto total = [&](const char* name) {
    const int c = model.SeriesColumn(name);
    return c < 0 ? std::numeric_limits<double>::quiet_NaN() : r.series.col(c).sum();
  };
  RunMetrics m;
  m.values = {s.attack_rate,       double(s.peak_day),           s.peak_prevalence,
              s.peak_hospital,     double(s.days_over_capacity), double(s.villages_infected),
              total("incidence"),  total("detections"),          total("imports"),
              total("turned_back")};
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

}  // namespace cordon::engine
