// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Where a value of an input file came from, so that any module can name it
/// in an error message ("file:line:col: key").

#include <string>

namespace cordon {

struct SourceRef {
  std::string file;
  int line = 0;     ///< 1-based; 0 = set on the command line
  int column = 0;   ///< 1-based
  std::string key;  ///< dotted key path, e.g. "imports[0].to"

  /// "file:line:col: key" (or "file: key (set on the command line)").
  std::string Describe() const {
    if (line == 0) return file + ": " + key + " (set on the command line)";
    return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + key;
  }
};

}  // namespace cordon
