// SPDX-License-Identifier: Apache-2.0
// Built with MPI: join the job when mpirun (or srun) started this process.
#include <mpi.h>

#include <cstdlib>
#include <stdexcept>

#include "ranks.hpp"

namespace cordon::batch {
namespace {

class MpiRanks final : public Ranks {
 public:
  MpiRanks() {
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (!initialized) MPI_Init(nullptr, nullptr);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
  }
  ~MpiRanks() override {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized) MPI_Finalize();
  }
  int Rank() const override { return rank_; }
  int Size() const override { return size_; }

  std::vector<std::string> GatherToRoot(const std::string& mine) override {
    // Texts can exceed 2 GiB in total only for absurd sweeps; counts are ints in MPI.
    if (mine.size() > static_cast<std::size_t>(1) << 30)
      throw std::runtime_error("sweep rows of one rank exceed 1 GiB; use --shard instead");
    const int length = static_cast<int>(mine.size());
    std::vector<int> lengths(rank_ == 0 ? size_ : 0);
    MPI_Gather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
    std::vector<int> offsets(lengths.size(), 0);
    std::size_t total = 0;
    for (std::size_t r = 0; r < lengths.size(); ++r) {
      offsets[r] = static_cast<int>(total);
      total += lengths[r];
    }
    std::string all(total, '\0');
    MPI_Gatherv(mine.data(), length, MPI_CHAR, all.data(), lengths.data(), offsets.data(), MPI_CHAR,
                0, MPI_COMM_WORLD);
    std::vector<std::string> out;
    for (std::size_t r = 0; r < lengths.size(); ++r)
      out.push_back(all.substr(offsets[r], lengths[r]));
    return out;
  }
  void Barrier() override { MPI_Barrier(MPI_COMM_WORLD); }

 private:
  int rank_ = 0, size_ = 1;
};

// Started by a launcher that set up an MPI job (Open MPI, PMI/PMIx: MPICH, Slurm)?
bool LaunchedByMpi() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"})
    if (std::getenv(v)) return true;
  return false;
}

}  // namespace

std::unique_ptr<Ranks> JoinRanks() {
  if (LaunchedByMpi()) return std::make_unique<MpiRanks>();
  return std::make_unique<LocalRanks>();
}

}  // namespace cordon::batch
