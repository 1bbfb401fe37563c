// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Parameter sweeps: a base scenario and what varies (a grid, a list of
/// override sets, Latin-hypercube samples), each point run `runs` times.
/// One row per (point, run) in sweep.csv, per-point quantiles in
/// sweep_points.csv. Rows are appended to sweep.partial.csv and flushed as
/// they finish, so an interrupted sweep keeps them and `resume` skips them;
/// the final files are sorted by (point, run), so they are identical for
/// any thread count, under MPI, and for shards joined by MergeSweeps.

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "cordon/base/progress.hpp"
#include "cordon/scenario/sweep_file.hpp"

namespace cordon::batch {

struct SweepConfig {
  std::string sweep;          ///< sweep YAML
  std::string out_dir;        ///< created if missing
  int threads = 0;            ///< 0 = the default count (cordon/base/threads.hpp)
  bool resume = false;        ///< continue the rows in out_dir/sweep.partial*.csv
  int shard = 1, shards = 1;  ///< run only rows with (row index % shards) == shard - 1
  const std::atomic<bool>* stop =
      nullptr;  ///< set (e.g. by Ctrl-C) to stop after the rows in flight
};

struct SweepReport {
  long long rows = 0;                ///< rows of this process's share
  long long done = 0;                ///< of those, finished (incl. resumed)
  long long resumed = 0;             ///< found finished in partial files
  bool interrupted = false;          ///< stopped before all rows were done
  int ranks = 1;                     ///< MPI processes that shared the work
  int threads = 1;                   ///< threads per process
  std::vector<std::string> outputs;  ///< files written (only when complete)
};

/// Runs the sweep. Under `mpirun` (when built with MPI) the rows are split
/// across ranks and rank 0 writes the files; other ranks return with an
/// empty `outputs`. Throws InputError for a bad sweep or scenario and when
/// out_dir holds partial rows but `resume` is off. `progress` gets (rows done, rows to do
/// in this process).
SweepReport RunSweep(const SweepConfig& config, const Progress& progress = {});

/// Joins the sweep.csv files of shard folders into out_dir/sweep.csv and
/// sweep_points.csv. Throws InputError when headers differ, a row appears
/// twice, or rows are missing.
std::vector<std::string> MergeSweeps(const std::vector<std::string>& shard_dirs,
                                     const std::string& out_dir);

}  // namespace cordon::batch
