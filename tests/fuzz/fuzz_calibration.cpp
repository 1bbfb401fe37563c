// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the first byte picks what the rest is: a calibration file (read and
// validated against a small scenario), or the observation table of one of two fixed
// calibrations (by day, cumulative, delayed; by date, negative binomial), which then run
// (mle, two evaluations). Any bytes must give results or a cordon::Error, never a crash,
// a hang or another exception.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "cordon/base/error.hpp"
#include "cordon/calibrate/calibrate.hpp"
#include "cordon/scenario/calibration_file.hpp"

namespace {

std::filesystem::path Dir() {
  return std::filesystem::temp_directory_path() /
         ("cordon_fuzz_calibration_" + std::to_string(::getpid()));
}

void Write(const std::string& name, const std::string& text) {
  std::ofstream(Dir() / name) << text;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  std::filesystem::create_directories(Dir());
  Write("villages.csv", "id,population\n5301001,1000\n5301002,500\n5302001,800\n");
  Write("od.csv",
        "origin,destination,trips_per_person_per_day\n5301001,5301002,0.1\n5302001,5301001,0.1\n");
  Write("s.yaml",
        "model: seir\nregion: {villages: {csv: villages.csv}}\n"
        "mobility: {model: od, od: {csv: od.csv}}\n"
        "seed_infections: [{village: 5301001, E: 5}]\n"
        "simulation: {days: 10, dt: 0.5, start_date: 2020-01-01}\n");
  const std::string params =
      "parameters: [{key: disease.r0, low: 1, high: 3}, "
      "{key: \"seed_infections[0].E\", low: 0, high: 9}]\n"
      "method: {name: mle, starts: 1, max_evaluations: 2}\n";
  Write("by_day.yaml",
        "scenario: s.yaml\nobservations: [{csv: obs.csv, flow: incidence, "
        "cumulative: true, delay: {mean: 2, shape: 2}}]\n" +
            params);
  Write("by_date.yaml",
        "scenario: s.yaml\nobservations: [{csv: obs.csv, flow: incidence, "
        "columns: {date: date}, error: negbin, window: [2020-01-02, 9]}]\n" +
            params);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const int mode = data[0] % 3;
  const std::string name = mode == 0 ? "c.yaml" : "obs.csv";
  std::ofstream((Dir() / name).string(), std::ios::binary)
      .write(reinterpret_cast<const char*>(data + 1), std::streamsize(size - 1));
  try {
    if (mode == 0) {
      cordon::scenario::LoadCalibration((Dir() / "c.yaml").string());
    } else {
      cordon::calibrate::CalibrateConfig config;
      config.file = (Dir() / (mode == 1 ? "by_day.yaml" : "by_date.yaml")).string();
      config.out_dir = (Dir() / "out").string();
      config.threads = 1;
      cordon::calibrate::RunCalibration(config);
    }
  } catch (const cordon::Error&) {
    // Expected for bad input.
  }
  return 0;
}
