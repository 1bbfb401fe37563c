// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Reading a whole text file, with the error every input file gets.

#include <fstream>
#include <sstream>
#include <string>

#include "cordon/base/error.hpp"

namespace cordon {

/// The whole text of `path`; InputError "PATH: cannot open WHAT" when it cannot be read.
inline std::string ReadTextFile(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(SourceRef{path}, "cannot open " + what);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace cordon
