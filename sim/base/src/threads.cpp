// SPDX-License-Identifier: Apache-2.0
#include "cordon/base/threads.hpp"

#include <sched.h>
#include <unistd.h>

#include <cstdlib>

#include "cordon/base/error.hpp"

namespace cordon {
namespace {

// A positive integer from the environment variable `name`, or 0 when unset or empty.
int PositiveEnv(const char* name, bool strict) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return 0;
  char* end = nullptr;
  const long v = std::strtol(text, &end, 10);
  if (*end != '\0' || v < 1 || v > 1 << 20) {
    if (strict)
      throw InputError(std::string(name) + "='" + text + "': expected a positive integer");
    return 0;
  }
  return static_cast<int>(v);
}

}  // namespace

int AvailableThreads() {
  int cpus = 0;
  cpu_set_t mask;
  CPU_ZERO(&mask);
  if (sched_getaffinity(0, sizeof mask, &mask) == 0) cpus = CPU_COUNT(&mask);
  const long online = sysconf(_SC_NPROCESSORS_ONLN);
  if (cpus <= 0) cpus = online > 0 ? static_cast<int>(online) : 1;
  // Ranks bound to CPUs of their own already see only theirs; unbound ones
  // all see every CPU and share them.
  if (online > 0 && cpus >= online) {
    int ranks = PositiveEnv("OMPI_COMM_WORLD_LOCAL_SIZE", false);
    if (ranks == 0) ranks = PositiveEnv("MPI_LOCALNRANKS", false);
    if (ranks > 1) cpus /= ranks;
  }
  return std::max(1, cpus);
}

ThreadCount ResolveThreads(int requested) {
  if (requested > 0) return {requested, "--threads"};
  if (const int env = PositiveEnv("CORDON_THREADS", true); env > 0) return {env, "CORDON_THREADS"};
  return {AvailableThreads(), "affinity"};
}

}  // namespace cordon
