// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Transparent huge pages for a program's large arrays.
///
/// A run at 1e5 villages streams tens of megabytes of state a stage; on 4 KiB
/// pages most of its time goes to TLB misses and, at start, to a page fault
/// per 4 KiB first touched (about 90,000 of them, each a trip through the
/// hypervisor on a virtual machine). glibc's malloc backs its large blocks with
/// 2 MiB pages when the tunable glibc.malloc.hugetlb=1 is set, but it reads
/// tunables only as a program starts: so main() calls ExecWithHugePages first,
/// which starts the same program again, same arguments, with the tunable
/// added to GLIBC_TUNABLES. Measured on the 2-core test machine: a 1e5-village
/// day 215 -> 145 ms on one thread, a 1e6-village day 2.9 -> 1.5 s on two.
///
/// It does nothing (and returns) when:
///  - CORDON_HUGE_PAGES=0 is set (the opt-out), or GLIBC_TUNABLES already names
///    glibc.malloc.hugetlb (the user's own choice wins);
///  - the kernel's transparent huge pages are not in "madvise" mode ("always"
///    needs no help, "never" cannot be helped);
///  - the C library is not glibc 2.35 or later, or the build has a sanitizer
///    (it replaces malloc);
///  - this process is already the second start, or exec fails.
/// Results never depend on it: only where memory lies.

#include <string>

namespace cordon {

/// Starts this program again with huge pages for malloc when that helps (see above); returns
/// when it does not. Call it first in main, before threads or output. argv: main's argv.
void ExecWithHugePages(char** argv);

/// What backs this process's large arrays and why, for `cordon -v`: "huge pages
/// (glibc.malloc.hugetlb=1)", "4 KiB pages (CORDON_HUGE_PAGES=0)", ...
std::string DescribePages();

}  // namespace cordon
