// SPDX-License-Identifier: Apache-2.0
#include "cordon/sim/binomial.hpp"

#include <cmath>

namespace cordon::sim {
namespace {

// Inversion: P(0) = q^n = exp(n log_q), P(x) = P(x - 1) (a / x - s), s = p / q, a = (n + 1) s.
// One walk for the uniform u from P(0) = first; -1 when rounding left u above the whole
// mass (the caller draws again).
std::int64_t InversionWalk(double u, std::int64_t n, double p, double first) {
  const double q = 1.0 - p;
  const double s = p / q;
  const double a = double(n + 1) * s;
  double r = first;
  // Most walks stop at 0, 1 or 2: a / 1 and a / 2 are exact as a and a * 0.5, so those
  // steps skip the division's latency (the draw is the same).
  if (!(u > r)) return 0;
  u -= r;
  if (n < 1) return -1;
  r *= a - s;
  if (!(u > r)) return 1;
  u -= r;
  if (n < 2) return -1;
  r *= a * 0.5 - s;
  std::int64_t x = 2;
  while (u > r) {
    u -= r;
    ++x;
    if (x > n) return -1;
    r *= a / double(x) - s;
  }
  return x;
}

// Walks for u, and for fresh uniforms while rounding leaves one above the whole mass.
std::int64_t InversionFrom(CounterRng& rng, double u, std::int64_t n, double p, double first) {
  for (;;) {
    const std::int64_t x = InversionWalk(u, n, p, first);
    if (x >= 0) return x;
    u = UniformOpen(rng);
  }
}

std::int64_t Inversion(CounterRng& rng, std::int64_t n, double p, double log_q) {
  const double first = std::exp(double(n) * log_q);
  return InversionFrom(rng, UniformOpen(rng), n, p, first);
}

// exp(-z) >= 1 - z and (1 - p)^n >= 1 - n p: a uniform below 1 - z is a draw of 0 whatever
// the exponential would have said. The margin covers the rounding of z, of 1 - z and of the
// exponential (each well under 2^-50 while z < 1), so the shortcut never changes a draw.
constexpr double kRoundingMargin = 0x1p-48;

// Inversion when most draws are 0: the first uniform is compared with 1 - bound (bound >= the
// true -log P(0)), then with P(0) = exp(-z_of()), and only then is p_of() (an expm1 away)
// needed. Draws exactly what Inversion(rng, n, p_of(), -z_of() / n) draws.
template <typename ProbabilityOf, typename ExponentOf>
std::int64_t InversionFromZero(CounterRng& rng, std::int64_t n, double bound, ProbabilityOf p_of,
                               ExponentOf z_of) {
  const double u = UniformOpen(rng);
  if (u < 1.0 - bound - kRoundingMargin) return 0;
  const double first = std::exp(-z_of());
  if (u <= first) return 0;
  return InversionFrom(rng, u, n, p_of(), first);
}

// Hörmann's BTRS for n p >= 10, p <= 1/2.
std::int64_t TransformedRejection(CounterRng& rng, std::int64_t n, double p) {
  const double q = 1.0 - p;
  const double spq = std::sqrt(double(n) * p * q);
  const double b = 1.15 + 2.53 * spq;
  const double a = -0.0873 + 0.0248 * b + 0.01 * p;
  const double c = double(n) * p + 0.5;
  const double v_r = 0.92 - 4.2 / b;
  const double alpha = (2.83 + 5.1 / b) * spq;
  const double lpq = std::log(p / q);
  const double m = std::floor(double(n + 1) * p);
  const double h = std::lgamma(m + 1.0) + std::lgamma(double(n) - m + 1.0);
  for (;;) {
    const double u = UniformOpen(rng) - 0.5;
    double v = UniformOpen(rng);
    const double us = 0.5 - std::fabs(u);
    const double k = std::floor((2.0 * a / us + b) * u + c);
    if (k < 0.0 || k > double(n)) continue;
    if (us >= 0.07 && v <= v_r) return static_cast<std::int64_t>(k);
    v = std::log(v * alpha / (a / (us * us) + b));
    if (v <= h - std::lgamma(k + 1.0) - std::lgamma(double(n) - k + 1.0) + (k - m) * lpq)
      return static_cast<std::int64_t>(k);
  }
}

}  // namespace

std::int64_t DrawBinomial(CounterRng& rng, std::int64_t n, double p, double log_q) {
  if (n <= 0 || !(p > 0.0)) return 0;  // NaN too: no one moves
  if (p >= 1.0) return n;
  if (p > 0.5) return n - DrawBinomial(rng, n, 1.0 - p, std::log(p));
  return double(n) * p < 10.0 ? Inversion(rng, n, p, log_q) : TransformedRejection(rng, n, p);
}

std::int64_t DrawBinomial(CounterRng& rng, std::int64_t n, double p) {
  // The inversion branch of the draw below, with its logarithm skipped when the first
  // uniform is under 1 - n p <= (1 - p)^n.
  if (n > 0 && p > 0.0 && p <= 0.5 && double(n) * p < 10.0)
    return InversionFromZero(
        rng, n, double(n) * p, [&] { return p; }, [&] { return -(double(n) * std::log1p(-p)); });
  return DrawBinomial(rng, n, p, std::log1p(-p));
}

std::int64_t DrawLeavers(CounterRng& rng, std::int64_t n, double hazard) {
  if (n <= 0 || !(hazard > 0.0)) return 0;
  // hazard < 0.69 < log 2 keeps p = 1 - exp(-hazard) below 1/2, and p <= hazard keeps
  // n p below 10 when n hazard is: the inversion branch of DrawBinomial.
  const double z = double(n) * hazard;
  if (hazard < 0.69 && z < 10.0)
    return InversionFromZero(
        rng, n, z, [&] { return -std::expm1(-hazard); }, [&] { return z; });
  return DrawBinomial(rng, n, -std::expm1(-hazard), -hazard);
}

}  // namespace cordon::sim
