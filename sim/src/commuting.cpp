// SPDX-License-Identifier: Apache-2.0
#include "cordon/sim/commuting.hpp"

namespace cordon::sim {

void Commuting::Prepare(const Segment& seg, CommutingCache& cache) const {
  if (cache.segment == seg.index) return;
  const std::vector<int>& entry = by_destination_.entry;
  cache.by_destination.resize(entry.size());
  for (std::size_t q = 0; q < entry.size(); ++q)
    cache.by_destination[q] = seg.travel.valuePtr()[entry[q]];
  cache.segment = seg.index;
}

void Commuting::MixByDestination(const CommutingCache& cache, const double* shares,
                                 Eigen::Index stride, Eigen::Index begin, Eigen::Index count,
                                 Eigen::MatrixXd& mixed) const {
  const TripsByDestination& t = by_destination_;
  const double* p = cache.by_destination.data();
  for (Eigen::Index j = begin; j < begin + count; ++j) {
    double a0 = 0.0, a1 = 0.0;
    for (int q = t.offsets[std::size_t(j)]; q < t.offsets[std::size_t(j) + 1]; ++q) {
      const int i = t.origin[std::size_t(q)];
      a0 += p[q] * shares[i * stride];
      a1 += p[q] * shares[i * stride + 1];
    }
    mixed(j, 0) = a0;
    mixed(j, 1) = a1;
  }
}

void Commuting::Felt(const TripMatrix& travel, const double* local, Eigen::Index begin,
                     Eigen::Index count, double* out) {
  for (Eigen::Index i = begin; i < begin + count; ++i) {
    double sum = 0.0;
    for (int q = travel.outerIndexPtr()[i]; q < travel.outerIndexPtr()[i + 1]; ++q)
      sum += travel.valuePtr()[q] * local[travel.innerIndexPtr()[q]];
    out[i] = sum;
  }
}

}  // namespace cordon::sim
