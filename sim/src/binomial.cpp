// SPDX-License-Identifier: Apache-2.0
#include "cordon/sim/binomial.hpp"

#include <cmath>

namespace cordon::sim {
namespace {

// Inversion: P(0) = q^n = exp(n log_q), P(x) = P(x - 1) (a / x - s), s = p / q, a = (n + 1) s.
std::int64_t Inversion(CounterRng& rng, std::int64_t n, double p, double log_q) {
  const double q = 1.0 - p;
  const double s = p / q;
  const double a = double(n + 1) * s;
  const double first = std::exp(double(n) * log_q);
  for (;;) {
    double u = UniformOpen(rng);
    double r = first;
    std::int64_t x = 0;
    while (u > r) {
      u -= r;
      ++x;
      if (x > n) break;  // rounding left u above the whole mass: draw again
      r *= a / double(x) - s;
    }
    if (x <= n) return x;
  }
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
  return DrawBinomial(rng, n, p, std::log1p(-p));
}

}  // namespace cordon::sim
