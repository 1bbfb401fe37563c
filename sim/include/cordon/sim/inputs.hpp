// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Disease parameters, policies, imports and seeds: everything besides the
/// network that defines one model run. Plain aggregates with the defaults of
/// docs/model.md (Li et al., Science 368:489, 2020) and a Validate() that throws.

#include <limits>
#include <string>
#include <vector>

#include "cordon/sim/time_window.hpp"

namespace cordon::sim {

inline constexpr double kUnlimited = std::numeric_limits<double>::infinity();

/// Natural history and detection. Scenario key names in comments.
struct Disease {
  double latent_days = 3.69;          ///< latent_days = 1/sigma, days
  double infectious_days = 3.47;      ///< infectious_days = 1/gamma, days
  double r0 = 2.38;                   ///< r0; beta = r0 / infectious_days unless beta is set
  double beta = -1.0;                 ///< beta, per day; < 0 means "derive from r0"
  double febrile_fraction = 0.7;      ///< febrile_fraction f
  double detect_rate = 0.2;           ///< detect_rate delta, per day
  double detect_rate_isolated = 1.0;  ///< detect_rate_isolated delta_q, per day
  double leak_home = 0.3;             ///< leak_home eps_h
  double leak_central = 0.05;         ///< leak_central eps_c
  double leak_hospital = 0.0;         ///< leak_hospital eps_H
  double isolation_days = 14.0;       ///< isolation_days = 1/omega, days
  double hospital_days = 14.0;        ///< hospital_days = 1/gamma_H, days
  double visit_days = 0.33;           ///< visit_days d, days a trip keeps a traveller away

  /// Transmission rate per day.
  double Beta() const { return beta >= 0.0 ? beta : r0 / infectious_days; }
  /// Throws InputError("disease.<key>: ...") on a negative or out-of-range value.
  void Validate() const;
};

/// A contact-reduction policy (gathering ban, masks, ...): beta is multiplied by `multiplier`.
struct ContactReduction {
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

/// All policies of a scenario.
struct Policies {
  std::vector<ContactReduction> contact_reductions;
  std::vector<CoveragePolicy> home_isolation;     ///< returnee_home_isolation: c_h
  std::vector<CoveragePolicy> central_isolation;  ///< central_isolation: c_c
  std::vector<CoveragePolicy> essential_flows;    ///< essential_flows: e
  double beds = kUnlimited;              ///< B, region-wide designated hospital beds (persons)
  double central_capacity = kUnlimited;  ///< C, central isolation places (persons)

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

/// Infections placed at t = 0 (moved from S).
struct Seed {
  int patch = 0;
  double exposed = 0.0;     ///< persons
  double infectious = 0.0;  ///< persons
};

}  // namespace cordon::sim
