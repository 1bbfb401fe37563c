// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Binomial draws for the tau-leap, written here rather than taken from the
/// standard library: libstdc++'s binomial_distribution spends a logarithm per
/// success (most of a stochastic ensemble's time), and its numbers differ
/// between standard libraries. These depend only on the generator's bits.
///
///   n p < 10: inversion (BINV, Kachitvichyanukul & Schmeiser 1988): one
///             uniform, a walk up the probability function, ~n p steps.
///   n p >= 10: transformed rejection with squeeze (BTRS, Hörmann 1993):
///             ~1.15 pairs of uniforms a draw, log-gamma only off the squeeze.
/// p > 1/2 draws n - Binomial(n, 1 - p).

#include <cstdint>

#include "cordon/sim/counter_rng.hpp"

namespace cordon::sim {

/// A uniform double in (0, 1) from the top 53 bits of one draw (never 0 or 1).
inline double UniformOpen(CounterRng& rng) {
  return (static_cast<double>(rng() >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

/// A Binomial(n, p) draw: successes among n persons, each with probability p.
/// n <= 0, p <= 0 or NaN give 0, p >= 1 gives n. Draws what the overload below draws with
/// log_q = log1p(-p), but skips the logarithm when the first uniform is a sure 0 (< 1 - n p).
std::int64_t DrawBinomial(CounterRng& rng, std::int64_t n, double p);
/// The same draw when the caller knows log(1 - p) (a tau-leap's p = 1 - exp(-dt r) has
/// log(1 - p) = -dt r): saves a logarithm per draw.
std::int64_t DrawBinomial(CounterRng& rng, std::int64_t n, double p, double log_q);
/// How many of n persons leave in a step of integrated exit rate `hazard` (rate x dt, >= 0):
/// Binomial(n, 1 - exp(-hazard)). Draws exactly what DrawBinomial(rng, n, -expm1(-hazard),
/// -hazard) draws; the expm1 (and the exponential, when the first uniform is below
/// 1 - n hazard) is spent only when somebody may leave: most of a tau-leap's draws are 0.
std::int64_t DrawLeavers(CounterRng& rng, std::int64_t n, double hazard);

}  // namespace cordon::sim
