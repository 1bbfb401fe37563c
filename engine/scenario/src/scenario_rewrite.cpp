// SPDX-License-Identifier: Apache-2.0
// A scenario written elsewhere (calibrated.yaml): overrides applied, paths re-anchored.
#include <filesystem>

#include "cordon/scenario/scenario.hpp"
#include "yaml_reader.hpp"

namespace cordon::scenario {
namespace {

namespace fs = std::filesystem;

// `value` (relative to `from`) as a path relative to `to`; absolute paths stay.
std::string Reanchor(const std::string& value, const fs::path& from, const fs::path& to) {
  const fs::path p(value);
  if (p.is_absolute() || value.empty()) return value;
  const fs::path target = fs::absolute(from / p).lexically_normal();
  return target.lexically_relative(fs::absolute(to).lexically_normal()).string();
}

void RewritePaths(YAML::Node node, const fs::path& from, const fs::path& to) {
  if (node.IsSequence()) {
    for (std::size_t i = 0; i < node.size(); ++i) RewritePaths(node[i], from, to);
    return;
  }
  if (!node.IsMap()) return;
  for (auto kv : node) {
    const std::string key = kv.first.Scalar();
    if ((key == "csv" || key == "path") && kv.second.IsScalar())
      kv.second = Reanchor(kv.second.Scalar(), from, to);
    else
      RewritePaths(kv.second, from, to);
  }
}

}  // namespace

std::string RelocatedScenarioText(const std::string& path,
                                  const std::vector<std::string>& overrides,
                                  const std::string& folder) {
  LoadScenario(path, overrides);  // the same checks as a run
  YAML::Node root = LoadYaml(ReadTextFile(path, "scenario file"), path);
  for (const auto& o : overrides) ApplyOverride(root, o);
  const fs::path from = fs::path(path).parent_path();
  RewritePaths(root, from, folder);
  if (root["model"] && root["model"].IsScalar()) {
    const std::string model = root["model"].Scalar();
    std::error_code ec;
    if (fs::is_regular_file(from / model, ec)) root["model"] = Reanchor(model, from, folder);
  }
  YAML::Emitter out;
  out << root;
  return std::string(out.c_str()) + "\n";
}

}  // namespace cordon::scenario
