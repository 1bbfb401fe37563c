// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Where a value of an input file came from, so that any module can name it
/// in an error message ("file:line:col: key"), and an InputError can say
/// which file it is about without anyone reading its text.

#include <string>

namespace cordon {

struct SourceRef {
  std::string file{};
  int line = 0;               ///< 1-based; 0: the file as a whole (or the command line)
  int column = 0;             ///< 1-based; 0: the whole line
  std::string key{};          ///< dotted key path ("imports[0].to") or a column ("column 'id'")
  bool command_line = false;  ///< `key` was set by --set, not in the file

  /// "file:line:col: key", "file:line: key" (no column), "file: key" (no line), "file", or
  /// "file: key (set on the command line)".
  std::string Describe() const {
    // Appended piece by piece: GCC 12 warns (-Wrestrict, falsely) on ":" + to_string(n).
    std::string out = file;
    if (line > 0) out.append(":").append(std::to_string(line));
    if (line > 0 && column > 0) out.append(":").append(std::to_string(column));
    if (!key.empty()) out.append(": ").append(key);
    if (command_line) out += " (set on the command line)";
    return out;
  }
};

}  // namespace cordon
