// SPDX-License-Identifier: Apache-2.0
#pragma once
/// cordon-viewer's command line.
///
///   cordon-viewer [SCENARIO|RESULTS] [--day N] [--size WxH] [--screenshot FILE.png]
///                 [--presenter] [--bench FRAMES] [--script FILE]

#include <string>

namespace cordon::viewer {

/// The command line, parsed. Plain aggregate; defaults are an interactive window.
struct Options {
  std::string scenario;            ///< scenario file or results folder to open ("" = none)
  int day = -1;                    ///< day shown when the run arrives (< 0: day 0)
  int width = 1400, height = 860;  ///< window size, pixels
  std::string screenshot;          ///< draw once, write this PNG (+ FILE.png.json) and exit
  bool presenter = false;          ///< start in presenter mode
  int bench_frames =
      0;  ///< draw this many frames (advancing the day), print the mean frame time, exit
  std::string script;  ///< a file of scripted interactions (see script.hpp)
  bool help = false;   ///< --help: print the usage and exit

  /// Whether nobody watches: screenshot, benchmark or script (an invisible window, no vsync).
  bool Batch() const { return !screenshot.empty() || bench_frames > 0 || !script.empty(); }
};

/// The usage line for --help.
const char* Usage();

/// Parses argv. Throws InputError for an unknown option, a missing value,
/// a bad --size, or --screenshot without a scenario.
Options ParseOptions(int argc, const char* const* argv);

}  // namespace cordon::viewer
