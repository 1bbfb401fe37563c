// SPDX-License-Identifier: Apache-2.0
#include "cordon/geo/mobility.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace cordon::geo {

std::vector<double> TripRates(const RouteTable& routes, const std::vector<double>& population,
                              const std::vector<data::Point2>& anchors, const MobilityOptions& o) {
  std::vector<double> rate(routes.destination.size(), 0.0);
  const int patches = static_cast<int>(routes.offsets.size()) - 1;
  std::vector<std::int64_t> order;
  for (int i = 0; i < patches; ++i) {
    const std::int64_t b = routes.offsets[i], e = routes.offsets[i + 1];
    if (b == e) continue;
    auto distance = [&](std::int64_t r) {
      return o.straight ? data::Distance(anchors[i], anchors[routes.destination[r]]) / 1000.0
                        : static_cast<double>(routes.km[r]);
    };
    double total = 0.0;
    if (o.model == MobilityModel::kGravity) {
      for (std::int64_t r = b; r < e; ++r) {
        const double d = std::max(distance(r), o.min_km);
        rate[r] = population[routes.destination[r]] * std::pow(d, -o.exponent);
        total += rate[r];
      }
    } else {
      // Radiation: s_ij is the population strictly closer to i than j (i and j excluded).
      order.resize(e - b);
      std::iota(order.begin(), order.end(), b);
      std::stable_sort(order.begin(), order.end(),
                       [&](std::int64_t x, std::int64_t y) { return distance(x) < distance(y); });
      const double m = population[i];
      double closer = 0.0;
      for (std::size_t k = 0; k < order.size();) {
        // Destinations at the same distance (within a metre) do not count each other.
        std::size_t k2 = k;
        double tie = 0.0;
        while (k2 < order.size() && distance(order[k2]) - distance(order[k]) <= 1e-3) {
          tie += population[routes.destination[order[k2]]];
          ++k2;
        }
        for (std::size_t q = k; q < k2; ++q) {
          const double n = population[routes.destination[order[q]]];
          const double w = (m + closer) * (m + n + closer);
          rate[order[q]] = w > 0 ? m * n / w : 0.0;
          total += rate[order[q]];
        }
        closer += tie;
        k = k2;
      }
    }
    for (std::int64_t r = b; r < e; ++r)
      rate[r] = total > 0 ? o.trips_per_person * rate[r] / total : 0.0;
  }
  return rate;
}

}  // namespace cordon::geo
