# SPDX-License-Identifier: Apache-2.0
# Writes OUT: a C++ source holding the text of every bundled model file (FILES), so the
# binary carries them and `model: NAME` needs no data folder at run time.
set(body "// Generated from data/models/*.yaml by embed_models.cmake. Do not edit.\n")
string(APPEND body "#include <string>\n#include <vector>\n#include <utility>\n")
string(APPEND body "namespace cordon::scenario {\n")
string(APPEND body "const std::vector<std::pair<std::string, const char*>>& BundledModelTable() {\n")
string(APPEND body "  static const std::vector<std::pair<std::string, const char*>> table = {\n")
string(REPLACE "|" ";" FILES "${FILES}")
list(SORT FILES)
foreach(f IN LISTS FILES)
  get_filename_component(name "${f}" NAME_WE)
  file(READ "${f}" text)
  string(APPEND body "    {\"${name}\", R\"cordon_model(${text})cordon_model\"},\n")
endforeach()
string(APPEND body "  };\n  return table;\n}\n}  // namespace cordon::scenario\n")
file(WRITE "${OUT}.tmp" "${body}")
file(RENAME "${OUT}.tmp" "${OUT}")
