// SPDX-License-Identifier: Apache-2.0
#pragma once
// Small networks built in code for the sim tests.

#include <string>
#include <vector>

#include "cordon/sim/model.hpp"
#include "default_model.hpp"

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

/// Sets parameter `name` of `m` as a scenario's disease: key would.
inline void Set(ModelSpec& m, const std::string& name, double value) {
  ParameterSpec& p = m.parameters.at(std::size_t(m.ParameterIndex(name)));
  p.value = value;
  p.set = true;
}

/// The default model with no detection: plain SEIR dynamics (leaks act only in isolation).
inline ModelSpec PlainSeir(double r0) {
  ModelSpec m = Cordon();
  Set(m, "r0", r0);
  Set(m, "febrile_fraction", 0.0);
  return m;
}

/// `exposed` E and `infectious` I persons seeded in `patch` (default model compartments).
inline ModelSeed Seed(const ModelSpec& m, int patch, double exposed, double infectious) {
  return {patch, {{m.CompartmentIndex("E"), exposed}, {m.CompartmentIndex("I"), infectious}}};
}

/// Series column `name` of a run of `model`.
inline int Column(const Model& model, const std::string& name) { return model.SeriesColumn(name); }

}  // namespace cordon::sim::testing
