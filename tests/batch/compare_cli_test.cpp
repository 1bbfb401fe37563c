// SPDX-License-Identifier: Apache-2.0
// `cordon compare` end to end: the table against each scenario's own run,
// staff-days by hand, and the chart's pixels read back with GDAL.
#include <gdal_priv.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "cli_support.hpp"
#include "cordon/base/csv_table.hpp"

namespace {

namespace fs = std::filesystem;
using cordon::test::Result;
using cordon::test::RunCordon;
using cordon::test::Slurp;

class CompareCli : public cordon::test::CliFixture {
 protected:
  CompareCli() : CliFixture("cordon_compare_") {}

  void SetUp() override {
    CliFixture::SetUp();
    fs::copy(fs::path(SAMPLES_DIR) / "network", dir_ / "network");
    const std::string base = Slurp(fs::path(SAMPLES_DIR) / "network.yaml");
    std::ofstream(dir_ / "a.yaml") << base;
    // B: the same county without its checkpoints.
    std::string b = base;
    b.replace(b.find("name: demo-network-county"), 25, "name: open-roads");
    const auto from = b.find("checkpoints:"), to = b.find("imports:");
    b.erase(from, to - from);
    std::ofstream(dir_ / "b.yaml") << b;
  }
};

TEST_F(CompareCli, TableMatchesEachScenarioRunAlone) {
  const Result r = RunCordon("compare " + Path("a.yaml") + " " + Path("b.yaml") +
                                 " --village V001 --out " + Path("cmp") + " -q",
                             dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  ASSERT_EQ(RunCordon("run " + Path("a.yaml") + " --out " + Path("ra") + " -q", dir_).code, 0);
  ASSERT_EQ(RunCordon("run " + Path("b.yaml") + " --out " + Path("rb") + " -q", dir_).code, 0);
  const auto table = cordon::CsvTable::Read(Path("cmp/compare.csv"));
  std::map<std::string, std::size_t> row;
  for (std::size_t k = 0; k < table.Rows(); ++k) row[std::string(table.Text(k, 0))] = k;
  const int a = table.Require("demo-network-county"), b = table.Require("open-roads");
  const int diff = table.Require("open-roads_minus_demo-network-county");
  auto summary = [&](const std::string& dir, const std::string& key) {
    const std::string json = Slurp(dir_ / dir / "summary.json");
    const auto at = json.find("\"" + key + "\": ");
    return std::stod(json.substr(at + key.size() + 4));
  };
  EXPECT_NEAR(table.Number(row["attack_rate"], a), summary("ra", "attack_rate"), 1e-12);
  EXPECT_NEAR(table.Number(row["attack_rate"], b), summary("rb", "attack_rate"), 1e-12);
  EXPECT_NEAR(table.Number(row["attack_rate"], diff),
              summary("rb", "attack_rate") - summary("ra", "attack_rate"), 1e-12);
  EXPECT_NEAR(table.Number(row["peak_H"], a), summary("ra", "peak_H"), 1e-9);
  EXPECT_GT(table.Number(row["attack_rate"], b), table.Number(row["attack_rate"], a))
      << "removing the checkpoints makes it worse";
  EXPECT_EQ(table.Number(row["beds"], a), 29.0);
  // Staff-days by hand from the checkpoint table: 3 staff x active days within 120.
  const auto cps = cordon::CsvTable::Read((dir_ / "network" / "checkpoints.csv").string());
  double staff_days = 0;
  for (std::size_t k = 0; k < cps.Rows(); ++k) {
    const double start = cps.OptionalNumber(k, cps.Require("start")).value_or(0.0);
    const double end = cps.OptionalNumber(k, cps.Require("end")).value_or(120.0);
    staff_days += 3.0 * (std::min(end, 120.0) - std::max(start, 0.0));
  }
  EXPECT_NEAR(table.Number(row["staff_days"], a), staff_days, 1e-9);
  EXPECT_EQ(table.Number(row["staff_days"], b), 0.0);
  EXPECT_TRUE(row.count("arrival_day:V001"));
  const std::string md = Slurp(dir_ / "cmp" / "compare.md");
  EXPECT_NE(md.find("| attack_rate |"), std::string::npos) << md;
}

TEST_F(CompareCli, ChartShowsOneColouredCurvePerScenario) {
  ASSERT_EQ(RunCordon("compare " + Path("a.yaml") + " " + Path("b.yaml") + " --out " + Path("cmp") +
                          " -q",
                      dir_)
                .code,
            0);
  GDALAllRegister();
  GDALDatasetUniquePtr png(GDALDataset::Open(Path("cmp/compare.png").c_str(), GDAL_OF_RASTER));
  ASSERT_NE(png, nullptr) << "compare.png does not open as an image";
  const int w = png->GetRasterXSize(), h = png->GetRasterYSize();
  ASSERT_EQ(w, 960);
  ASSERT_EQ(h, 540);
  ASSERT_EQ(png->GetRasterCount(), 3);
  std::vector<std::uint8_t> rgb(std::size_t(w) * h * 3);
  ASSERT_EQ(png->RasterIO(GF_Read, 0, 0, w, h, rgb.data(), w, h, GDT_Byte, 3, nullptr, 3, 3 * w, 1,
                          nullptr),
            CE_None);
  auto count = [&](int r, int g, int b) {
    long n = 0;
    for (std::size_t i = 0; i < rgb.size(); i += 3)
      n += rgb[i] == r && rgb[i + 1] == g && rgb[i + 2] == b;
    return n;
  };
  EXPECT_GT(count(255, 255, 255), w * h / 2) << "white background";
  EXPECT_GT(count(31, 119, 180), 200) << "the first scenario's curve (blue)";
  EXPECT_GT(count(214, 39, 40), 200) << "the second scenario's curve (red)";
  EXPECT_EQ(count(44, 160, 44), 0) << "no third curve";
}

TEST_F(CompareCli, UnknownVillageIsAnInputError) {
  const Result r =
      RunCordon("compare " + Path("a.yaml") + " --village nowhere --out " + Path("cmp"), dir_);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("a.yaml: --village nowhere: no village with this id"), std::string::npos)
      << r.err;
}

}  // namespace
