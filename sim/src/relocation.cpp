// SPDX-License-Identifier: Apache-2.0
#include "cordon/sim/relocation.hpp"

#include "cordon/base/error.hpp"

namespace cordon::sim {

Relocation::Relocation(std::vector<TripMatrix> travellers, int first_day, const Network& net)
    : travellers_(std::move(travellers)), first_day_(first_day) {
  const Eigen::VectorXd ones = Eigen::VectorXd::Ones(net.Patches());
  for (const auto& day : travellers_) {
    arriving_.push_back(Eigen::ArrayXd(day.transpose() * ones));
    leaving_.push_back(Eigen::ArrayXd(day * ones));
  }
  if (net.route_checkpoints.empty()) return;
  // Checkpoints act on a day's pair through the trips non-zero of the same pair.
  for (const auto& day : travellers_) {
    std::vector<int> pairs;
    for (int i = 0; i < net.Patches(); ++i) {
      int u = net.trips.outerIndexPtr()[i];
      const int end = net.trips.outerIndexPtr()[i + 1];
      for (TripMatrix::InnerIterator e(day, i); e; ++e) {
        while (u < end && net.trips.innerIndexPtr()[u] < e.col()) ++u;
        if (u == end || net.trips.innerIndexPtr()[u] != e.col())
          throw InternalError("a relocation pair is missing from the network's trips");
        pairs.push_back(u);
      }
    }
    day_pairs_.push_back(std::move(pairs));
  }
}

void Relocation::Gate(int day, const Segment& seg, double scale, const Network& net,
                      RelocationCache& cache) const {
  const int d = int(MatrixOf(day));
  if (cache.key == std::make_pair(seg.index, d) && cache.scale == scale) return;
  cache.key = {seg.index, d};
  cache.scale = scale;
  const TripMatrix& travellers = travellers_[std::size_t(d)];
  const std::vector<int>& pairs = day_pairs_[std::size_t(d)];
  cache.moving = travellers;
  cache.counters.setZero(Eigen::Index(net.checkpoints.size()), kNumCheckpointCounters);
  const double* persons = travellers.valuePtr();
  double* moving = cache.moving.valuePtr();
  for (std::size_t q = 0; q < pairs.size(); ++q) {
    const int u = pairs[q];
    moving[q] = persons[q] * seg.pass[std::size_t(u)];
    // Counted in persons: the travellers of the data times the model's scale (theta).
    for (int m = net.route_offsets[std::size_t(u)]; m < net.route_offsets[std::size_t(u) + 1];
         ++m) {
      const int k = net.route_checkpoints[std::size_t(m)];
      const double* coef = &seg.route_coef[3 * std::size_t(m)];
      cache.counters(k, kMonitoredCount) += scale * coef[0] * persons[q];
      cache.counters(k, kCheckpointTurnedBackCount) += scale * coef[1] * persons[q];
    }
  }
  const Eigen::VectorXd ones = Eigen::VectorXd::Ones(net.Patches());
  cache.arriving = cache.moving.transpose() * ones;
  cache.leaving = cache.moving * ones;
}

}  // namespace cordon::sim
