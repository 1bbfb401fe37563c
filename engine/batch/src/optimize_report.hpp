// SPDX-License-Identifier: Apache-2.0
#pragma once
// The files of `cordon optimize`: every site with its rank (sites.csv and
// the layers of sites.gpkg), the objective after each choice (curve.csv)
// and the placements side by side (placements.csv, placements.md).
#include <string>
#include <vector>

#include "cordon/batch/optimize.hpp"
#include "cordon/geo/geography.hpp"
#include "cordon/sim/network.hpp"
#include "optimize_candidates.hpp"

namespace cordon::batch {

/// Writes the files of a finished `report` into out_dir (created if
/// missing); `runs`: the stochastic runs behind each placement. Returns the
/// names written. Throws Error when a file cannot be written.
std::vector<std::string> WriteOptimizeOutputs(const std::string& out_dir,
                                              const OptimizeReport& report,
                                              const Candidates& candidates, const sim::Network& net,
                                              const geo::Geography& geography, int runs);

}  // namespace cordon::batch
