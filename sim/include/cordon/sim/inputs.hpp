// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Policies and arrival streams: the interventions of a run besides the
/// checkpoints of the network (docs/model.md). Plain aggregates with a
/// Validate() that throws. Disease parameters belong to the model (ModelSpec).

#include <limits>
#include <string>
#include <vector>

#include "cordon/sim/time_window.hpp"

namespace cordon::sim {

inline constexpr double kUnlimited = std::numeric_limits<double>::infinity();

/// A policy that multiplies a per-village quantity while active: beta for the contact
/// reductions (gathering ban, masks, ...), the attempted trips r_ij of residents for
/// travel_reduction.
struct PatchMultiplier {
  std::string name;          ///< policy type, for messages
  double multiplier = 1.0;   ///< >= 0
  std::vector<int> patches;  ///< patches it applies to; empty = all
  TimeWindow active;
};

/// A coverage policy (returnee home isolation, central isolation, essential flows).
struct CoveragePolicy {
  double coverage = 0.0;  ///< share in [0, 1]
  TimeWindow active;
};

/// Contact tracing from detected cases (docs/model.md, "Contact tracing"): the contacts of
/// the cases a model's tracing block names are found and quarantined after a delay.
struct TracingPolicy {
  bool enabled = false;
  double coverage = 0.0;            ///< share of a case's contacts found, in [0, 1]
  double delay_days = 0.0;          ///< mean days from detection to quarantine; 0: at once
  int delay_stages = 2;             ///< Erlang stages of the delay (1: exponential)
  double contacts_per_case = 10.0;  ///< persons a case met over the lookback window
  double lookback_days = 4.0;       ///< days before detection whose contacts are traced
  double capacity = kUnlimited;     ///< contacts traced per day, region-wide (persons)
  double staff_per_contact = 0.0;   ///< staff-days per traced contact (staff count)
  TimeWindow active;
};

/// All policies of a scenario.
struct Policies {
  std::vector<PatchMultiplier> contact_reductions;
  /// travel_reduction: u_i(t) in [0, 1] multiplies the trips r_ij residents attempt.
  std::vector<PatchMultiplier> travel_reductions;
  std::vector<CoveragePolicy> home_isolation;     ///< returnee_home_isolation: c_h
  std::vector<CoveragePolicy> central_isolation;  ///< central_isolation: c_c
  std::vector<CoveragePolicy> essential_flows;    ///< essential_flows: e
  double beds = kUnlimited;              ///< B, region-wide designated hospital beds (persons)
  double central_capacity = kUnlimited;  ///< C, central isolation places (persons)
  TracingPolicy tracing;                 ///< contact_tracing (at most one)

  void Validate(int patches) const;
};

/// A stream of arrivals from outside the region (returnees).
struct ImportStream {
  std::vector<int> patches;     ///< receiving patches
  std::vector<double> per_day;  ///< persons per day into each receiving patch
  double exposed = 0.0;         ///< phi_E, share exposed
  double infectious = 0.0;      ///< phi_I, share infectious
  /// Checkpoints met on the way in to receiving patch k, in order:
  /// gate_checkpoints[gate_offsets[k] .. gate_offsets[k+1]). Empty offsets = no gates.
  std::vector<int> gate_offsets;
  std::vector<int> gate_checkpoints;
  TimeWindow active;

  void Validate(int patches, int checkpoints) const;
};

/// Residents' trips out of the region and back (docs/model.md, "External trips"): every free
/// travelling resident attempts `per_day` trips a day (times the travel reductions), each
/// through the patch's gate route out and back, meeting the infectious share `prevalence` of
/// the people outside for the visit days of the model's mobility.
struct ExternalTrips {
  double per_day = 0.0;  ///< x, attempted trips per free resident per day; 0 = none
  /// Infectious share of the people met outside: prevalence[n] from day prevalence_days[n]
  /// (increasing) until the next listed day; before the first listed day, the first share.
  std::vector<double> prevalence_days{0.0};
  std::vector<double> prevalence{0.0};
  TimeWindow active;

  bool Enabled() const { return per_day > 0.0; }
  /// The infectious share outside at time t (days).
  double PrevalenceAt(double t) const;
  void Validate() const;
};

}  // namespace cordon::sim
