// SPDX-License-Identifier: Apache-2.0
// `cordon sweep` and `cordon merge` end to end: the same sweep.csv with one
// or two threads, as merged shards and under mpirun; a killed sweep resumed
// to the same file; bad sweep files with one line and exit code 2.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "cli_support.hpp"

namespace {

namespace fs = std::filesystem;
using cordon::test::Result;
using cordon::test::RunCordon;
using cordon::test::Slurp;

class SweepCli : public cordon::test::CliFixture {
 protected:
  SweepCli() : CliFixture("cordon_sweep_") {}

  // slow.yaml: 4 x `runs` rows of `days` days each, so that a kill lands midway.
  void WriteSlowSweep(int days = 20000, int runs = 10) const {
    std::string base = Slurp(dir_ / "base.yaml");
    base.replace(base.find("days: 120"), 9, "days: " + std::to_string(days));
    Write("base.yaml", base);
    Write("slow.yaml", "base: base.yaml\nruns: " + std::to_string(runs) +
                           "\nvary:\n  disease.r0: [2, 3]\n  policies[0].coverage: [0.3, 0.9]\n");
  }

  void SetUp() override {
    CliFixture::SetUp();
    fs::copy(fs::path(SAMPLES_DIR) / "network", dir_ / "network");
    std::string base = Slurp(fs::path(SAMPLES_DIR) / "network.yaml");
    base.replace(base.find("mode: deterministic"), 19, "mode: stochastic");
    Write("base.yaml", base);
    Write("grid.yaml",
          "base: base.yaml\nruns: 8\nvary:\n  disease.r0: [2, 2.5, 3]\n"
          "  policies[0].coverage: [0.3, 0.6, 0.9]\n");
  }

  void ExpectInputError(const std::string& args, std::initializer_list<std::string> needles) {
    const Result r = Cordon(args);
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.err.rfind("cordon: error: ", 0), 0u) << r.err;
    for (const auto& n : needles) EXPECT_NE(r.err.find(n), std::string::npos) << r.err;
  }
};

TEST_F(SweepCli, GridIsIdenticalWithOneOrTwoThreads) {
  ASSERT_EQ(Cordon("sweep " + Path("grid.yaml") + " --out " + Path("t1") + " --threads 1 -q").code,
            0);
  const std::string reference = Slurp(dir_ / "t1" / "sweep.csv");
  EXPECT_EQ(std::count(reference.begin(), reference.end(), '\n'), 1 + 9 * 8);
  EXPECT_FALSE(fs::exists(dir_ / "t1" / "sweep.partial.csv")) << "removed once complete";

  ASSERT_EQ(Cordon("sweep " + Path("grid.yaml") + " --out " + Path("t2") + " --threads 2 -q").code,
            0);
  EXPECT_EQ(Slurp(dir_ / "t2" / "sweep.csv"), reference);
  EXPECT_EQ(Slurp(dir_ / "t2" / "sweep_points.csv"), Slurp(dir_ / "t1" / "sweep_points.csv"));
}

// Shards and MPI ranks are processes, not threads: ThreadSanitizer has nothing to see here
// (scripts/dev.sh leaves this test out of the TSan run).
TEST_F(SweepCli, GridIsIdenticalWithShardsAndMpi) {
  ASSERT_EQ(Cordon("sweep " + Path("grid.yaml") + " --out " + Path("t1") + " -q").code, 0);
  const std::string reference = Slurp(dir_ / "t1" / "sweep.csv");

  ASSERT_EQ(Cordon("sweep " + Path("grid.yaml") + " --out " + Path("s1") + " --shard 1/2 -q").code,
            0);
  ASSERT_EQ(Cordon("sweep " + Path("grid.yaml") + " --out " + Path("s2") + " --shard 2/2 -q").code,
            0);
  const Result m = Cordon("merge " + Path("s1") + " " + Path("s2") + " --out " + Path("merged"));
  ASSERT_EQ(m.code, 0) << m.err;
  EXPECT_EQ(Slurp(dir_ / "merged" / "sweep.csv"), reference);
  EXPECT_EQ(Slurp(dir_ / "merged" / "sweep_points.csv"), Slurp(dir_ / "t1" / "sweep_points.csv"));
  ExpectInputError("merge " + Path("s1") + " --out " + Path("half"),
                   {"merge: 36 of 72 rows are missing (shards not given: 2)"});

#if defined(CORDON_HAVE_MPI) && defined(CORDON_MPIRUN)
  const Result mpi =
      RunCordon(std::string("env OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 ") +
                    "ASAN_OPTIONS=detect_leaks=0 " +  // Open MPI keeps its allocations to exit
                    CORDON_MPIRUN + " --oversubscribe -n 2 " + CORDON_BIN + " sweep " +
                    Path("grid.yaml") + " --out " + Path("mpi") + " --threads 1",
                dir_, /*raw=*/true);
  ASSERT_EQ(mpi.code, 0) << mpi.err;
  EXPECT_NE(mpi.out.find("on 2 processes"), std::string::npos) << mpi.out;
  EXPECT_EQ(Slurp(dir_ / "mpi" / "sweep.csv"), reference);
#else
  GTEST_SKIP() << "built without MPI: mpirun part skipped";
#endif
}

TEST_F(SweepCli, LatinHypercubePutsOneSampleInEachStratum) {
  Write("lhs.yaml",
        "base: base.yaml\nruns: 1\nsamples: {n: 10, seed: 3, ranges: {disease.r0: [1.5, 3.5], "
        "disease.latent_days: [2, 6]}}\n");
  ASSERT_EQ(Cordon("sweep " + Path("lhs.yaml") + " --out " + Path("lhs") + " -q").code, 0);
  std::ifstream in(dir_ / "lhs" / "sweep.csv");
  std::string line;
  std::getline(in, line);
  std::vector<int> r0_strata(10, 0), latent_strata(10, 0);
  while (std::getline(in, line)) {
    std::stringstream s(line);
    std::string point, run, r0, latent;
    std::getline(s, point, ',');
    std::getline(s, run, ',');
    std::getline(s, r0, ',');
    std::getline(s, latent, ',');
    ++r0_strata.at(static_cast<int>((std::stod(r0) - 1.5) / 2.0 * 10));
    ++latent_strata.at(static_cast<int>((std::stod(latent) - 2.0) / 4.0 * 10));
  }
  EXPECT_EQ(r0_strata, std::vector<int>(10, 1));
  EXPECT_EQ(latent_strata, std::vector<int>(10, 1));
}

TEST_F(SweepCli, KilledSweepResumesToTheSameFile) {
  WriteSlowSweep();
  ASSERT_EQ(Cordon("sweep " + Path("slow.yaml") + " --out " + Path("whole") + " -q").code, 0);

  const pid_t pid = ::fork();
  if (pid == 0) {
    ::execl(CORDON_BIN, CORDON_BIN, "sweep", Path("slow.yaml").c_str(), "--out",
            Path("cut").c_str(), "--threads", "2", "-q", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  const fs::path partial = dir_ / "cut" / "sweep.partial.csv";
  auto rows = [&] {
    const std::string t = fs::exists(partial) ? Slurp(partial) : "";
    return std::count(t.begin(), t.end(), '\n') - 1;
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (rows() < 8 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the sweep finished before the kill";
  const long done = rows();
  EXPECT_GE(done, 8);
  EXPECT_LT(done, 40);
  EXPECT_FALSE(fs::exists(dir_ / "cut" / "sweep.csv"));

  ExpectInputError("sweep " + Path("slow.yaml") + " --out " + Path("cut"),
                   {"sweep.partial.csv: holds rows of an unfinished sweep; add --resume"});
  const Result r = Cordon("sweep " + Path("slow.yaml") + " --out " + Path("cut") + " --resume");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("40 rows (" + std::to_string(done) + " resumed)"), std::string::npos)
      << r.out;
  EXPECT_EQ(Slurp(dir_ / "cut" / "sweep.csv"), Slurp(dir_ / "whole" / "sweep.csv"));
  EXPECT_EQ(Slurp(dir_ / "cut" / "sweep_points.csv"), Slurp(dir_ / "whole" / "sweep_points.csv"));
}

#if defined(CORDON_HAVE_MPI) && defined(CORDON_MPIRUN)
// An MPI sweep whose rank is killed (SIGKILL; mpirun then ends the job) leaves rank partial
// files that --resume completes, under mpirun or in one process, to the same final files.
TEST_F(SweepCli, KilledMpiRankResumesToTheSameFile) {
  WriteSlowSweep(4000, 5);  // 20 rows: light enough for the ASan run
  ASSERT_EQ(Cordon("sweep " + Path("slow.yaml") + " --out " + Path("whole") + " -q").code, 0);
  const std::string env =
      "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 "
      "ASAN_OPTIONS=detect_leaks=0 ";  // Open MPI keeps its allocations
  auto mpirun = [&](const std::string& out, const std::string& extra) {
    return std::string(CORDON_MPIRUN) + " --oversubscribe -n 2 " + CORDON_BIN + " sweep " +
           Path("slow.yaml") + " --out " + Path(out) + " --threads 1 -q" + extra;
  };
  auto rows = [&](const std::string& out) {
    long n = 0;
    for (int rank : {0, 1}) {
      const fs::path f = dir_ / out / ("sweep.partial.rank-" + std::to_string(rank) + ".csv");
      const std::string t = fs::exists(f) ? Slurp(f) : "";
      n += std::max<long>(0, std::count(t.begin(), t.end(), '\n') - 1);
    }
    return n;
  };
  // Runs the sweep under mpirun into `out` and kills a rank once 4 rows are done.
  auto kill_a_rank = [&](const std::string& out) {
    const std::string cmd = "exec env " + env + mpirun(out, " 2>" + Path(out + ".err"));
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::setpgid(0, 0);
      ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (rows(out) < 4 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    // The ranks are mpirun's children; kill the newest (a rank, not mpirun itself).
    const Result ranks = RunCordon("pgrep -n -P " + std::to_string(pid), dir_, /*raw=*/true);
    ASSERT_FALSE(ranks.out.empty()) << "no rank found";
    ::kill(std::stoi(ranks.out), SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_FALSE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the sweep finished anyway";
    EXPECT_FALSE(fs::exists(dir_ / out / "sweep.csv"));
    EXPECT_GE(rows(out), 4);
    EXPECT_LT(rows(out), 20);
  };
  kill_a_rank("under_mpi");
  const Result mpi = RunCordon("env " + env + mpirun("under_mpi", " --resume"), dir_, true);
  ASSERT_EQ(mpi.code, 0) << mpi.err;
  EXPECT_EQ(Slurp(dir_ / "under_mpi" / "sweep.csv"), Slurp(dir_ / "whole" / "sweep.csv"));
  kill_a_rank("alone");
  const Result alone =
      Cordon("sweep " + Path("slow.yaml") + " --out " + Path("alone") + " --resume -q");
  ASSERT_EQ(alone.code, 0) << alone.err;
  EXPECT_EQ(Slurp(dir_ / "alone" / "sweep.csv"), Slurp(dir_ / "whole" / "sweep.csv"));
  EXPECT_EQ(Slurp(dir_ / "alone" / "sweep_points.csv"), Slurp(dir_ / "whole" / "sweep_points.csv"));
}
#endif

TEST_F(SweepCli, InterruptKeepsRowsAndSaysHowToResume) {
  WriteSlowSweep();
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int err = ::open(Path("err.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(err, STDERR_FILENO);
    ::execl(CORDON_BIN, CORDON_BIN, "sweep", Path("slow.yaml").c_str(), "--out",
            Path("int").c_str(), "--threads", "1", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  const fs::path partial = dir_ / "int" / "sweep.partial.csv";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while ((!fs::exists(partial) || Slurp(partial).size() < 300) &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  ::kill(pid, SIGINT);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  EXPECT_NE(Slurp(dir_ / "err.txt").find("rerun with --resume to finish"), std::string::npos);
  const std::string kept = Slurp(partial);
  EXPECT_EQ(kept.back(), '\n') << "the row in flight was finished, not cut";
}

TEST_F(SweepCli, BadSweepFiles) {
  Write("s.yaml", "base: base.yaml\nvary:\n  disease.rr0: [1, 2]\n");
  ExpectInputError("sweep " + Path("s.yaml") + " --out " + Path("o"),
                   {"s.yaml:3:3: vary: point 0:", "model cordon has no parameter 'rr0'"});
  Write("s.yaml", "base: base.yaml\nvary:\n  disease.r0: []\n");
  ExpectInputError("sweep " + Path("s.yaml") + " --out " + Path("o"),
                   {"s.yaml:3:15: vary.disease.r0: empty range"});
  Write("s.yaml", "base: base.yaml\nsamples: {n: 5, ranges: {disease.r0: [3, 2]}}\n");
  ExpectInputError("sweep " + Path("s.yaml") + " --out " + Path("o"),
                   {"samples.ranges.disease.r0: empty range (high must exceed low)"});
  Write("s.yaml", "base: base.yaml\nvary:\n  policies[9].coverage: [0.5]\n");
  ExpectInputError("sweep " + Path("s.yaml") + " --out " + Path("o"),
                   {"index [9] is out of range"});
  Write("s.yaml", "base: base.yaml\nvary:\n  disease.r0: [-1]\n");
  ExpectInputError("sweep " + Path("s.yaml") + " --out " + Path("o"),
                   {"disease.r0: must be between 0 and"});
  Write("s.yaml", "base: base.yaml\nrepeat: 3\nvary: {disease.r0: [2]}\n");
  ExpectInputError("sweep " + Path("s.yaml") + " --out " + Path("o"),
                   {"s.yaml:2:1: repeat: unknown key"});
  Write("s.yaml", "base: nowhere.yaml\nvary: {disease.r0: [2]}\n");
  ExpectInputError("sweep " + Path("s.yaml") + " --out " + Path("o"), {"base: file not found"});
  Write("s.yaml", "base: base.yaml\n");
  ExpectInputError("sweep " + Path("s.yaml") + " --out " + Path("o"), {"nothing varies"});
  ExpectInputError("sweep " + Path("grid.yaml") + " --out " + Path("o") + " --shard 3/2",
                   {"--shard 3/2: expected K/N with 1 <= K <= N"});
}

}  // namespace
