// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Files that appear under their name only when complete and durable: the
/// content goes to a temporary name beside the target, is flushed to disk
/// (fsync), renamed over the target, and the rename is flushed too (fsync of
/// the folder). A crash, an exception or a power cut right after "done"
/// leaves no half-written file that looks finished. Every writer of cordon
/// (CSV, JSON, GeoPackage, PNG, video) goes through here.

#include <fstream>
#include <string>

namespace cordon {

/// "<folder>/<stem>.tmp-<pid><ext>" beside `target`: same folder (so the
/// rename is atomic) and extension (so GDAL and ffmpeg pick their format).
std::string TempPathFor(const std::string& target);

/// fsyncs the finished file `temp`, renames it onto `target` and fsyncs the
/// folder. On failure removes `temp` and throws cordon::Error naming `target`.
void CommitFinishedFile(const std::string& temp, const std::string& target);

/// A text or binary stream written through a temporary file (see above).
class AtomicFile {
 public:
  /// Opens TempPathFor(path) for writing. Throws cordon::Error if it cannot.
  explicit AtomicFile(std::string path);
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  /// Removes the temporary file unless Commit() succeeded.
  ~AtomicFile();

  std::ostream& Stream() { return out_; }
  /// Flushes, closes and commits (CommitFinishedFile). Throws cordon::Error on a write failure.
  void Commit();

 private:
  std::string path_, temp_;
  std::ofstream out_;
  bool committed_ = false;
};

}  // namespace cordon
