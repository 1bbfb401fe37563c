// SPDX-License-Identifier: Apache-2.0
#include "cordon/base/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "cordon/base/error.hpp"

namespace cordon {

namespace {

// fsync of a file or folder by path; false when it cannot be opened or synced.
bool SyncPath(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

std::string TempPathFor(const std::string& target) {
  const std::filesystem::path p(target);
  return (p.parent_path() /
          (p.stem().string() + ".tmp-" + std::to_string(::getpid()) + p.extension().string()))
      .string();
}

void CommitFinishedFile(const std::string& temp, const std::string& target) {
  std::error_code ec;
  if (!SyncPath(temp, O_RDONLY)) {
    const std::string why = std::strerror(errno);
    std::filesystem::remove(temp, ec);
    throw Error(target + ": cannot flush the finished file to disk: " + why);
  }
  if (std::rename(temp.c_str(), target.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    std::filesystem::remove(temp, ec);
    throw Error(target + ": cannot rename the finished file into place: " + why);
  }
  const std::filesystem::path parent = std::filesystem::path(target).parent_path();
  const std::string folder = parent.empty() ? std::string(".") : parent.string();
  // Some file systems cannot sync a folder (EINVAL); the file itself is safe then.
  if (!SyncPath(folder, O_RDONLY | O_DIRECTORY) && errno != EINVAL && errno != EBADF)
    throw Error(folder + ": cannot flush the folder holding " + target + ": " +
                std::strerror(errno));
}

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)), temp_(TempPathFor(path_)) {
  out_.open(temp_, std::ios::binary | std::ios::trunc);
  if (!out_) throw Error(temp_ + ": cannot create file: " + std::strerror(errno));
}

AtomicFile::~AtomicFile() {
  if (!committed_) {
    out_.close();
    std::remove(temp_.c_str());
  }
}

void AtomicFile::Commit() {
  out_.flush();
  const bool ok = static_cast<bool>(out_);
  out_.close();
  if (!ok || out_.fail()) throw Error(temp_ + ": write failed (disk full?)");
  committed_ = true;  // CommitFinishedFile removes the temporary file itself on failure
  CommitFinishedFile(temp_, path_);
}

}  // namespace cordon
