// SPDX-License-Identifier: Apache-2.0
#pragma once
// Random numbers keyed by what they are for, not by draw order, so that a
// generated county or derived region does not change when code is reordered;
// and the rounding that shares persons out over units.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

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

/// Splits a whole number of persons by weights so that the parts are whole
/// and add up to `total` (largest remainders; ties to the lower index).
inline std::vector<double> Apportion(double total, const std::vector<double>& weights) {
  double sum = 0;
  for (double w : weights) sum += w;
  std::vector<double> out(weights.size(), 0.0);
  if (sum <= 0) return out;
  std::vector<std::pair<double, std::size_t>> rest;
  double given = 0;
  for (std::size_t k = 0; k < weights.size(); ++k) {
    const double exact = total * weights[k] / sum;
    out[k] = std::floor(exact);
    given += out[k];
    rest.push_back({exact - out[k], k});
  }
  std::sort(rest.begin(), rest.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  for (std::size_t k = 0; given + 0.5 < std::round(total) && k < rest.size(); ++k, given += 1)
    out[rest[k].second] += 1;
  return out;
}

}  // namespace cordon::data
