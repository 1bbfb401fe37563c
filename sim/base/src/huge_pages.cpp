// SPDX-License-Identifier: Apache-2.0
#include "cordon/base/huge_pages.hpp"

#include <cstdlib>
#include <fstream>
#include <string>

#if defined(__linux__)
#include <unistd.h>
#endif

namespace cordon {
namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

// Set in the second start's environment, so that it never starts a third.
constexpr const char* kSecondStart = "CORDON_HUGE_PAGES_STARTED";
constexpr const char* kTunable = "glibc.malloc.hugetlb";

// The kernel's transparent huge page mode: "always", "madvise", "never" or "" (none).
std::string ThpMode() {
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string modes;
  std::getline(in, modes);
  const auto open = modes.find('['), close = modes.find(']');
  if (open == std::string::npos || close == std::string::npos || close < open) return "";
  return modes.substr(open + 1, close - open - 1);
}

bool OptedOut() {
  const char* opt_out = std::getenv("CORDON_HUGE_PAGES");
  return opt_out && std::string(opt_out) == "0";
}

}  // namespace

void ExecWithHugePages(char** argv) {
#if defined(__linux__) && defined(__GLIBC__) && \
    (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 35))
  if (kSanitized || argv == nullptr || argv[0] == nullptr) return;
  if (std::getenv(kSecondStart)) {
    unsetenv(kSecondStart);  // the programs this one starts decide for themselves
    return;
  }
  if (OptedOut()) return;
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  const std::string before = tunables ? tunables : "";
  if (before.find(kTunable) != std::string::npos || ThpMode() != "madvise") return;
  std::string after = before;
  if (!after.empty()) after += ':';
  after.append(kTunable).append("=1");
  if (setenv("GLIBC_TUNABLES", after.c_str(), 1) != 0) return;
  setenv(kSecondStart, "1", 1);
  execv("/proc/self/exe", argv);
  // exec failed (no /proc, say): go on as we are, environment as it was.
  unsetenv(kSecondStart);
  if (tunables)
    setenv("GLIBC_TUNABLES", before.c_str(), 1);
  else
    unsetenv("GLIBC_TUNABLES");
#else
  (void)argv;
#endif
}

std::string DescribePages() {
  if (kSanitized) return "4 KiB pages (a sanitizer build)";
  const std::string mode = ThpMode();
  if (mode.empty()) return "the system's pages (no transparent huge pages)";
  if (mode != "madvise")
    return (mode == "always" ? "huge pages" : "4 KiB pages") +
           std::string(" (transparent huge pages: ") + mode + ")";
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  const std::string set = tunables ? tunables : "";
  if (set.find(std::string(kTunable) + "=1") != std::string::npos ||
      set.find(std::string(kTunable) + "=2") != std::string::npos)
    return std::string("huge pages for large arrays (GLIBC_TUNABLES ") + kTunable + ")";
  if (OptedOut()) return "4 KiB pages (CORDON_HUGE_PAGES=0)";
  if (set.find(kTunable) != std::string::npos) return "4 KiB pages (GLIBC_TUNABLES=" + set + ")";
  return "4 KiB pages (glibc 2.35 or later, with /proc, gives huge pages)";
}

}  // namespace cordon
