// SPDX-License-Identifier: Apache-2.0
#pragma once
// The processes a sweep is shared across: MPI ranks when cordon was built
// with MPI and started by mpirun, else this one process.
#include <memory>
#include <string>
#include <vector>

namespace cordon::batch {

class Ranks {
 public:
  virtual ~Ranks() = default;
  virtual int Rank() const = 0;
  virtual int Size() const = 0;
  /// Every rank's text, in rank order, on rank 0 (other ranks get an empty list).
  virtual std::vector<std::string> GatherToRoot(const std::string& mine) = 0;
  /// Waits until every rank gets here.
  virtual void Barrier() = 0;
};

/// This process alone.
class LocalRanks final : public Ranks {
 public:
  int Rank() const override { return 0; }
  int Size() const override { return 1; }
  std::vector<std::string> GatherToRoot(const std::string& mine) override { return {mine}; }
  void Barrier() override {}
};

/// Joins the MPI job this process was started in (MPI_Init; MPI_Finalize
/// when the object goes), or returns a single-process stand-in.
std::unique_ptr<Ranks> JoinRanks();

}  // namespace cordon::batch
