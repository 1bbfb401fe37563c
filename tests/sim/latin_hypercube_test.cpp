// SPDX-License-Identifier: Apache-2.0
// The one Latin hypercube: one point in each stratum of every dimension, reproducible by key.
#include "cordon/sim/latin_hypercube.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace cordon::sim {
namespace {

TEST(LatinHypercube, OnePointInEachStratumOfEveryDimension) {
  const int n = 97, dims = 4;
  const auto points = LatinHypercube(n, dims, 12345, 7);
  ASSERT_EQ(points.size(), std::size_t(n));
  for (int d = 0; d < dims; ++d) {
    std::vector<int> per_stratum(n, 0);
    double sum = 0.0;
    for (const auto& p : points) {
      ASSERT_GE(p[d], 0.0);
      ASSERT_LT(p[d], 1.0);
      ++per_stratum[static_cast<int>(std::floor(p[d] * n))];
      sum += p[d];
    }
    EXPECT_EQ(per_stratum, std::vector<int>(n, 1)) << "dimension " << d;
    // One point per stratum: the mean is 1/2 within half a stratum.
    EXPECT_NEAR(sum / n, 0.5, 0.5 / n);
  }
}

TEST(LatinHypercube, TheKeysAloneDecideThePoints) {
  EXPECT_EQ(LatinHypercube(20, 3, 1, 0), LatinHypercube(20, 3, 1, 0));
  EXPECT_NE(LatinHypercube(20, 3, 1, 0), LatinHypercube(20, 3, 2, 0));
  EXPECT_NE(LatinHypercube(20, 3, 1, 0), LatinHypercube(20, 3, 1, 1));
  // The dimensions are independent orders, not one order repeated.
  const auto p = LatinHypercube(50, 2, 3, 0);
  int same_stratum = 0;
  for (const auto& x : p) same_stratum += int(x[0] * 50) == int(x[1] * 50) ? 1 : 0;
  EXPECT_LT(same_stratum, 10);
}

}  // namespace
}  // namespace cordon::sim
