// SPDX-License-Identifier: Apache-2.0
#pragma once
/// A sweep file (docs/batch.md): a base scenario and what varies (a grid,
/// a list of override sets, Latin-hypercube samples), each point run `runs`
/// times. Read through the same YAML reader as scenarios; running it is
/// cordon/batch/sweep.hpp's job.

#include <string>
#include <utility>
#include <vector>

#include "cordon/sim/model_spec.hpp"

namespace cordon::scenario {

/// One point of a sweep: the `--set` overrides that define it.
struct SweepPoint {
  std::vector<std::pair<std::string, std::string>> overrides;  ///< key path, YAML value text
};

/// A parsed, validated sweep file.
struct SweepSpec {
  std::string file;                ///< the sweep YAML
  std::string base;                ///< base scenario, resolved
  std::string base_text;           ///< its text, as read and validated
  int runs = 1;                    ///< runs per point (1 for deterministic bases)
  std::vector<std::string> keys;   ///< every varied key, in order of first appearance
  std::vector<SweepPoint> points;  ///< grid, then list, then samples
  sim::ModelSpec model;            ///< the model every point runs (as point 0 gives it)
};

/// Reads and validates a sweep: unknown keys, empty ranges, bad sample
/// ranges, and every point's overrides applied to the base scenario (so an
/// unknown key path or a bad value fails before anything runs); every point runs one
/// model (its outputs have one set of columns). Throws
/// InputError naming the sweep file, line and key.
SweepSpec LoadSweep(const std::string& path);

}  // namespace cordon::scenario
