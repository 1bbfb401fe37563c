// SPDX-License-Identifier: Apache-2.0
// Lookup in the table of bundled model texts (generated from data/models/ at build time).
#include <string>
#include <utility>
#include <vector>

#include "cordon/scenario/model_file.hpp"

namespace cordon::scenario {

const std::vector<std::pair<std::string, const char*>>& BundledModelTable();

std::vector<std::string> BundledModelNames() {
  std::vector<std::string> names;
  for (const auto& [name, text] : BundledModelTable()) names.push_back(name);
  return names;
}

const char* BundledModelText(const std::string& name) {
  for (const auto& [n, text] : BundledModelTable())
    if (n == name) return text;
  return nullptr;
}

}  // namespace cordon::scenario
