// SPDX-License-Identifier: Apache-2.0
#pragma once
/// An OD table of trip rates between villages (CSV), read against the
/// villages' ids.

#include <map>
#include <string>
#include <unordered_map>
#include <utility>

namespace cordon::engine {

/// Village id -> patch index.
using IdIndex = std::unordered_map<std::string, int>;

/// An OD table (origin,destination,trips_per_person_per_day) by patch pair,
/// zero rates kept. Throws InputError naming the file, line and column of an
/// unknown village, a pair from a village to itself, a negative rate or a
/// duplicate pair.
std::map<std::pair<int, int>, double> ReadOdTable(const std::string& path, const IdIndex& villages);

}  // namespace cordon::engine
