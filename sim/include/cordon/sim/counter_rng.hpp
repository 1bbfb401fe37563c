// SPDX-License-Identifier: Apache-2.0
#pragma once
/// A counter-based random stream: the numbers drawn for (seed, run, patch,
/// step) depend on those four keys only, never on which thread draws them or
/// in what order patches are visited. Satisfies UniformRandomBitGenerator.

#include <cstdint>
#include <limits>

namespace cordon::sim {

/// SplitMix64 finaliser: a bijective 64-bit mixer with full avalanche.
constexpr std::uint64_t Mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// The stream of one (seed, run, patch, step): the i-th draw is
/// Mix64(key + i * golden), a Weyl sequence through the mixer, as SplitMix64.
class CounterRng {
 public:
  using result_type = std::uint64_t;

  CounterRng(std::uint64_t seed, std::uint64_t run, std::uint64_t patch, std::uint64_t step)
      : key_(Mix64(PatchKey(seed, run, patch) ^ step)) {}

  /// The part of the key that (seed, run, patch) fix: a stepper that draws every patch every
  /// step keeps it per patch, and ForStep(PatchKey(seed, run, patch), step) is then the
  /// stream CounterRng(seed, run, patch, step), for one mix instead of four.
  static constexpr std::uint64_t PatchKey(std::uint64_t seed, std::uint64_t run,
                                          std::uint64_t patch) {
    return Mix64(Mix64(Mix64(seed) ^ run) ^ patch);
  }
  static CounterRng ForStep(std::uint64_t patch_key, std::uint64_t step) {
    return CounterRng(Mix64(patch_key ^ step));
  }

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }
  result_type operator()() { return Mix64(key_ += 0x9e3779b97f4a7c15ULL); }

 private:
  explicit CounterRng(std::uint64_t key) : key_(key) {}
  std::uint64_t key_;
};

/// One uniform draw in [0, 1) keyed by four numbers (53 random bits): the same keys give the
/// same draw on any thread.
inline double KeyedUniform(std::uint64_t seed, std::uint64_t a, std::uint64_t b, std::uint64_t c) {
  CounterRng rng(seed, a, b, c);
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

}  // namespace cordon::sim
