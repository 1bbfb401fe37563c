// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The graph the model runs on: patches (villages) with populations, the
/// trip matrix r_ij, and for every OD pair the ordered checkpoints its route
/// meets. Built by the engine from files; the sim never sees a file name.

#include <Eigen/Core>
#include <Eigen/SparseCore>
#include <string>
#include <vector>

#include "cordon/sim/time_window.hpp"

namespace cordon::sim {

/// Row-major sparse matrix: row = origin patch, column = destination patch.
using TripMatrix = Eigen::SparseMatrix<double, Eigen::RowMajor, int>;

/// A checkpoint: what it does to the travellers whose route passes it.
struct Checkpoint {
  std::string id;
  std::string level;     ///< admin level (county, township, village, group) or empty
  double block = 0.0;    ///< share of non-essential travellers turned back, [0, 1]
  double screen = 0.0;   ///< probability of detecting a febrile infectious traveller, [0, 1]
  double isolate = 0.0;  ///< probability an arriving returnee is put in home isolation, [0, 1]
  TimeWindow active;     ///< days during which the checkpoint is staffed
  double staff = 3.0;    ///< persons on duty per day while active (cost only; the model ignores it)
};

/// Patches, trips and route -> checkpoint incidence.
///
/// Route incidence is stored per non-zero of `trips` in its row-major storage
/// order: the checkpoints met by pair p (the p-th stored non-zero) are
/// route_checkpoints[route_offsets[p] .. route_offsets[p+1]), in route order.
struct Network {
  std::vector<std::string> ids;    ///< patch ids (strings), size P
  std::vector<std::string> names;  ///< patch names, size P (may be empty strings)
  Eigen::ArrayXd population;       ///< persons per patch at t = 0
  TripMatrix trips;                ///< r_ij, trips per free resident per day, i != j, compressed
  std::vector<int> route_offsets;  ///< size trips.nonZeros() + 1
  std::vector<int> route_checkpoints;  ///< indices into checkpoints
  std::vector<Checkpoint> checkpoints;
  /// Gates: the checkpoints met between the region border and patch i, in order on the way
  /// in, are gate_checkpoints[gate_offsets[i] .. gate_offsets[i+1]). Empty offsets = the
  /// region has no gates (imports and external trips meet no checkpoint).
  std::vector<int> gate_offsets;
  std::vector<int> gate_checkpoints;

  int Patches() const { return static_cast<int>(population.size()); }

  /// Checks sizes, non-negative populations and trips, no self trips, valid
  /// incidence and checkpoint probabilities. Throws InputError naming the item.
  void Validate() const;
  bool HasGates() const { return !gate_offsets.empty(); }
};

/// Builds incidence offsets for a network whose pairs meet no checkpoint.
void SetEmptyRoutes(Network& network);
/// Sets the network's gates from one list per patch (checkpoints on the way in, in order).
void SetGates(Network& network, const std::vector<std::vector<int>>& per_patch);

/// The trips by destination: the origins of the trips into patch j are
/// origin[offsets[j] .. offsets[j+1]) in increasing order, entry[q] the trip's
/// index in the row-major storage of `trips`. Sums over the visitors of a
/// patch become gathers that threads can split by destination, adding terms
/// in the order a scatter over the rows would.
struct TripsByDestination {
  std::vector<int> offsets;  ///< size P + 1
  std::vector<int> origin;   ///< origin patch, per trip
  std::vector<int> entry;    ///< index of the trip in trips' storage, per trip
};
TripsByDestination TripsToDestinations(const TripMatrix& trips);

/// The OD pairs whose route meets a checkpoint, in storage order, packed so that counting
/// reads them in sequence (at 1e5 villages about 1% of the pairs): patch i's are n in
/// [offsets[i], offsets[i+1]), with trips r_ij in trips[n] and route entries (indices into
/// route_checkpoints) [routes[n], routes[n+1]).
struct RoutedPairs {
  std::vector<int> offsets;   ///< size P + 1
  std::vector<double> trips;  ///< r_ij, trips per free resident per day
  std::vector<int> routes;    ///< size pairs + 1
};
RoutedPairs PairsWithCheckpoints(const Network& net);

}  // namespace cordon::sim
