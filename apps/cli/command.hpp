// SPDX-License-Identifier: Apache-2.0
#pragma once
// One subcommand of `cordon`: it adds its options to the CLI11 app, and runs
// when chosen. Each lives in its own file (run_command.cpp, ...); main.cpp
// lists them, parses, and maps errors to exit codes (2 input, 1 internal).
#include <CLI/CLI.hpp>
#include <functional>
#include <memory>

namespace cordon::cli {

struct Command {
  CLI::App* app = nullptr;             ///< the subcommand; true once chosen by parsing
  std::function<int()> run;            ///< runs it; returns the exit code
  std::shared_ptr<const int> threads;  ///< its --threads value (for -v); null: none
};

/// Adds --threads N (0 = CORDON_THREADS, else the CPUs this process may use) to `cmd`.
void AddThreadsOption(CLI::App* cmd, int& threads);

Command AddRunCommand(CLI::App& app);        ///< cordon run
Command AddGenerateCommand(CLI::App& app);   ///< cordon generate
Command AddDeriveCommand(CLI::App& app);     ///< cordon derive
Command AddSweepCommand(CLI::App& app);      ///< cordon sweep
Command AddMergeCommand(CLI::App& app);      ///< cordon merge
Command AddCompareCommand(CLI::App& app);    ///< cordon compare
Command AddOptimizeCommand(CLI::App& app);   ///< cordon optimize
Command AddRenderCommand(CLI::App& app);     ///< cordon render
Command AddCalibrateCommand(CLI::App& app);  ///< cordon calibrate

}  // namespace cordon::cli
