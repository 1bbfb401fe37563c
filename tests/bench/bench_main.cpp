// SPDX-License-Identifier: Apache-2.0
// main() of the benchmark programs: the CLI's start, huge pages for malloc
// (cordon/base/huge_pages.hpp), so that the figures are the program's.
#include <benchmark/benchmark.h>

#include "cordon/base/huge_pages.hpp"

int main(int argc, char** argv) {
  cordon::ExecWithHugePages(argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
