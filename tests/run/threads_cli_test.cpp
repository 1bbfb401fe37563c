// SPDX-License-Identifier: Apache-2.0
// The thread count a run uses, as summary.json and `-v` report it:
// --threads > CORDON_THREADS > the CPUs this process may use (taskset, and
// shared among unbound MPI ranks of a node), never below 1.
#include <gtest/gtest.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"

namespace {

namespace fs = std::filesystem;
using cordon::test::Result;
using cordon::test::RunCordon;
using cordon::test::Slurp;

class Threads : public cordon::test::CliFixture {
 protected:
  Threads() : CliFixture("cordon_threads_") {}

  void SetUp() override {
    CliFixture::SetUp();
    CopyNetworkSample();
  }

  // Runs the network sample for 10 days with `env` and `flags`; returns summary.json's threads.
  nlohmann::json RunWith(const std::string& env, const std::string& flags, const char* out) {
    const Result r = RunCordon("env -u CORDON_THREADS " + env + " " + CORDON_BIN + " run " +
                                   Path("network.yaml") + " -q --set simulation.days=10 --out " +
                                   Path(out) + " " + flags,
                               dir_, /*raw=*/true);
    EXPECT_EQ(r.code, 0) << r.err;
    return nlohmann::json::parse(Slurp(dir_ / out / "summary.json"))["threads"];
  }
};

int MaskCpus() {
  cpu_set_t mask;
  sched_getaffinity(0, sizeof mask, &mask);
  return CPU_COUNT(&mask);
}

TEST_F(Threads, FlagThenEnvironmentThenAffinity) {
  const auto affinity = RunWith("", "", "a");
  EXPECT_EQ(affinity["count"], MaskCpus());
  EXPECT_EQ(affinity["source"], "affinity");
  const auto env = RunWith("CORDON_THREADS=3", "", "e");
  EXPECT_EQ(env["count"], 3);
  EXPECT_EQ(env["source"], "CORDON_THREADS");
  const auto flag = RunWith("CORDON_THREADS=3", "--threads 2", "f");
  EXPECT_EQ(flag["count"], 2);
  EXPECT_EQ(flag["source"], "--threads");
  const auto pinned = RunWith("taskset -c 0", "", "t");
  EXPECT_EQ(pinned["count"], 1);

  const Result bad = RunCordon("env CORDON_THREADS=lots " + std::string(CORDON_BIN) + " run " +
                                   Path("network.yaml") + " --out " + Path("b"),
                               dir_, /*raw=*/true);
  EXPECT_EQ(bad.code, 2);
  EXPECT_EQ(bad.err, "cordon: error: CORDON_THREADS='lots': expected a positive integer\n");
}

TEST_F(Threads, VerboseNamesTheCountAndItsSource) {
  const Result r =
      RunCordon("env CORDON_THREADS=4 " + std::string(CORDON_BIN) + " -v run " +
                    Path("network.yaml") + " -q --set simulation.days=5 --out " + Path("v"),
                dir_, /*raw=*/true);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("cordon: threads: 4 (from CORDON_THREADS)"), std::string::npos) << r.err;
}

TEST_F(Threads, LargeArraysGetHugePagesUnlessTurnedOff) {
  // cordon starts itself again with glibc.malloc.hugetlb=1 where the kernel gives huge pages
  // on request (cordon/base/huge_pages.hpp); CORDON_HUGE_PAGES=0 keeps 4 KiB pages.
  auto memory_line = [&](const std::string& env) {
    const Result r =
        RunCordon("env " + env + " " + std::string(CORDON_BIN) + " -v run " + Path("network.yaml") +
                      " -q --set simulation.days=5 --out " + Path("p"),
                  dir_, /*raw=*/true);
    EXPECT_EQ(r.code, 0) << r.err;
    const auto at = r.err.find("cordon: memory: ");
    return at == std::string::npos ? r.err : r.err.substr(at, r.err.find('\n', at) - at);
  };
  EXPECT_EQ(memory_line("-u GLIBC_TUNABLES CORDON_HUGE_PAGES=0").rfind("cordon: memory: 4 KiB", 0),
            0u);
  std::ifstream modes("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string mode;
  std::getline(modes, mode);
  if (mode.find("[madvise]") == std::string::npos) GTEST_SKIP() << "THP mode: " << mode;
  const std::string on = memory_line("-u CORDON_HUGE_PAGES -u GLIBC_TUNABLES");
  if (on == "cordon: memory: 4 KiB pages (a sanitizer build)") return;  // malloc is ASan's
  EXPECT_EQ(on,
            "cordon: memory: huge pages for large arrays (GLIBC_TUNABLES glibc.malloc.hugetlb)");
  // A user's other tunables stay (hugetlb is added after them); their own hugetlb wins.
  EXPECT_EQ(memory_line("-u CORDON_HUGE_PAGES GLIBC_TUNABLES=glibc.malloc.check=0"), on);
  EXPECT_EQ(memory_line("-u CORDON_HUGE_PAGES GLIBC_TUNABLES=glibc.malloc.hugetlb=0"),
            "cordon: memory: 4 KiB pages (GLIBC_TUNABLES=glibc.malloc.hugetlb=0)");
}

TEST_F(Threads, UnboundMpiRanksShareTheCores) {
#if defined(CORDON_MPIRUN)
  const long online = sysconf(_SC_NPROCESSORS_ONLN);
  if (MaskCpus() < online) GTEST_SKIP() << "this process is bound to part of the machine";
  const Result r = RunCordon(std::string("env -u CORDON_THREADS OMPI_ALLOW_RUN_AS_ROOT=1 ") +
                                 "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 ASAN_OPTIONS=detect_leaks=0 " +
                                 CORDON_MPIRUN + " --oversubscribe --bind-to none -n 2 " +
                                 CORDON_BIN + " -v run " + Path("network.yaml") +
                                 " -q --set simulation.days=5 --out " + Path("m"),
                             dir_, /*raw=*/true);
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string line =
      "cordon: threads: " + std::to_string(std::max<long>(1, online / 2)) + " (from affinity)";
  std::size_t count = 0;
  for (std::size_t at = r.err.find(line); at != std::string::npos; at = r.err.find(line, at + 1))
    ++count;
  EXPECT_EQ(count, 2u) << r.err;  // one line per rank: 1 thread each on a 2-core machine
#else
  GTEST_SKIP() << "no mpirun found";
#endif
}

}  // namespace
