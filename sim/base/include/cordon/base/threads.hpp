// SPDX-License-Identifier: Apache-2.0
#pragma once
/// How many threads cordon uses, decided in one place, and the one parallel
/// loop every module runs its independent work items on (ensemble runs,
/// sweep rows, routing chunks, candidate evaluations).
///
/// The default is what the process may really use: the CPUs of its affinity
/// mask (sched_getaffinity: taskset, Slurm's --cpus-per-task, mpirun's
/// binding), shared among the MPI ranks of this node when the ranks were not
/// bound to CPUs of their own. `CORDON_THREADS` overrides it for every
/// subcommand; an explicit `--threads N` overrides both.

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cordon {

/// A thread count and where it came from, for summaries and `-v`.
struct ThreadCount {
  int count = 1;       ///< >= 1
  std::string source;  ///< "--threads", "CORDON_THREADS" or "affinity"
};

/// CPUs in this process's affinity mask, divided by the MPI ranks on this
/// node (OMPI_COMM_WORLD_LOCAL_SIZE, MPI_LOCALNRANKS) when the mask covers
/// every online CPU (unbound ranks share them); never below 1.
int AvailableThreads();

/// `requested` when > 0, else CORDON_THREADS when set, else AvailableThreads().
/// Throws InputError when CORDON_THREADS is not a positive integer.
ThreadCount ResolveThreads(int requested);

/// Runs fn(scratch, i) for every i in [0, n) on min(threads, n) threads
/// (the caller's among them; threads <= 0 means ResolveThreads(0)); each
/// worker makes its own scratch state once with make_scratch() (e.g. a
/// shortest-path tree reused across items). Items are handed out in order;
/// the first exception stops the other workers and is rethrown. fn must
/// write only to state owned by item i (or lock), so that results do not
/// depend on the thread count.
template <typename MakeScratch, typename Fn>
void ParallelFor(long long n, int threads, MakeScratch&& make_scratch, Fn&& fn) {
  if (threads <= 0) threads = ResolveThreads(0).count;
  std::atomic<long long> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto worker = [&] {
    try {
      auto scratch = make_scratch();
      for (long long i = next++; i < n; i = next++) fn(scratch, i);
    } catch (...) {
      std::lock_guard<std::mutex> lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      next = n;
    }
  };
  std::vector<std::thread> pool;
  const long long extra = std::min<long long>(threads, n) - 1;
  for (long long t = 0; t < extra; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
}

/// ParallelFor without scratch state: fn(i) for every i in [0, n).
template <typename Fn>
void ParallelFor(long long n, int threads, Fn&& fn) {
  ParallelFor(
      n, threads, [] { return 0; }, [&fn](int&, long long i) { fn(i); });
}

}  // namespace cordon
