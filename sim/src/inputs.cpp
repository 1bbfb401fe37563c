// SPDX-License-Identifier: Apache-2.0
#include "cordon/sim/inputs.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "cordon/base/error.hpp"
#include "cordon/sim/network.hpp"

namespace cordon::sim {
namespace {

void Require(bool ok, const std::string& key, const std::string& what, double value) {
  if (ok) return;
  std::ostringstream msg;
  msg << key << ": " << what << ", got " << value;
  throw InputError(msg.str());
}

void RequireShare(double v, const std::string& key) {
  Require(v >= 0.0 && v <= 1.0, key, "must be a share between 0 and 1", v);
}

void RequireWindow(const TimeWindow& w, const std::string& key) {
  Require(std::isfinite(w.start_day), key + ".start", "must be a finite number of days",
          w.start_day);
  Require(w.end_day > w.start_day, key + ".end", "must be after start", w.end_day);
}

}  // namespace

void Policies::Validate(int patches) const {
  for (const auto* list : {&contact_reductions, &travel_reductions})
    for (const auto& c : *list) {
      Require(std::isfinite(c.multiplier) && c.multiplier >= 0.0,
              "policies." + c.name + ".multiplier", "must be >= 0", c.multiplier);
      RequireWindow(c.active, "policies." + c.name);
      for (int p : c.patches)
        Require(p >= 0 && p < patches, "policies." + c.name + ".villages", "bad patch index", p);
    }
  for (const auto& c : travel_reductions)
    RequireShare(c.multiplier, "policies.travel_reduction.multiplier");
  for (const auto& c : home_isolation) {
    RequireShare(c.coverage, "policies.returnee_home_isolation.coverage");
    RequireWindow(c.active, "policies.returnee_home_isolation");
  }
  for (const auto& c : central_isolation) {
    RequireShare(c.coverage, "policies.central_isolation.coverage");
    RequireWindow(c.active, "policies.central_isolation");
  }
  for (const auto& c : essential_flows) {
    RequireShare(c.coverage, "policies.essential_flows.fraction");
    RequireWindow(c.active, "policies.essential_flows");
  }
  Require(beds >= 0.0, "policies.hospital.beds", "must be >= 0", beds);
  Require(central_capacity >= 0.0, "policies.central_isolation.capacity", "must be >= 0",
          central_capacity);
  if (tracing.enabled) {
    const std::string at = "policies.contact_tracing";
    RequireShare(tracing.coverage, at + ".coverage");
    RequireWindow(tracing.active, at);
    Require(std::isfinite(tracing.delay_days) && tracing.delay_days >= 0.0, at + ".delay_days",
            "must be >= 0", tracing.delay_days);
    Require(tracing.delay_stages >= 1 && tracing.delay_stages <= 16, at + ".delay_stages",
            "must be between 1 and 16", tracing.delay_stages);
    Require(std::isfinite(tracing.contacts_per_case) && tracing.contacts_per_case >= 0.0,
            at + ".contacts_per_case", "must be >= 0", tracing.contacts_per_case);
    Require(tracing.lookback_days >= 0.0, at + ".lookback_days", "must be >= 0",
            tracing.lookback_days);
    Require(tracing.capacity >= 0.0, at + ".capacity", "must be >= 0", tracing.capacity);
    Require(std::isfinite(tracing.staff_per_contact) && tracing.staff_per_contact >= 0.0,
            at + ".staff_per_contact", "must be >= 0", tracing.staff_per_contact);
  }
}

void ImportStream::Validate(int patches, int checkpoints) const {
  Require(per_day.size() == this->patches.size(), "imports", "internal size mismatch",
          double(per_day.size()));
  for (std::size_t k = 0; k < per_day.size(); ++k) {
    Require(this->patches[k] >= 0 && this->patches[k] < patches, "imports.to", "bad patch index",
            this->patches[k]);
    Require(std::isfinite(per_day[k]) && per_day[k] >= 0.0, "imports.per_day",
            "must be >= 0 persons per day", per_day[k]);
  }
  RequireShare(exposed, "imports.exposed");
  RequireShare(infectious, "imports.infectious");
  Require(exposed + infectious <= 1.0 + 1e-12, "imports.infectious",
          "exposed + infectious must not exceed 1", exposed + infectious);
  RequireWindow(active, "imports.days");
  if (!gate_offsets.empty()) {
    Require(gate_offsets.size() == this->patches.size() + 1 &&
                gate_offsets.back() == static_cast<int>(gate_checkpoints.size()),
            "imports.gates", "internal size mismatch", double(gate_offsets.size()));
    for (int k : gate_checkpoints)
      Require(k >= 0 && k < checkpoints, "imports.gates", "bad checkpoint index", k);
  }
}

double ExternalTrips::PrevalenceAt(double t) const {
  const auto after = std::upper_bound(prevalence_days.begin(), prevalence_days.end(), t);
  return after == prevalence_days.begin()
             ? prevalence.front()
             : prevalence[std::size_t(after - prevalence_days.begin()) - 1];
}

void ExternalTrips::Validate() const {
  Require(std::isfinite(per_day) && per_day >= 0.0, "external_trips.per_day",
          "must be >= 0 trips per person per day", per_day);
  Require(!prevalence.empty() && prevalence.size() == prevalence_days.size(),
          "external_trips.prevalence", "needs one share per day", double(prevalence.size()));
  for (std::size_t n = 0; n < prevalence.size(); ++n) {
    RequireShare(prevalence[n], "external_trips.prevalence");
    Require(std::isfinite(prevalence_days[n]) &&
                (n == 0 || prevalence_days[n] > prevalence_days[n - 1]),
            "external_trips.prevalence", "days must increase", prevalence_days[n]);
  }
  RequireWindow(active, "external_trips");
}

void SetEmptyRoutes(Network& network) {
  network.route_offsets.assign(static_cast<std::size_t>(network.trips.nonZeros()) + 1, 0);
  network.route_checkpoints.clear();
}

void SetGates(Network& network, const std::vector<std::vector<int>>& per_patch) {
  network.gate_offsets.assign(1, 0);
  network.gate_checkpoints.clear();
  for (const auto& list : per_patch) {
    network.gate_checkpoints.insert(network.gate_checkpoints.end(), list.begin(), list.end());
    network.gate_offsets.push_back(static_cast<int>(network.gate_checkpoints.size()));
  }
}

void Network::Validate() const {
  const int p = Patches();
  Require(ids.size() == std::size_t(p), "region.villages", "ids and populations differ in size",
          double(ids.size()));
  Require(names.empty() || names.size() == std::size_t(p), "region.villages",
          "names and populations differ in size", double(names.size()));
  for (int i = 0; i < p; ++i) {
    if (!(std::isfinite(population[i]) && population[i] >= 0.0))
      throw InputError("village " + ids[i] + ": population must be >= 0");
  }
  Require(trips.rows() == p && trips.cols() == p, "mobility",
          "trip matrix size differs from "
          "village count",
          double(trips.rows()));
  Require(trips.isCompressed(), "mobility", "trip matrix must be compressed", 0);
  for (int i = 0; i < p; ++i) {
    for (TripMatrix::InnerIterator it(trips, i); it; ++it) {
      if (it.col() == i)
        throw InputError("village " + ids[i] + ": a trip from a village to itself");
      if (!(std::isfinite(it.value()) && it.value() >= 0.0))
        throw InputError("trip " + ids[i] + " -> " + ids[it.col()] + ": rate must be >= 0");
    }
  }
  Require(route_offsets.size() == std::size_t(trips.nonZeros()) + 1, "checkpoints.routes",
          "incidence offsets do not match the trip pairs", double(route_offsets.size()));
  Require(route_offsets.back() == static_cast<int>(route_checkpoints.size()), "checkpoints.routes",
          "incidence offsets do not match the entries", double(route_offsets.back()));
  const int k = static_cast<int>(checkpoints.size());
  for (int c : route_checkpoints)
    Require(c >= 0 && c < k, "checkpoints.routes", "bad checkpoint index", c);
  if (HasGates()) {
    Require(gate_offsets.size() == std::size_t(p) + 1 && gate_offsets.front() == 0 &&
                gate_offsets.back() == static_cast<int>(gate_checkpoints.size()),
            "gates", "offsets do not match the villages and entries", double(gate_offsets.size()));
    for (int i = 0; i < p; ++i)
      Require(gate_offsets[i] <= gate_offsets[i + 1], "gates", "offsets must not decrease", i);
    for (int c : gate_checkpoints) Require(c >= 0 && c < k, "gates", "bad checkpoint index", c);
  }
  for (const auto& c : checkpoints) {
    RequireShare(c.block, "checkpoint " + c.id + ": block");
    RequireShare(c.screen, "checkpoint " + c.id + ": screen");
    RequireShare(c.isolate, "checkpoint " + c.id + ": isolate");
    RequireWindow(c.active, "checkpoint " + c.id);
  }
}

}  // namespace cordon::sim
