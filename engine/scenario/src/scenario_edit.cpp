// SPDX-License-Identifier: Apache-2.0
#include "cordon/scenario/scenario_edit.hpp"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <filesystem>

#include "cordon/base/atomic_file.hpp"
#include "cordon/data/vector_writer.hpp"

namespace cordon::scenario {

namespace {

// <scenario>.edits.gpkg: where the hand-placed checkpoints go.
std::filesystem::path EditsLayerPath(const std::string& scenario_path) {
  return std::filesystem::path(scenario_path).replace_extension(".edits.gpkg");
}

// The hand-placed checkpoints as a point layer with the fields a checkpoint layer reads.
void WriteEditsLayer(const std::string& file, const std::vector<CheckpointEdit>& edits,
                     const std::string& crs) {
  data::LayerToWrite layer;
  layer.name = "checkpoints";
  layer.kind = data::GeometryKind::kPoint;
  layer.crs = crs;
  data::Column id{"id", data::FieldType::kText, {}, {}, {}};
  data::Column block{"block", data::FieldType::kReal, {}, {}, {}};
  data::Column screen{"screen", data::FieldType::kReal, {}, {}, {}};
  data::Column start{"start", data::FieldType::kReal, {}, {}, {}};
  data::Column end{"end", data::FieldType::kReal, {}, {}, {}};
  for (const auto& e : edits) {
    layer.points.push_back(e.at);
    id.text.push_back(e.id);
    block.real.push_back(e.block);
    screen.real.push_back(e.screen);
    start.real.push_back(e.start_day);
    // A missing end (NaN = a null field) means the checkpoint never closes.
    end.real.push_back(e.end_day < 0 ? std::nan("") : double(e.end_day));
  }
  layer.columns = {id, block, screen, start, end};
  data::WriteVectorFile(file, {layer});
}

}  // namespace

Scenario EditScenario(const std::string& scenario_path, const ScenarioEdits& edits,
                      const std::string& crs) {
  Scenario s = LoadScenario(scenario_path);
  std::vector<geo::CordonSpec> kept;
  for (const auto& c : s.geo.cordons)
    if (!edits.levels_off.count(c.level)) kept.push_back(c);
  s.geo.cordons = kept;
  if (!edits.checkpoints.empty()) {
    const std::string file = EditsLayerPath(scenario_path).string();
    WriteEditsLayer(file, edits.checkpoints, crs);
    geo::CheckpointLayerSpec spec;
    spec.layer.path = file;
    spec.layer.layer = "checkpoints";
    spec.layer.where = {scenario_path, 0, 0, "viewer edits"};
    s.geo.checkpoint_layers.push_back(spec);
  }
  return s;
}

std::string SaveEditedScenario(const std::string& scenario_path, const ScenarioEdits& edits,
                               const std::string& crs) {
  EditScenario(scenario_path, edits, crs);  // validates, and writes the edits layer
  YAML::Node root = YAML::LoadFile(scenario_path);
  YAML::Node list(YAML::NodeType::Sequence);
  if (root["checkpoints"])
    for (const auto& c : root["checkpoints"]) {
      if (c["cordon"] && edits.levels_off.count(c["cordon"].Scalar())) continue;
      list.push_back(c);
    }
  if (!edits.checkpoints.empty()) {
    // Relative to the edited file, which sits beside the scenario.
    YAML::Node entry;
    entry["path"] = EditsLayerPath(scenario_path).filename().string();
    entry["layer"] = "checkpoints";
    list.push_back(entry);
  }
  root["checkpoints"] = list;
  const std::string out =
      std::filesystem::path(scenario_path).replace_extension(".edited.yaml").string();
  AtomicFile f(out);
  YAML::Emitter e;
  e << root;
  f.Stream() << e.c_str() << "\n";
  f.Commit();
  return out;
}

}  // namespace cordon::scenario
