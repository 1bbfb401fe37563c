// SPDX-License-Identifier: Apache-2.0
#pragma once
// Random numbers keyed by what they are for, not by draw order, so that a
// generated county or derived region does not change when code is reordered.
#include <cstdint>

namespace cordon::data {

/// Uniform in [0, 1) from SplitMix64 over (seed, stream, a, b).
inline double KeyedUniform(std::uint64_t seed, std::uint64_t stream, std::int64_t a,
                           std::int64_t b = 0) {
  std::uint64_t z = seed * 0x9e3779b97f4a7c15ULL + stream * 0xbf58476d1ce4e5b9ULL +
                    static_cast<std::uint64_t>(a) * 0x94d049bb133111ebULL +
                    static_cast<std::uint64_t>(b) * 0x2545f4914f6cdd1dULL;
  for (int i = 0; i < 2; ++i) {
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
  }
  return static_cast<double>(z >> 11) * 0x1.0p-53;
}

}  // namespace cordon::data
