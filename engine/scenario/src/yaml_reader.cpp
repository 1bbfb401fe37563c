// SPDX-License-Identifier: Apache-2.0
#include "yaml_reader.hpp"

namespace cordon::scenario {

YAML::Node LoadYaml(const std::string& text, const std::string& path) {
  try {
    return YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    throw InputError(SourceRef{path, e.mark.line + 1, e.mark.column + 1},
                     "YAML syntax error: " + e.msg);
  } catch (const YAML::Exception& e) {
    throw InputError(SourceRef{path}, "YAML error: " + e.msg);
  }
}

std::string ValueText(const YAML::Node& node) {
  if (node.IsScalar()) return node.Scalar();
  YAML::Emitter e;
  e.SetMapFormat(YAML::Flow);
  e.SetSeqFormat(YAML::Flow);
  e << node;
  return e.c_str();
}

}  // namespace cordon::scenario
