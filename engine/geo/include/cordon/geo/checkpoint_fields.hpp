// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The fields of a checkpoint record, read the same way from a CSV row
/// (network-only tables) and from a layer feature (checkpoint layers).

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "cordon/sim/network.hpp"

namespace cordon::geo {

/// One record's fields by name.
struct CheckpointRecord {
  /// The field's text, or null when the field is absent or empty.
  std::function<std::optional<std::string_view>(const char* field)> text;
  /// Where the field is, for messages ("file:line: column 'block'", "file: feature 3: field
  /// 'block'").
  std::function<std::string(const char* field)> where;
  std::string file;  ///< the table or layer it is in (an InputError's Where())
};

/// `defaults` with level, block, screen, isolate (shares in [0, 1]), staff
/// (persons per day, >= 0), start and end (days; end after start) taken from
/// the record where present. Throws InputError naming the record and field.
sim::Checkpoint ReadCheckpointFields(const CheckpointRecord& record, sim::Checkpoint defaults);

}  // namespace cordon::geo
