// SPDX-License-Identifier: Apache-2.0
// Contact tracing end to end on the generated demo county: data/samples/tracing.yaml runs
// and writes its tracing columns, `cordon compare` counts tracing's staff-days, and
// data/samples/tracing-sweep.yaml's delay x coverage grid gives an attack rate that falls
// with coverage and rises with delay, drawn as sweep_attack_rate.png (pixels read back).
#include <gdal_priv.h>
#include <gtest/gtest.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "cli_support.hpp"
#include "cordon/base/csv_table.hpp"

namespace {

namespace fs = std::filesystem;
using cordon::CsvTable;
using cordon::test::Result;
using cordon::test::RunCordon;

class TracingCli : public cordon::test::CliFixture {
 protected:
  TracingCli() : CliFixture("cordon_tracing_") {}

  void SetUp() override {
    CliFixture::SetUp();
    const Result gen = RunCordon("generate --villages 50 --out " + Path("demo-county.gpkg"), dir_);
    ASSERT_EQ(gen.code, 0) << gen.err;
    for (const char* f : {"tracing.yaml", "tracing-sweep.yaml"})
      fs::copy(fs::path(SAMPLES_DIR) / f, dir_ / f);
  }
};

TEST_F(TracingCli, SampleWritesTracingAndCompareCountsItsStaff) {
  const Result r = RunCordon("run " + Path("tracing.yaml") + " --out " + Path("run") + " -q", dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  const CsvTable series = CsvTable::Read(Path("run/series.csv"));
  const int traced = series.Require("traced"), quarantined = series.Require("quarantined");
  const int infected = series.Require("traced_infected");
  double contacts = 0.0, moved = 0.0, found = 0.0;
  for (std::size_t d = 0; d < series.Rows(); ++d) {
    EXPECT_LE(series.Number(d, traced), 400.0 * (1 + 1e-12)) << "the capacity, day " << d;
    contacts += series.Number(d, traced);
    moved += series.Number(d, quarantined);
    found += series.Number(d, infected);
  }
  EXPECT_GT(found, 1.0);
  EXPECT_GT(moved, found);
  EXPECT_GE(contacts, moved);

  // compare: staff-days = checkpoint staff x active days + 0.05 x contacts traced.
  auto staff_days = [&](const std::string& set, const std::string& out) {
    const Result c =
        RunCordon("compare " + Path("tracing.yaml") + set + " --out " + Path(out) + " -q", dir_);
    EXPECT_EQ(c.code, 0) << c.err;
    const CsvTable table = CsvTable::Read(Path(out + "/compare.csv"));
    for (std::size_t k = 0; k < table.Rows(); ++k)
      if (table.Text(k, 0) == "staff_days") return table.Number(k, 1);
    ADD_FAILURE() << "no staff_days row";
    return 0.0;
  };
  const double checkpoints_only = staff_days(" --set policies[6].staff_per_contact=0", "cmp0");
  EXPECT_GT(checkpoints_only, 0.0);
  EXPECT_NEAR(staff_days("", "cmp"), checkpoints_only + 0.05 * contacts, 1e-6 * contacts);

  // The same model with its traced flow kept out of the outputs: the staff count it still.
  std::ifstream in(fs::path(SAMPLES_DIR) / ".." / "models" / "cordon.yaml");
  std::string model((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string flow = "traced: {from: tracing.traced, per_patch: false}";
  ASSERT_NE(model.find(flow), std::string::npos);
  model.replace(model.find(flow), flow.size(),
                "traced: {from: tracing.traced, per_patch: false, output: false}");
  std::ofstream(dir_ / "hidden.yaml") << model;
  EXPECT_NEAR(staff_days(" --set model=hidden.yaml", "cmp_hidden"),
              checkpoints_only + 0.05 * contacts, 1e-6 * contacts);
}

TEST_F(TracingCli, SweepOverDelayAndCoverageDrawsTheAttackRateGrid) {
  const Result r =
      RunCordon("sweep " + Path("tracing-sweep.yaml") + " --out " + Path("sweep"), dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("sweep_attack_rate.png"), std::string::npos) << r.out;
  const CsvTable points = CsvTable::Read(Path("sweep/sweep_points.csv"));
  ASSERT_EQ(points.Rows(), 36u);
  const int delay = points.Require("policies[6].delay_days");
  const int coverage = points.Require("policies[6].coverage");
  const int attack = points.Require("attack_rate_mean");
  std::map<std::pair<double, double>, double> grid;
  for (std::size_t k = 0; k < points.Rows(); ++k)
    grid[{points.Number(k, delay), points.Number(k, coverage)}] = points.Number(k, attack);
  const std::vector<double> delays{0, 1, 2, 3, 4, 5}, coverages{0.2, 0.34, 0.48, 0.62, 0.76, 0.9};
  for (double d : delays)
    for (std::size_t c = 1; c < coverages.size(); ++c)
      EXPECT_LT(grid.at({d, coverages[c]}), grid.at({d, coverages[c - 1]}))
          << "more coverage, fewer infected: delay " << d << ", coverage " << coverages[c];
  for (double c : coverages)
    for (std::size_t d = 1; d < delays.size(); ++d)
      EXPECT_GT(grid.at({delays[d], c}), grid.at({delays[d - 1], c}))
          << "later tracing, more infected: delay " << delays[d] << ", coverage " << c;

  GDALAllRegister();
  GDALDatasetUniquePtr png(
      GDALDataset::Open(Path("sweep/sweep_attack_rate.png").c_str(), GDAL_OF_RASTER));
  ASSERT_NE(png, nullptr) << "sweep_attack_rate.png does not open as an image";
  const int w = png->GetRasterXSize(), h = png->GetRasterYSize();
  std::vector<std::uint8_t> rgb(std::size_t(w) * h * 3);
  ASSERT_EQ(png->RasterIO(GF_Read, 0, 0, w, h, rgb.data(), w, h, GDT_Byte, 3, nullptr, 3, 3 * w, 1,
                          nullptr),
            CE_None);
  // The cells of the lowest and the highest attack rate take the ramp's two ends: dark
  // purple (coverage 0.9, delay 0: top right) and yellow (coverage 0.2, delay 5: bottom left).
  auto pixel = [&](double fx, double fy) {
    const std::size_t at = (std::size_t(fy * h) * w + std::size_t(fx * w)) * 3;
    return std::array<int, 3>{rgb[at], rgb[at + 1], rgb[at + 2]};
  };
  const auto low = pixel(0.93, 0.16), high = pixel(0.2, 0.78);
  EXPECT_LT(low[0] + low[1] + low[2], 250) << "dark cell top right";
  EXPECT_GT(high[0] + high[1], 400) << "yellow cell bottom left";
  EXPECT_LT(high[2], 120) << "yellow cell bottom left";
}

}  // namespace
