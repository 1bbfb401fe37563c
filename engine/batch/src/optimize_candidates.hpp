// SPDX-License-Identifier: Apache-2.0
#pragma once
// The candidate sites of `cordon optimize`: where they come from (a point
// layer or an admin level's road crossings, plus every crossing of the
// region border for the naive "seal the border" placement) and how much
// traffic each intercepts, which orders the greedy shortlist.
#include <string>
#include <vector>

#include "cordon/batch/optimize.hpp"
#include "cordon/geo/geography.hpp"
#include "cordon/scenario/scenario.hpp"
#include "cordon/sim/model.hpp"

namespace cordon::batch {

/// Candidates by index k: the sites (k < sites), then the border sites.
struct Candidates {
  int sites = 0;                 ///< how many candidates are sites proper
  std::vector<int> checkpoints;  ///< checkpoint index of each candidate
  std::vector<std::string> ids;  ///< checkpoint id without its prefix
  std::vector<double> staff;     ///< persons per day to run each candidate
  std::vector<double> flow;      ///< trips per day passing each candidate, arrivals included
  std::vector<int> by_flow;      ///< the sites (0..sites-1), busiest first, ties in order
  /// Sites and border sites.
  int Count() const { return static_cast<int>(checkpoints.size()); }
};

/// Adds to the scenario the candidate sites of `config.sites` and a cordon
/// at the region border, all with the site settings of `config`.
void AddCandidateSpecs(const OptimizeConfig& config, scenario::Scenario& scenario);

/// The candidates of inputs built from AddCandidateSpecs's scenario; switches
/// off the border cordon's crossings inside the region (they serve no
/// placement). Throws InputError when there is no site or the budget
/// exceeds the site count.
Candidates FindCandidates(const OptimizeConfig& config, const geo::Geography& geography,
                          sim::ModelInputs& inputs);

}  // namespace cordon::batch
