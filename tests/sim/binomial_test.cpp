// SPDX-License-Identifier: Apache-2.0
// The tau-leap's binomial sampler against the binomial law itself: exact
// probabilities (chi-square) where inversion draws, moments where rejection
// does, and the edges.
#include "cordon/sim/binomial.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace cordon::sim {
namespace {

// P(X = k) of Binomial(n, p), from log-gamma.
double Pmf(std::int64_t n, double p, std::int64_t k) {
  return std::exp(std::lgamma(double(n) + 1) - std::lgamma(double(k) + 1) -
                  std::lgamma(double(n - k) + 1) + double(k) * std::log(p) +
                  double(n - k) * std::log1p(-p));
}

// Chi-square of `draws` draws against the pmf, cells with expected count >= 5 (the rest
// pooled); returns (statistic, degrees of freedom).
std::pair<double, int> ChiSquare(std::int64_t n, double p, int draws, std::uint64_t key) {
  std::vector<double> seen(std::size_t(n) + 1, 0.0);
  for (int d = 0; d < draws; ++d) {
    CounterRng rng(key, 0, std::uint64_t(d), 0);
    const std::int64_t k = DrawBinomial(rng, n, p);
    EXPECT_TRUE(k >= 0 && k <= n);
    seen[std::size_t(k)] += 1.0;
  }
  double chi = 0.0, pooled_seen = 0.0, pooled_expected = 0.0;
  int cells = 0;
  for (std::int64_t k = 0; k <= n; ++k) {
    const double expected = draws * Pmf(n, p, k);
    if (expected < 5.0) {
      pooled_seen += seen[std::size_t(k)];
      pooled_expected += expected;
      continue;
    }
    chi += std::pow(seen[std::size_t(k)] - expected, 2) / expected;
    ++cells;
  }
  if (pooled_expected > 0.0) {
    chi += std::pow(pooled_seen - pooled_expected, 2) / pooled_expected;
    ++cells;
  }
  return {chi, cells - 1};
}

TEST(Binomial, DrawsFollowTheBinomialLaw) {
  // Inversion (n p < 10), rejection (n p >= 10), and p > 1/2 through the mirror.
  struct Case {
    std::int64_t n;
    double p;
  };
  for (const Case c : {Case{20, 0.3}, Case{1000, 0.004}, Case{1, 0.5}, Case{60, 0.4},
                       Case{500, 0.2}, Case{40, 0.85}, Case{3000, 0.97}}) {
    const auto [chi, dof] = ChiSquare(c.n, c.p, 200000, 11);
    // The 0.9999 quantile of chi-square is below dof + 6 sqrt(2 dof) + 10 for these dof.
    EXPECT_LT(chi, dof + 6.0 * std::sqrt(2.0 * dof) + 10.0) << "n " << c.n << " p " << c.p;
  }
}

TEST(Binomial, LargeCountsHaveTheBinomialMoments) {
  const std::int64_t n = 2000000;
  const double p = 0.013;
  const int draws = 100000;
  double sum = 0.0, squares = 0.0;
  for (int d = 0; d < draws; ++d) {
    CounterRng rng(5, 1, std::uint64_t(d), 9);
    const double k = double(DrawBinomial(rng, n, p));
    sum += k;
    squares += k * k;
  }
  const double mean = sum / draws, var = squares / draws - mean * mean;
  const double want_var = double(n) * p * (1 - p);
  EXPECT_NEAR(mean, double(n) * p, 5.0 * std::sqrt(want_var / draws));
  EXPECT_NEAR(var / want_var, 1.0, 0.03);  // 5 sigma of a variance estimate from 1e5 draws
}

TEST(Binomial, EdgesAreExact) {
  CounterRng rng(1, 2, 3, 4);
  EXPECT_EQ(DrawBinomial(rng, 0, 0.4), 0);
  EXPECT_EQ(DrawBinomial(rng, -3, 0.4), 0);
  EXPECT_EQ(DrawBinomial(rng, 50, 0.0), 0);
  EXPECT_EQ(DrawBinomial(rng, 50, std::nan("")), 0);
  EXPECT_EQ(DrawBinomial(rng, 50, 1.0), 50);
  EXPECT_EQ(DrawBinomial(rng, 50, 1.5), 50);
  // The same keys give the same draw: the stream is all there is.
  CounterRng a(9, 9, 9, 9), b(9, 9, 9, 9);
  for (int d = 0; d < 100; ++d) ASSERT_EQ(DrawBinomial(a, 300, 0.2), DrawBinomial(b, 300, 0.2));
}

TEST(CounterRng, AStreamFromItsPatchKeyIsTheStreamFromItsFourKeys) {
  for (std::uint64_t patch : {0ULL, 1ULL, 399ULL, 1ULL << 40})
    for (std::uint64_t step : {0ULL, 7ULL, 719ULL}) {
      CounterRng whole(42, 3, patch, step);
      CounterRng keyed = CounterRng::ForStep(CounterRng::PatchKey(42, 3, patch), step);
      for (int k = 0; k < 5; ++k) ASSERT_EQ(whole(), keyed()) << patch << " " << step;
    }
}

TEST(Binomial, ShortcutsToZeroDrawWhatTheFullDrawDraws) {
  // DrawLeavers and the two-argument DrawBinomial skip a logarithm or an expm1 when the
  // first uniform is a sure 0; every draw must still be the full draw's, bit for bit, in
  // the same stream, including hazards where the shortcut's bound is tight.
  std::int64_t draws = 0, zeros = 0;
  for (std::int64_t n : {1LL, 2LL, 3LL, 7LL, 40LL, 1000LL, 250000LL}) {
    for (double hazard : {1e-300, 1e-12, 1e-7, 3e-4, 0.002, 0.05, 0.2, 0.6899, 0.7, 1.5, 40.0}) {
      CounterRng a(3, std::uint64_t(n), 1, 0), b(3, std::uint64_t(n), 1, 0);
      CounterRng c(4, std::uint64_t(n), 1, 0), d(4, std::uint64_t(n), 1, 0);
      const double p = std::min(0.999, hazard);
      for (int k = 0; k < 2000; ++k) {
        const std::int64_t leavers = DrawLeavers(a, n, hazard);
        ASSERT_EQ(leavers, DrawBinomial(b, n, -std::expm1(-hazard), -hazard))
            << "n " << n << " hazard " << hazard << " draw " << k;
        ASSERT_EQ(DrawBinomial(c, n, p), DrawBinomial(d, n, p, std::log1p(-p)))
            << "n " << n << " p " << p << " draw " << k;
        ++draws;
        zeros += leavers == 0;
      }
      ASSERT_EQ(a(), b());  // the streams stayed in step
      ASSERT_EQ(c(), d());
    }
  }
  EXPECT_GT(zeros, draws / 4);  // the shortcut was taken
}

}  // namespace
}  // namespace cordon::sim
