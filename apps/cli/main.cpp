// SPDX-License-Identifier: Apache-2.0
// `cordon`: the command line. Thin: each subcommand adds its options and runs
// the engine (one file each); errors are caught here only and their kind
// becomes the exit code (2 bad input, 1 internal).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <vector>

#include "command.hpp"
#include "cordon/base/error.hpp"
#include "cordon/base/huge_pages.hpp"
#include "cordon/base/threads.hpp"
#include "cordon/engine/dates.hpp"

namespace cordon::cli {

void AddThreadsOption(CLI::App* cmd, int& threads) {
  cmd->add_option("--threads", threads,
                  "Threads (0 = CORDON_THREADS, else the CPUs this process may use)")
      ->check(CLI::NonNegativeNumber);
}

}  // namespace cordon::cli

int main(int argc, char** argv) {
  cordon::ExecWithHugePages(argv);  // first: it may start this program again
  namespace cli = cordon::cli;
  CLI::App app{"cordon: epidemic checkpoints and isolation, simulated"};
  app.set_version_flag("--version", cordon::engine::Version());
  app.require_subcommand(1);
  bool verbose = false;
  app.add_flag("--verbose,-v", verbose,
               "Print the thread count in use and where it came from (--threads, "
               "CORDON_THREADS or the CPUs this process may use), and the memory pages");
  const std::vector<cli::Command> commands = {
      cli::AddRunCommand(app),      cli::AddGenerateCommand(app), cli::AddDeriveCommand(app),
      cli::AddSweepCommand(app),    cli::AddMergeCommand(app),    cli::AddCompareCommand(app),
      cli::AddOptimizeCommand(app), cli::AddRenderCommand(app),   cli::AddCalibrateCommand(app)};
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  try {
    for (const auto& c : commands) {
      if (!*c.app) continue;
      if (verbose) {
        const cordon::ThreadCount threads = cordon::ResolveThreads(c.threads ? *c.threads : 0);
        std::fprintf(stderr, "cordon: threads: %d (from %s)\n", threads.count,
                     threads.source.c_str());
        std::fprintf(stderr, "cordon: memory: %s\n", cordon::DescribePages().c_str());
      }
      return c.run();
    }
    return 0;
  } catch (const cordon::InputError& e) {
    std::fprintf(stderr, "cordon: error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cordon: internal error: %s\n", e.what());
    return 1;
  }
}
