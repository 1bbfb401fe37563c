// SPDX-License-Identifier: Apache-2.0
// cordon's own PNG encoder, decoded by GDAL's PNG driver (libpng) pixel for pixel.
#include "cordon/render/image.hpp"

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "cordon/data/county_generator.hpp"
#include "cordon/engine/dates.hpp"
#include "cordon/engine/display_run.hpp"
#include "cordon/render/chart.hpp"
#include "cordon/render/frame.hpp"
#include "cordon/render/map_image.hpp"
#include "cordon/render/triangulate.hpp"
#include "cordon/scenario/model_file.hpp"

namespace cordon::render {
namespace {

Image Decode(const std::string& path) {
  GDALAllRegister();
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER));
  EXPECT_NE(ds, nullptr);
  if (!ds) return {};
  Image img(ds->GetRasterXSize(), ds->GetRasterYSize(), {});
  EXPECT_EQ(ds->RasterIO(GF_Read, 0, 0, img.width, img.height, img.rgb.data(), img.width,
                         img.height, GDT_Byte, 3, nullptr, 3, 3 * img.width, 1, nullptr),
            CE_None);
  return img;
}

TEST(Png, RoundTripsThroughLibpngExactly) {
  // 300 x 200 x 3 bytes spans several 64 KiB stored blocks.
  Image img(300, 200, {255, 255, 255});
  for (int y = 0; y < img.height; ++y)
    for (int x = 0; x < img.width; ++x)
      img.Set(x, y,
              {static_cast<std::uint8_t>(x), static_cast<std::uint8_t>(y),
               static_cast<std::uint8_t>(x ^ y)});
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("cordon_png_test_" + std::to_string(::getpid()) + ".png"))
                               .string();
  WritePng(img, path);
  const Image back = Decode(path);
  ASSERT_EQ(back.width, 300);
  ASSERT_EQ(back.height, 200);
  EXPECT_EQ(back.rgb, img.rgb);
  std::filesystem::remove(path);
}

TEST(Chart, TextAndCurvesLandWhereExpected) {
  Image img(40, 20, {255, 255, 255});
  DrawText(img, 2, 3, "1", {0, 0, 0});
  // The glyph '1' has its stem in column 2 on rows 1..5.
  for (int row = 1; row <= 5; ++row) EXPECT_EQ(img.At(2 + 2, 3 + row), (Rgb{0, 0, 0})) << row;
  EXPECT_EQ(img.At(2, 3 + 3), (Rgb{255, 255, 255}));

  // A rising curve: its colour appears low on the left and high on the right.
  ChartOptions o;
  o.width = 400;
  o.height = 300;
  const Rgb blue = PaletteColour(0);
  Image chart = PlotCurves({{"rise", {0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100}, blue}}, o);
  auto rows_with = [&](int x0, int x1) {
    int lo = chart.height, hi = -1;
    for (int y = 0; y < chart.height; ++y)
      for (int x = x0; x < x1; ++x)
        if (chart.At(x, y) == blue) lo = std::min(lo, y), hi = std::max(hi, y);
    return std::make_pair(lo, hi);
  };
  const auto left = rows_with(75, 100), right = rows_with(350, 378);
  ASSERT_GE(left.second, 0);
  ASSERT_GE(right.second, 0);
  EXPECT_GT(left.first, right.second) << "the left end is lower on screen than the right end";
}

}  // namespace
}  // namespace cordon::render

namespace cordon::render {
namespace {

TEST(Map, EachVillageIsFilledWithItsColourOnTheScale) {
  // Four 1 km squares in a row with values 0, 1/3, 2/3 and 1 on a 0..1 scale.
  MapLayers layers;
  for (int k = 0; k < 4; ++k)
    layers.villages.push_back({data::Polygon{
        {{k * 1000.0, 0}, {k * 1000.0 + 1000, 0}, {k * 1000.0 + 1000, 1000}, {k * 1000.0, 1000}},
        {}}});
  layers.checkpoints = {{2000.0, 500.0}};
  layers.checkpoint_colour = {Rgb{220, 30, 30}};
  layers.checkpoint_radius = {4};
  Image img(440, 140, Rgb{255, 255, 255});
  Viewport view;
  view.x0 = 20;
  view.y0 = 20;
  view.width = 400;
  view.height = 100;
  view.world.Add(data::Point2{0, 0});
  view.world.Add(data::Point2{4000, 1000});
  const ColourScale scale{0.0, 1.0, false};
  DrawMap(img, view, layers, {0.0, 1.0 / 3, 2.0 / 3, 1.0}, scale);
  // Square k spans pixels 20 + 100 k .. 120 + 100 k; sample inside, away from borders and the
  // marker.
  for (int k = 0; k < 4; ++k) EXPECT_EQ(img.At(45 + 100 * k, 45), scale.At(k / 3.0)) << k;
  EXPECT_EQ(img.At(45, 45), Ramp(0.0));
  EXPECT_EQ(img.At(345, 45), (Rgb{253, 231, 37})) << "the top of the ramp is yellow";
  EXPECT_EQ(img.At(220, 70), (Rgb{220, 30, 30})) << "the checkpoint marker at (2000, 500)";
  EXPECT_EQ(img.At(5, 5), (Rgb{255, 255, 255})) << "outside the map";
  // A log scale puts 1 in the middle of 0.1 .. 10.
  EXPECT_NEAR(ColourScale({0.1, 10.0, true}).Position(1.0), 0.5, 1e-12);
}

TEST(Dates, DayOffsetsCrossMonthsAndLeapYears) {
  EXPECT_EQ(engine::DateAfter("2020-01-15", 0), "2020-01-15");
  EXPECT_EQ(engine::DateAfter("2020-01-15", 10), "2020-01-25");  // the Spring Festival
  EXPECT_EQ(engine::DateAfter("2020-02-28", 1), "2020-02-29");
  EXPECT_EQ(engine::DateAfter("2020-02-28", 2), "2020-03-01");
  EXPECT_EQ(engine::DateAfter("2019-12-31", 1), "2020-01-01");
  EXPECT_EQ(engine::DateAfter("", 5), "");
}

}  // namespace
}  // namespace cordon::render

namespace cordon::render {
namespace {

double TriangleArea(const std::vector<data::Point2>& t) {
  double a = 0;
  for (std::size_t k = 0; k + 2 < t.size(); k += 3)
    a += ((t[k + 1].x - t[k].x) * (t[k + 2].y - t[k].y) -
          (t[k + 2].x - t[k].x) * (t[k + 1].y - t[k].y)) /
         2;
  return a;
}

TEST(Triangulate, TrianglesCoverThePolygonExactly) {
  // A concave L shape, clockwise, and a square with a square hole.
  const data::Polygon l{{{0, 0}, {0, 2}, {1, 2}, {1, 1}, {2, 1}, {2, 0}}, {}};
  const auto tl = Triangulate(l);
  EXPECT_EQ(tl.size(), 3u * 4u);
  EXPECT_NEAR(TriangleArea(tl), 3.0, 1e-12);
  const data::Polygon holed{{{0, 0}, {4, 0}, {4, 4}, {0, 4}}, {{{1, 1}, {3, 1}, {3, 3}, {1, 3}}}};
  EXPECT_NEAR(TriangleArea(Triangulate(holed)), 12.0, 1e-12);
  // Every generated village, including the jagged county-edge ones.
  data::CountyOptions o;
  o.villages = 200;
  for (const auto& v : data::GenerateCounty(o).villages)
    EXPECT_NEAR(TriangleArea(Triangulate(v.shape[0])), data::Area(v.shape),
                1e-6 * data::Area(v.shape))
        << v.code;
}

}  // namespace
}  // namespace cordon::render

namespace cordon::render {
namespace {

TEST(RunView, StaticMetricsComeFromTheRunsVillageResults) {
  // A hand-made two-village run: attack rates and first days straight from the result.
  engine::DisplayRun run;
  run.geography.emplace();
  run.geography->region.shapes = {{data::Polygon{{{0, 0}, {1, 0}, {1, 1}}, {}}},
                                  {data::Polygon{{{1, 0}, {2, 0}, {2, 1}}, {}}}};
  run.geography->region.admin = {{"a", "b"}};
  run.network.ids = {"a", "b"};
  run.network.population = Eigen::ArrayXd::Constant(2, 100.0);
  run.result.attack_rate = Eigen::ArrayXd(2);
  run.result.attack_rate << 0.25, 0.5;
  run.result.first_infected_day = Eigen::ArrayXd(2);
  run.result.first_infected_day << 3.0, std::nan("");
  run.scenario.model_spec = engine::ParseModelFile(engine::BundledModelText("seir"), "seir.yaml");
  run.result.patch_columns = {"S", "E", "I", "R"};
  run.result.patch_daily.assign(std::size_t(2) * 4 * 2, 0.0);  // days 0 and 1
  run.result.mean = Eigen::ArrayXXd::Zero(2, 5);               // S E I R incidence
  run.result.checkpoint_totals = Eigen::ArrayXXd::Zero(0, sim::kNumCheckpointCounters);
  run.beds = 10;
  const RunView attack = MakeRunView(run, MapMetric::kAttackRate, false);
  ASSERT_EQ(attack.values.size(), 2u);
  EXPECT_DOUBLE_EQ(attack.values[1][0], 25.0);
  EXPECT_DOUBLE_EQ(attack.values[1][1], 50.0);
  EXPECT_DOUBLE_EQ(attack.scale.max, 50.0);
  const RunView first = MakeRunView(run, MapMetric::kFirstInfectedDay, false);
  EXPECT_DOUBLE_EQ(first.values[0][0], 3.0);
  EXPECT_TRUE(std::isnan(first.values[0][1])) << "never reached";
  EXPECT_EQ(first.scale.At(first.values[0][1]), Ramp(0.0));
}

}  // namespace
}  // namespace cordon::render
