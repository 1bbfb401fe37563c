// SPDX-License-Identifier: Apache-2.0
#pragma once
// FNV-1a over text, printed as 16 hex digits: the scenario and sweep hashes
// written to summary.json and sweep.json.
#include <cstdint>
#include <cstdio>
#include <string>

namespace cordon {

inline std::uint64_t Fnv1a(const std::string& text, std::uint64_t h = 0xcbf29ce484222325ULL) {
  for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

inline std::string Hex(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace cordon
