// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Commuting mobility (docs/model.md, "Commuting"; Sattenspiel-Dietz): a resident of i
/// spends the share p_ij of the day in j (a switch segment's seg.travel, after the
/// checkpoints) and p_ii at home. Two sums over the trips, both gathers so that threads
/// split them by patch and every thread count adds the same terms in the same order:
///   visitors' mixing by destination   mixed_j = sum_i p_ij x_i  (over the trips into j,
///                                     in the order a scatter over the rows adds them)
///   what a resident feels away        felt_i  = sum_j p_ij L_j  (along row i)
///
/// Threading: a Commuting is immutable; each Workspace holds its own CommutingCache.

#include <Eigen/Core>
#include <vector>

#include "cordon/sim/interventions.hpp"  // Segment
#include "cordon/sim/network.hpp"

namespace cordon::sim {

/// A workspace's p_ij of one switch segment in destination order.
struct CommutingCache {
  int segment = -1;                    ///< the segment index `by_destination` holds
  std::vector<double> by_destination;  ///< seg.travel's p_ij in TripsByDestination order
};

class Commuting {
 public:
  Commuting() = default;
  /// For the network's trip matrix (the pattern every segment's seg.travel shares).
  explicit Commuting(const TripMatrix& trips) : by_destination_(TripsToDestinations(trips)) {}

  /// Makes `cache` hold seg.travel by destination (done once per segment).
  void Prepare(const Segment& seg, CommutingCache& cache) const;
  /// mixed(j, c) = sum_i p_ij shares[i * stride + c] for c = 0, 1 and the destinations j in
  /// [begin, begin + count), after Prepare: both columns of an origin side by side, so a
  /// visitor's origin costs one cache line.
  void MixByDestination(const CommutingCache& cache, const double* shares, Eigen::Index stride,
                        Eigen::Index begin, Eigen::Index count, Eigen::MatrixXd& mixed) const;
  /// out[i] = sum_j p_ij local[j] over `travel`'s row i, for i in [begin, begin + count).
  static void Felt(const TripMatrix& travel, const double* local, Eigen::Index begin,
                   Eigen::Index count, double* out);

 private:
  TripsByDestination by_destination_;
};

}  // namespace cordon::sim
