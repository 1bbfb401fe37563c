// SPDX-License-Identifier: Apache-2.0
// cordon's own PNG encoder, decoded by GDAL's PNG driver (libpng) pixel for pixel.
#include "cordon/render/image.hpp"

#include <gdal_priv.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "cordon/render/chart.hpp"

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
  const std::string path =
      (std::filesystem::temp_directory_path() / "cordon_png_test.png").string();
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
