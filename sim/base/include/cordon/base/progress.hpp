// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The one progress callback of long work (runs, ensembles, sweeps, compare, optimize,
/// calibrate).

#include <functional>

namespace cordon {

/// Called as work finishes: `done` of `total` units (runs, sweep rows, evaluations, days:
/// each tool's header says which, and from which threads it is called).
using Progress = std::function<void(long long done, long long total)>;

}  // namespace cordon
