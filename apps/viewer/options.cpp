// SPDX-License-Identifier: Apache-2.0
#include "viewer/options.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "cordon/base/error.hpp"

namespace cordon::viewer {

const char* Usage() {
  return "usage: cordon-viewer [SCENARIO|RESULTS] [--day N] [--size WxH] [--screenshot FILE.png] "
         "[--presenter] [--bench FRAMES] [--script FILE]\n";
}

Options ParseOptions(int argc, const char* const* argv) {
  Options opt;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw InputError(a + " needs a value");
      return argv[++i];
    };
    if (a == "--day") {
      opt.day = std::atoi(next().c_str());
    } else if (a == "--bench") {
      opt.bench_frames = std::atoi(next().c_str());
    } else if (a == "--script") {
      opt.script = next();
    } else if (a == "--screenshot") {
      opt.screenshot = next();
    } else if (a == "--presenter") {
      opt.presenter = true;
    } else if (a == "--size") {
      if (std::sscanf(next().c_str(), "%dx%d", &opt.width, &opt.height) != 2)
        throw InputError("--size expects WIDTHxHEIGHT");
    } else if (a == "--help" || a == "-h") {
      opt.help = true;
      return opt;
    } else if (!a.empty() && a[0] == '-') {
      throw InputError("unknown option " + a);
    } else {
      opt.scenario = a;
    }
  }
  if (!opt.screenshot.empty() && opt.scenario.empty())
    throw InputError("--screenshot needs a scenario");
  // Before the window and the run: a missing folder would fail only at the end, naming the
  // temporary file.
  const std::filesystem::path folder = std::filesystem::path(opt.screenshot).parent_path();
  std::error_code ec;
  if (!opt.screenshot.empty() && !folder.empty() && !std::filesystem::is_directory(folder, ec))
    throw InputError("--screenshot " + opt.screenshot + ": the folder " + folder.string() +
                     " does not exist");
  return opt;
}

}  // namespace cordon::viewer
