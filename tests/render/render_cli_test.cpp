// SPDX-License-Identifier: Apache-2.0
// `cordon render` without a window: an MP4 that ffprobe reports with one
// frame per day at the asked size, a GIF, a PNG that opens in GDAL, SVG and
// PDF figures, and two scenarios side by side on one colour scale.
#include <gdal_priv.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "cli_support.hpp"
#include "cordon/engine/display_run.hpp"
#include "cordon/render/frame.hpp"
#include "cordon/render/frame_style.hpp"

namespace {

namespace fs = std::filesystem;
using cordon::test::Pixels;
using cordon::test::ReadPng;
using cordon::test::Result;
using cordon::test::RunCordon;

class RenderCli : public cordon::test::CliFixture {
 protected:
  RenderCli() : CliFixture("cordon_render_") {}
  void SetUp() override {
    CliFixture::SetUp();
    ASSERT_EQ(Cordon("generate --villages 50 -q --out " + Path("demo-county.gpkg")).code, 0);
    fs::copy(fs::path(SAMPLES_DIR) / "demo.yaml", dir_ / "demo.yaml");
  }
  // ffprobe's "frames,width,height" of the first video stream.
  std::string Probe(const std::string& file) {
    const Result r = RunCordon(
        "ffprobe -v error -count_frames -select_streams v:0 -show_entries "
        "stream=nb_read_frames,width,height -of csv=p=0 " +
            Path(file),
        dir_, /*raw=*/true);
    return r.out;
  }
};

TEST_F(RenderCli, Mp4HasOneFramePerDayAtTheAskedSize) {
  const Result r = Cordon("render " + Path("demo.yaml") +
                          " --set simulation.days=30 --width 640 --height 360 --out " +
                          Path("spread.mp4") + " -q");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(Probe("spread.mp4"), "640,360,31\n");
  for (const auto& e : fs::directory_iterator(dir_))
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos)
        << "no temporary file left";
}

TEST_F(RenderCli, GifAndPng) {
  ASSERT_EQ(Cordon("render " + Path("demo.yaml") +
                   " --set simulation.days=10 --width 320 --height 240 --fps 5 --out " +
                   Path("spread.gif") + " -q")
                .code,
            0);
  EXPECT_EQ(Probe("spread.gif"), "320,240,11\n");
  ASSERT_EQ(Cordon("render " + Path("demo.yaml") + " --set simulation.days=10 --day 5 --out " +
                   Path("day5.png") + " -q")
                .code,
            0);
  GDALAllRegister();
  GDALDatasetUniquePtr png(GDALDataset::Open(Path("day5.png").c_str(), GDAL_OF_RASTER));
  ASSERT_NE(png, nullptr);
  EXPECT_EQ(png->GetRasterXSize(), 1280);
  EXPECT_EQ(png->GetRasterYSize(), 720);
}

TEST_F(RenderCli, SvgAndPdfFiguresForReports) {
  for (const char* name : {"figure.svg", "figure.pdf"}) {
    ASSERT_EQ(Cordon("render " + Path("demo.yaml") + " --set simulation.days=10 --day 5 --out " +
                     Path(name) + " -q")
                  .code,
              0);
    std::ifstream in(Path(name), std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (std::string(name).find(".pdf") != std::string::npos) {
      EXPECT_EQ(text.rfind("%PDF-", 0), 0u) << name;
    } else {
      EXPECT_NE(text.find("<svg"), std::string::npos);
      EXPECT_NE(text.find("width=\"1280"), std::string::npos);
    }
    EXPECT_GT(text.size(), 10000u) << name;
  }
  for (const auto& e : fs::directory_iterator(dir_))
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos)
        << "no temporary file left";
}

TEST_F(RenderCli, TwoScenariosSideBySideShareOneScaleAndDay) {
  // The same scenario twice (a copy: one file twice is refused, below): the two map halves
  // are the same pixels (one scale, one day).
  fs::copy(dir_ / "demo.yaml", dir_ / "demo-copy.yaml");
  ASSERT_EQ(
      Cordon("render " + Path("demo.yaml") + " " + Path("demo-copy.yaml") +
             " --labels A,A --set simulation.days=20 --day 12 --out " + Path("same.png") + " -q")
          .code,
      0);
  const Pixels png = ReadPng(Path("same.png"));
  ASSERT_FALSE(png.rgb.empty());
  const int w = png.width, h = png.height;
  const std::vector<std::uint8_t>& rgb = png.rgb;
  const auto layout = cordon::render::LayoutFrame(w, h, 2, {});
  ASSERT_EQ(layout.maps.size(), 2u);
  const auto& a = layout.maps[0];
  const int shift = layout.maps[1].x0 - a.x0;
  int differ = 0, coloured = 0;
  for (int y = a.y0; y < a.y0 + a.height; ++y)
    for (int x = a.x0; x < a.x0 + a.width; ++x)
      for (int c = 0; c < 3; ++c) {
        const std::size_t left = (std::size_t(y) * w + x) * 3 + c;
        differ += rgb[left] != rgb[left + std::size_t(shift) * 3];
        coloured += c == 1 && rgb[left] < 200;
      }
  EXPECT_EQ(differ, 0);
  EXPECT_GT(coloured, 5000) << "a map was drawn";
  // A faster epidemic beside it: one frame per day of the longer run.
  std::ifstream in(Path("demo.yaml"));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  text.replace(text.find("r0: 2.38"), 8, "r0: 4.00");
  Write("fast.yaml", text);
  const Result r =
      Cordon("render " + Path("demo.yaml") + " " + Path("fast.yaml") +
             " --set simulation.days=10 --width 640 --height 360 --out " + Path("cmp.mp4") + " -q");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(Probe("cmp.mp4"), "640,360,11\n");
  ExpectInputError("render " + Path("demo.yaml") + " " + Path("fast.yaml") +
                       " --labels one --out " + Path("x.png"),
                   {"--labels", "1 labels for 2 scenario(s)"});
}

// The bundled demo tells a story on the map: by day 20 the villages differ (coefficient of
// variation >= 0.5), and side by side with and without its checkpoints (--set-b) the halves
// differ in >= 20% of the region's pixels; one --set for one file twice is refused.
TEST_F(RenderCli, TheDemoMapsDifferByVillageAndByCheckpoints) {
  cordon::engine::RunConfig config;
  config.scenario = Path("demo.yaml");
  const auto view = cordon::render::MakeRunView(cordon::engine::RunForDisplay(config),
                                                cordon::render::MapMetric::kPrevalence);
  ASSERT_GT(view.days, 20);
  double sum = 0, squares = 0, n = 0;
  for (double v : view.values[20])
    if (std::isfinite(v)) sum += v, squares += v * v, n += 1;
  const double mean = sum / n, sd = std::sqrt(squares / n - mean * mean);
  EXPECT_GE(sd / mean, 0.5) << "mean " << mean << " per 1,000";

  ExpectInputError("render " + Path("demo.yaml") + " " + Path("demo.yaml") +
                       " --set checkpoints=[] --labels with,without --out " + Path("x.png"),
                   {"demo.yaml", "same scenario with the same overrides", "--set-b"});
  ExpectInputError("render " + Path("demo.yaml") + " --set-b checkpoints=[] --out " + Path("x.png"),
                   {"--set-b", "no second scenario"});
  const Result r = Cordon("render " + Path("demo.yaml") + " " + Path("demo.yaml") +
                          " --set-b checkpoints=[] --labels with,without --day 20 --out " +
                          Path("pair.png") + " -q");
  ASSERT_EQ(r.code, 0) << r.err;
  const Pixels png = ReadPng(Path("pair.png"));
  ASSERT_FALSE(png.rgb.empty());
  const auto layout = cordon::render::LayoutFrame(png.width, png.height, 2, {});
  const auto& a = layout.maps[0];
  const int shift = layout.maps[1].x0 - a.x0;
  auto background = [](const std::uint8_t* p) { return p[0] > 250 && p[1] > 250 && p[2] > 250; };
  int region = 0, differ = 0;
  for (int y = a.y0; y < a.y0 + a.height; ++y)
    for (int x = a.x0; x < a.x0 + a.width; ++x) {
      const std::uint8_t *left = png.At(x, y), *right = png.At(x + shift, y);
      if (background(left) && background(right)) continue;
      ++region;
      differ += !std::equal(left, left + 3, right);
    }
  ASSERT_GT(region, 5000);
  EXPECT_GE(differ, region / 5) << differ << " of " << region << " region pixels differ";
}

// A finished run's folder draws as its scenario did: the same title and dates, roads and
// township names (results.gpkg keeps them), pixel for pixel.
TEST_F(RenderCli, AFolderDrawsAsItsScenario) {
  const std::string days = " --set simulation.days=20";
  ASSERT_EQ(Cordon("run " + Path("demo.yaml") + days + " --out " + Path("out") + " -q").code, 0);
  ASSERT_EQ(Cordon("render " + Path("out") + " --day 12 --out " + Path("folder.png") + " -q").code,
            0);
  ASSERT_EQ(Cordon("render " + Path("demo.yaml") + days + " --day 12 --out " +
                   Path("scenario.png") + " -q")
                .code,
            0);
  const Pixels a = ReadPng(Path("folder.png")), b = ReadPng(Path("scenario.png"));
  ASSERT_FALSE(a.rgb.empty());
  ASSERT_EQ(a.rgb.size(), b.rgb.size());
  std::size_t differ = 0;
  for (std::size_t k = 0; k < a.rgb.size(); ++k) differ += a.rgb[k] != b.rgb[k];
  EXPECT_EQ(differ, 0u);
}

// Vietnam's communes without population (new Hanoi wards, a Central Highlands patch) are
// drawn in the no-data grey, never in a colour of the scale: checked at each one's anchor.
TEST_F(RenderCli, VietnamsEmptyCommunesAreNoData) {
  const fs::path sample = fs::path(SAMPLES_DIR) / "vietnam.yaml";
  if (!fs::exists(fs::path(CORDON_SHARED_DIR) / "data/real/vietnam/vn_communes_census2009.geojson"))
    GTEST_SKIP() << "../shared/data/real/vietnam is absent";
  const std::string days = " --set simulation.days=5";
  const Result r = Cordon("render " + sample.string() + days +
                          " --day 5 --width 2560 --height 1440 --out " + Path("vn.png") + " -q");
  ASSERT_EQ(r.code, 0) << r.err;
  cordon::engine::RunConfig config;
  config.scenario = sample.string();
  config.overrides = {"simulation.days=5"};
  const cordon::engine::DisplayRun run = cordon::engine::RunForDisplay(config);
  const auto view = cordon::render::MakeRunView(run, cordon::render::MapMetric::kPrevalence);
  const Pixels png = ReadPng(Path("vn.png"));
  ASSERT_FALSE(png.rgb.empty());
  auto vp = cordon::render::LayoutFrame(png.width, png.height, 1, {}).maps[0];
  vp.world = view.world;
  const cordon::render::Rgb grey = cordon::render::kMapStyle.no_data;
  const cordon::render::Rgb lowest = view.scale.At(view.scale.min);
  // Communes of 16 pixels or more at 2560 x 1440 (Hanoi's new wards stay below a pixel): the
  // no-data grey within a pixel of the anchor; none in the scale's lowest colour.
  const auto& region = run.geography->region;
  int empty = 0, seen = 0, grey_at = 0, lowest_at = 0;
  for (int i = 0; i < run.network.Patches(); ++i) {
    if (run.network.population[i] > 0) continue;
    ++empty;
    const auto [x, y] = vp.ToPixel(region.anchors[std::size_t(i)]);
    auto near = [&](int px, int py, cordon::render::Rgb c) {
      const std::uint8_t* p = png.At(px, py);
      return std::abs(p[0] - c.r) <= 3 && std::abs(p[1] - c.g) <= 3 && std::abs(p[2] - c.b) <= 3;
    };
    lowest_at += near(int(x), int(y), lowest);
    if (region.area_km2[std::size_t(i)] * 1e6 * vp.Scale() * vp.Scale() < 16.0) continue;
    ++seen;
    bool grey_near = false;
    for (int dy = -1; dy <= 1; ++dy)
      for (int dx = -1; dx <= 1; ++dx)
        grey_near = grey_near || near(int(x) + dx, int(y) + dy, grey);
    grey_at += grey_near;
  }
  EXPECT_GE(empty, 50) << "the sample's communes of population 0";
  EXPECT_GE(seen, 10);
  EXPECT_EQ(grey_at, seen);
  EXPECT_EQ(lowest_at, 0);
}

TEST_F(RenderCli, BadOutputsAreInputErrors) {
  ExpectInputError("render " + Path("demo.yaml") + " --out " + Path("spread.avi"),
                   {"--out", "spread.avi: expected a .mp4, .gif, .png, .svg or .pdf file"});
  ExpectInputError("render " + Path("demo.yaml") + " --width 641 --out " + Path("a.mp4"),
                   {"--width and --height must be even"});
  // A folder that does not exist: exit 2 naming it, for every kind (it was exit 141 for MP4
  // after the whole simulation, "internal error" for PNG and PDF).
  for (const char* file : {"nowhere/a.mp4", "nowhere/a.png", "nowhere/a.pdf"})
    ExpectInputError("render " + Path("demo.yaml") + " --out " + Path(file),
                     {"--out", "the folder", "nowhere", "does not exist"});
  // A day outside the run is an error, not another day drawn silently.
  ExpectInputError("render " + Path("demo.yaml") + " --day 500 --out " + Path("late.png"),
                   {"--day 500: the run has days 0.."});
  const Result negative =
      Cordon("render " + Path("demo.yaml") + " --day -5 --out " + Path("early.png"));
  EXPECT_EQ(negative.code, 2) << negative.err;
  EXPECT_NE(negative.err.find("--day"), std::string::npos) << negative.err;
  EXPECT_FALSE(fs::exists(dir_ / "early.png"));
}

}  // namespace
