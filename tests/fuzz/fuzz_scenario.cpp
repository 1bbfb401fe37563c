// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: any bytes as a scenario file must give a scenario or a
// cordon::Error, never a crash, a hang or another exception.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "cordon/base/error.hpp"
#include "cordon/scenario/scenario.hpp"
#include "cordon/sim/model.hpp"

namespace {

// The tables the fuzzed scenarios may name, in a per-process folder.
std::filesystem::path FixtureDir() {
  return std::filesystem::temp_directory_path() / ("cordon_fuzz_" + std::to_string(::getpid()));
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const auto dir = FixtureDir();
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "villages.csv") << "id,population,name\nA,1000,a\nB,500,b\nC,20,c\n";
  std::ofstream(dir / "od.csv")
      << "origin,destination,trips_per_person_per_day\nA,B,0.1\nB,C,0.2\n";
  std::ofstream(dir / "checkpoints.csv")
      << "id,level,block,screen,isolate,start,end\nK,t,0.5,0.5,0,1,\n";
  std::ofstream(dir / "routes.csv") << "origin,destination,order,checkpoint\nA,B,1,K\n";
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto scenario =
        cordon::scenario::ParseScenario(text, (FixtureDir() / "fuzz.yaml").string());
    cordon::sim::Model model(scenario.model_spec, cordon::scenario::BuildModelInputs(scenario));
  } catch (const cordon::Error&) {
    // Expected for bad input.
  }
  return 0;
}
