// SPDX-License-Identifier: Apache-2.0
#pragma once
// Running the cordon binary from tests: exit code, stdout and stderr.
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

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

/// posterior.csv of `cordon calibrate` -> parameter -> {mean, median, q025, q975}.
inline std::map<std::string, std::vector<double>> ReadPosterior(const fs::path& path) {
  std::map<std::string, std::vector<double>> out;
  std::istringstream in(Slurp(path));
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "parameter,mean,median,q025,q975,interval,note");
  while (std::getline(in, line)) {
    std::istringstream row(line);
    std::string name, cell;
    std::getline(row, name, ',');
    for (int k = 0; k < 4 && std::getline(row, cell, ','); ++k)  // then interval, note
      out[name].push_back(cell.empty() ? std::nan("") : std::stod(cell));
  }
  return out;
}

/// A fresh folder per test (temp dir / prefix + test name), removed afterwards,
/// and helpers that run cordon in it.
class CliFixture : public ::testing::Test {
 protected:
  explicit CliFixture(std::string prefix) : prefix_(std::move(prefix)) {}

  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           (prefix_ + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  /// Copies the network-only sample (network.yaml and its network/ tables) into the folder.
  void CopyNetworkSample() const {
    fs::copy(fs::path(SAMPLES_DIR) / "network", dir_ / "network");
    fs::copy(fs::path(SAMPLES_DIR) / "network.yaml", dir_ / "network.yaml");
  }
  void Write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ / name) << text;
  }
  Result Cordon(const std::string& args) const { return RunCordon(args, dir_); }

  /// Exit code 2 and one stderr line, "cordon: error: ...", holding every needle.
  void ExpectInputError(const std::string& args, std::initializer_list<std::string> needles) const {
    const Result r = Cordon(args);
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.err.rfind("cordon: error: ", 0), 0u) << r.err;
    for (const auto& n : needles) EXPECT_NE(r.err.find(n), std::string::npos) << r.err;
  }

  fs::path dir_;

 private:
  std::string prefix_;
};

// A PNG's pixels, RGB row by row (GDAL reads it).
struct Pixels {
  int width = 0, height = 0;
  std::vector<std::uint8_t> rgb;
  const std::uint8_t* At(int x, int y) const { return &rgb[(std::size_t(y) * width + x) * 3]; }
};

inline Pixels ReadPng(const std::string& path) {
  GDALAllRegister();
  GDALDatasetUniquePtr png(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER));
  Pixels p;
  if (!png) return p;
  p.width = png->GetRasterXSize();
  p.height = png->GetRasterYSize();
  p.rgb.resize(std::size_t(p.width) * p.height * 3);
  if (png->RasterIO(GF_Read, 0, 0, p.width, p.height, p.rgb.data(), p.width, p.height, GDT_Byte, 3,
                    nullptr, 3, 3 * p.width, 1, nullptr) != CE_None)
    p.rgb.clear();
  return p;
}

}  // namespace cordon::test
