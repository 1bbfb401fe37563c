// SPDX-License-Identifier: Apache-2.0
// `cordon sweep` and `cordon merge`: parameter sweeps, resumable, across
// threads, MPI ranks or shards.
#include <csignal>
#include <cstdio>
#include <cstdlib>

#include "command.hpp"
#include "cordon/base/error.hpp"
#include "cordon/batch/sweep.hpp"
#include "progress.hpp"
#include "sweep_chart.hpp"

namespace cordon::cli {
namespace {

struct SweepState {
  batch::SweepConfig config;
  std::string shard;
  bool quiet = false;
};

struct MergeState {
  std::vector<std::string> dirs;
  std::string out;
};

// Ctrl-C asks a sweep to stop after the rows in flight; a second Ctrl-C kills.
std::atomic<bool> stop_requested{false};
extern "C" void OnInterrupt(int) {
  if (stop_requested.exchange(true)) std::_Exit(130);
}

// `cordon sweep`: rows appended as they finish; Ctrl-C keeps them for --resume.
int Sweep(batch::SweepConfig config, const std::string& shard, bool quiet) {
  if (!shard.empty()) {
    const auto slash = shard.find('/');
    try {
      config.shard = std::stoi(shard.substr(0, slash));
      config.shards = slash == std::string::npos ? 0 : std::stoi(shard.substr(slash + 1));
    } catch (const std::exception&) {
      config.shards = 0;
    }
    if (config.shards < 1 || config.shard < 1 || config.shard > config.shards)
      throw InputError("--shard " + shard + ": expected K/N with 1 <= K <= N");
  }
  std::signal(SIGINT, OnInterrupt);
  std::signal(SIGTERM, OnInterrupt);
  config.stop = &stop_requested;
  ProgressPrinter progress(quiet, "rows");
  progress.CountFromFirstReport();
  const auto report =
      batch::RunSweep(config, [&](long long done, long long total) { progress(done, total); });
  if (report.outputs.empty() && !report.interrupted) return 0;  // an MPI rank other than 0
  if (report.interrupted) {
    std::fprintf(stderr,
                 "cordon: interrupted: %lld of %lld rows done, kept in %s/sweep.partial*.csv; "
                 "rerun with --resume to finish\n",
                 report.done, report.rows, config.out_dir.c_str());
    return 130;
  }
  std::vector<std::string> outputs = report.outputs;
  const std::string chart = WriteSweepGridChart(config.out_dir);  // a two-key grid's heatmap
  if (!chart.empty()) outputs.push_back(chart);
  if (!quiet) {
    std::printf("sweep               %lld rows (%lld resumed) on %d process%s x %d thread%s\n",
                report.rows, report.resumed, report.ranks, report.ranks == 1 ? "" : "es",
                report.threads, report.threads == 1 ? "" : "s");
    PrintOutputs(config.out_dir, outputs);
  }
  return 0;
}

}  // namespace

Command AddSweepCommand(CLI::App& app) {
  auto s = std::make_shared<SweepState>();
  CLI::App* cmd = app.add_subcommand(
      "sweep", "Run a parameter sweep (grid, list, Latin hypercube) x stochastic runs");
  cmd->add_option("sweep", s->config.sweep, "Sweep YAML file")->required();
  cmd->add_option("--out,-o", s->config.out_dir, "Output folder (created if missing)")->required();
  AddThreadsOption(cmd, s->config.threads);
  cmd->add_flag("--resume", s->config.resume, "Continue an interrupted sweep in --out");
  cmd->add_option("--shard", s->shard, "Run only shard K of N (K/N), for job arrays");
  cmd->add_flag("--quiet,-q", s->quiet, "Print no progress or summary");
  return {cmd, [s] { return Sweep(s->config, s->shard, s->quiet); },
          std::shared_ptr<const int>(s, &s->config.threads)};
}

Command AddMergeCommand(CLI::App& app) {
  auto s = std::make_shared<MergeState>();
  CLI::App* cmd = app.add_subcommand("merge", "Join the outputs of sweep shards");
  cmd->add_option("shards", s->dirs, "The --out folders of the shards")->required();
  cmd->add_option("--out,-o", s->out, "Output folder")->required();
  return {cmd,
          [s] {
            batch::MergeSweeps(s->dirs, s->out);
            std::printf("merged %zu shards into %s/{sweep.csv,sweep_points.csv}\n", s->dirs.size(),
                        s->out.c_str());
            return 0;
          },
          nullptr};
}

}  // namespace cordon::cli
