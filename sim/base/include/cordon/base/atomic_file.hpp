// SPDX-License-Identifier: Apache-2.0
#pragma once
/// A file that appears under its name only when complete: the content goes
/// to a temporary name beside it and is renamed over the target on Commit().
/// A crash or an exception leaves no half-written file that looks finished.

#include <fstream>
#include <string>

namespace cordon {

class AtomicFile {
 public:
  /// Opens "<path>.tmp-<pid>" for writing. Throws cordon::Error if it cannot.
  explicit AtomicFile(std::string path);
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  /// Removes the temporary file unless Commit() succeeded.
  ~AtomicFile();

  std::ostream& Stream() { return out_; }
  /// Flushes, closes and renames onto the target. Throws cordon::Error on a write failure.
  void Commit();

 private:
  std::string path_, temp_;
  std::ofstream out_;
  bool committed_ = false;
};

}  // namespace cordon
