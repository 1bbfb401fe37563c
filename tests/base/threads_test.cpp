// SPDX-License-Identifier: Apache-2.0
// The one thread-count rule (--threads > CORDON_THREADS > affinity, shared
// among unbound MPI ranks of a node), the one parallel loop, and progress counted from
// many threads.
#include "cordon/base/threads.hpp"

#include <gtest/gtest.h>
#include <sched.h>
#include <unistd.h>

#include <cstdlib>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "cordon/base/error.hpp"
#include "cordon/base/progress.hpp"

namespace cordon {
namespace {

// Sets (or unsets, for nullptr) an environment variable for one test's scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old, had_ = true;
    value ? setenv(name, value, 1) : unsetenv(name);
  }
  ~ScopedEnv() { had_ ? setenv(name_, old_.c_str(), 1) : unsetenv(name_); }

 private:
  const char* name_;
  std::string old_;
  bool had_ = false;
};

// Restricts this thread (and so AvailableThreads) to `cpus` CPUs for one scope.
class ScopedAffinity {
 public:
  explicit ScopedAffinity(int cpus) {
    sched_getaffinity(0, sizeof saved_, &saved_);
    cpu_set_t mask;
    CPU_ZERO(&mask);
    for (int c = 0, added = 0; c < CPU_SETSIZE && added < cpus; ++c)
      if (CPU_ISSET(c, &saved_)) CPU_SET(c, &mask), ++added;
    sched_setaffinity(0, sizeof mask, &mask);
  }
  ~ScopedAffinity() { sched_setaffinity(0, sizeof saved_, &saved_); }

 private:
  cpu_set_t saved_;
};

int MaskCpus() {
  cpu_set_t mask;
  sched_getaffinity(0, sizeof mask, &mask);
  return CPU_COUNT(&mask);
}

TEST(Threads, PrecedenceIsFlagThenEnvironmentThenAffinity) {
  ScopedEnv ranks("OMPI_COMM_WORLD_LOCAL_SIZE", nullptr), hydra("MPI_LOCALNRANKS", nullptr);
  {
    ScopedEnv env("CORDON_THREADS", nullptr);
    EXPECT_EQ(ResolveThreads(0).count, MaskCpus());
    EXPECT_EQ(ResolveThreads(0).source, "affinity");
    EXPECT_EQ(ResolveThreads(3).count, 3);
    EXPECT_EQ(ResolveThreads(3).source, "--threads");
  }
  {
    ScopedEnv env("CORDON_THREADS", "5");
    EXPECT_EQ(ResolveThreads(0).count, 5);
    EXPECT_EQ(ResolveThreads(0).source, "CORDON_THREADS");
    EXPECT_EQ(ResolveThreads(2).count, 2);  // the flag wins
  }
  for (const char* bad : {"0", "-2", "two", "3x"}) {
    ScopedEnv env("CORDON_THREADS", bad);
    EXPECT_THROW(ResolveThreads(0), InputError) << bad;
    EXPECT_EQ(ResolveThreads(4).count, 4);  // not consulted when the flag is given
  }
}

TEST(Threads, AffinityMaskLimitsTheDefault) {
  ScopedEnv env("CORDON_THREADS", nullptr), ranks("OMPI_COMM_WORLD_LOCAL_SIZE", nullptr);
  ScopedAffinity one(1);
  EXPECT_EQ(AvailableThreads(), 1);
  EXPECT_EQ(ResolveThreads(0).count, 1);
}

TEST(Threads, UnboundMpiRanksShareTheNode) {
  ScopedEnv env("CORDON_THREADS", nullptr);
  const long online = sysconf(_SC_NPROCESSORS_ONLN);
  if (MaskCpus() < online) GTEST_SKIP() << "this process is bound to part of the machine";
  {
    ScopedEnv ranks("OMPI_COMM_WORLD_LOCAL_SIZE", "2");
    EXPECT_EQ(AvailableThreads(), std::max<long>(1, online / 2));
  }
  {
    ScopedEnv ranks("MPI_LOCALNRANKS", "1000");
    EXPECT_EQ(AvailableThreads(), 1);  // never below 1
  }
  {
    // Ranks bound to CPUs of their own already see only theirs.
    ScopedEnv ranks("OMPI_COMM_WORLD_LOCAL_SIZE", "2");
    ScopedAffinity one(1);
    if (online > 1) {
      EXPECT_EQ(AvailableThreads(), 1);
    }
  }
}

TEST(Threads, ParallelForVisitsEveryItemOnceAndRethrows) {
  for (int threads : {1, 2, 3, 8}) {
    std::vector<int> hits(1000, 0);
    ParallelFor(1000, threads, [&](long long i) { ++hits[i]; });
    EXPECT_EQ(std::accumulate(hits.begin(), hits.end(), 0), 1000) << threads;
    EXPECT_EQ(*std::min_element(hits.begin(), hits.end()), 1);
  }
  EXPECT_THROW(ParallelFor(100, 2,
                           [](long long i) {
                             if (i == 37) throw std::runtime_error("item 37");
                           }),
               std::runtime_error);
  // Scratch state is made once per worker, never more workers than items.
  std::atomic<int> made{0};
  ParallelFor(
      3, 8, [&] { return ++made; }, [](int&, long long) {});
  EXPECT_LE(made.load(), 3);
  EXPECT_GE(made.load(), 1);
}

TEST(Threads, ProgressFromManyThreadsArrivesInCountOrder) {
  // Reports from 4 threads, each counted and reported apart, arrived as ..., 4, 3 and a
  // Python caller's last report said 3 of 4.
  ProgressCounter counter(5);  // resumed: 5 done before
  std::vector<long long> seen;
  ParallelFor(2000, 4,
              [&](long long) { counter.Tick([&](long long done) { seen.push_back(done); }); });
  ASSERT_EQ(seen.size(), 2000u);
  for (std::size_t k = 0; k < seen.size(); ++k) ASSERT_EQ(seen[k], 6 + static_cast<long long>(k));
  EXPECT_EQ(counter.Done(), 2005);
}

}  // namespace
}  // namespace cordon
