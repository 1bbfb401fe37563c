// SPDX-License-Identifier: Apache-2.0
// Built without MPI: one process does all the work.
#include "ranks.hpp"

namespace cordon::batch {

std::unique_ptr<Ranks> JoinRanks() { return std::make_unique<LocalRanks>(); }

}  // namespace cordon::batch
