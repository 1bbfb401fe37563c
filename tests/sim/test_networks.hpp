// SPDX-License-Identifier: Apache-2.0
#pragma once
// Small networks built in code for the sim tests.

#include <string>
#include <vector>

#include "cordon/sim/model.hpp"

namespace cordon::sim::testing {

struct Trip {
  int from, to;
  double per_person_per_day;
  std::vector<int> checkpoints;  // route order
};

/// A network of patches with the given populations, trips and checkpoints.
inline Network MakeNetwork(const std::vector<double>& population, const std::vector<Trip>& trips,
                           std::vector<Checkpoint> checkpoints = {}) {
  Network net;
  const int p = static_cast<int>(population.size());
  net.population = Eigen::Map<const Eigen::ArrayXd>(population.data(), p);
  for (int i = 0; i < p; ++i) {
    net.ids.push_back(std::string("V").append(std::to_string(i)));
    net.names.push_back("");
  }
  std::vector<Eigen::Triplet<double, int>> triplets;
  for (const auto& t : trips) triplets.emplace_back(t.from, t.to, t.per_person_per_day);
  net.trips.resize(p, p);
  net.trips.setFromTriplets(triplets.begin(), triplets.end());
  net.trips.makeCompressed();
  // Route entries in the trip matrix's storage order.
  net.route_offsets.assign(net.trips.nonZeros() + 1, 0);
  std::vector<std::vector<int>> per_pair(net.trips.nonZeros());
  for (const auto& t : trips) {
    for (int n = net.trips.outerIndexPtr()[t.from]; n < net.trips.outerIndexPtr()[t.from + 1]; ++n)
      if (net.trips.innerIndexPtr()[n] == t.to) per_pair[n] = t.checkpoints;
  }
  for (std::size_t n = 0; n < per_pair.size(); ++n) {
    for (int k : per_pair[n]) net.route_checkpoints.push_back(k);
    net.route_offsets[n + 1] = static_cast<int>(net.route_checkpoints.size());
  }
  net.checkpoints = std::move(checkpoints);
  return net;
}

/// Disease with no detection and no isolation leaks: plain SEIR dynamics.
inline Disease PlainSeir(double r0) {
  Disease d;
  d.r0 = r0;
  d.febrile_fraction = 0.0;
  return d;
}

}  // namespace cordon::sim::testing
