// SPDX-License-Identifier: Apache-2.0
#pragma once
// Running the cordon binary from tests: exit code, stdout and stderr.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace cordon::test {

namespace fs = std::filesystem;

struct Result {
  int code = -1;
  std::string out, err;
};

/// Runs `cordon ARGS` (or, with raw, the command line ARGS itself) in a shell.
inline Result RunCordon(const std::string& args, const fs::path& dir, bool raw = false) {
  const fs::path err_file = dir / "stderr.txt";
  const std::string cmd =
      (raw ? args : std::string(CORDON_BIN) + " " + args) + " 2>" + err_file.string();
  Result r;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), buf.size(), pipe)) r.out += buf.data();
  const int status = ::pclose(pipe);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(err_file);
  std::stringstream ss;
  ss << in.rdbuf();
  r.err = ss.str();
  return r;
}

inline std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace cordon::test
