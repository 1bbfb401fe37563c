// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Names of the units above the villages (townships, districts) and where to write them on
/// a map: scenario key `region.labels: {path, layer, id, name}`, a layer whose `id` values
/// are parent codes of the village layer (a townships layer, or the village layer itself
/// when it carries the parents' names beside their codes).

#include <string>
#include <vector>

#include "cordon/geo/geo_spec.hpp"
#include "cordon/geo/region.hpp"

namespace cordon::geo {

/// One named unit, placed for a map.
struct UnitLabel {
  std::string text;         ///< the unit's name
  data::Point2 at;          ///< inside the unit: its member village nearest the members' centre
  double span_m = 0.0;      ///< width of the unit's bounding box, metres (working CRS)
  double population = 0.0;  ///< persons: larger units are labelled first
  std::string code;         ///< the unit's code (Region::admin of its level): names in tooltips
};

/// The labels of the parent level whose codes the labels layer names most (the finer level
/// on a tie), one per unit with a name, largest population first. Throws InputError naming
/// the file and field when the layer lacks `id` or `name`.
std::vector<UnitLabel> ReadUnitLabels(const LabelSpec& spec, const Region& region);

}  // namespace cordon::geo
