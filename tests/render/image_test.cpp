// SPDX-License-Identifier: Apache-2.0
// Pictures: PNGs decoded by GDAL's PNG driver pixel for pixel, charts, maps and frames drawn
// through Cairo and Pango checked by their pixels.
#include "cordon/render/image.hpp"

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <tuple>

#include "cordon/data/county_generator.hpp"
#include "cordon/data/vector_io.hpp"
#include "cordon/engine/dates.hpp"
#include "cordon/engine/display_run.hpp"
#include "cordon/render/chart.hpp"
#include "cordon/render/frame.hpp"
#include "cordon/render/frame_style.hpp"
#include "cordon/render/grid_chart.hpp"
#include "cordon/render/map_image.hpp"
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
  // Text is inked where it is anchored: left-aligned at x = 10, right-aligned ending at x = 190.
  Canvas canvas(200, 40, {255, 255, 255});
  const double w = canvas.Text(10, 5, "1234", 20, {0, 0, 0});
  canvas.Text(190, 5, "1234", 20, {0, 0, 0}, TextAlign::kRight);
  const Image img = canvas.ToImage();
  auto inked = [&](int x0, int x1) {
    int n = 0;
    for (int y = 0; y < img.height; ++y)
      for (int x = x0; x < x1; ++x) n += img.At(x, y).r < 128;
    return n;
  };
  EXPECT_GT(w, 20.0);
  EXPECT_LT(w, 80.0);
  EXPECT_GT(inked(10, 10 + int(w)), 20);
  EXPECT_GT(inked(190 - int(w), 190), 20);
  EXPECT_EQ(inked(0, 8), 0);
  EXPECT_EQ(inked(int(w) + 14, 186 - int(w)), 0);

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

// Four 1 km squares in a row, from x = 0 to 4 km.
std::vector<data::MultiPolygon> FourSquares() {
  std::vector<data::MultiPolygon> squares;
  for (int k = 0; k < 4; ++k)
    squares.push_back({data::Polygon{
        {{k * 1000.0, 0}, {k * 1000.0 + 1000, 0}, {k * 1000.0 + 1000, 1000}, {k * 1000.0, 1000}},
        {}}});
  return squares;
}

// The four squares fitted into pixels 20..420 x 20..120: square k spans 20 + 100 k .. 120 + 100 k.
Viewport StripView() {
  Viewport view;
  view.x0 = 20;
  view.y0 = 20;
  view.width = 400;
  view.height = 100;
  view.world.Add(data::Point2{0, 0});
  view.world.Add(data::Point2{4000, 1000});
  return view;
}

TEST(Map, EachVillageIsFilledWithItsColourOnTheScale) {
  // Four 1 km squares in a row with values 0, 1/3, 2/3 and 1 on a 0..1 scale.
  MapLayers layers;
  layers.villages = FourSquares();
  layers.checkpoints = {{2000.0, 500.0}};
  layers.checkpoint_colour = {Rgb{220, 30, 30}};
  layers.checkpoint_radius = {4};
  Canvas canvas(440, 140, Rgb{255, 255, 255});
  const Viewport view = StripView();
  const ColourScale scale{0.0, 1.0, false};
  DrawMap(canvas, view, layers, {0.0, 1.0 / 3, 2.0 / 3, 1.0}, scale);
  const Image img = canvas.ToImage();
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

// A hole under a pixel at the map's zoom is filled with the village's colour (the data's
// pinholes would be specks); a hole of many pixels shows what is behind it.
TEST(Map, PinholesAreFilledAndRealHolesKept) {
  MapLayers layers;
  layers.villages = FourSquares();
  // In square 0 (pixels 20..120, 1 px = 10 m): a 2 m hole at (250, 500) m, a fifth of a
  // pixel, and a 300 m one around (700, 500) m.
  layers.villages[0][0].holes = {{{249, 499}, {251, 499}, {251, 501}, {249, 501}},
                                 {{550, 350}, {850, 350}, {850, 650}, {550, 650}}};
  Canvas canvas(440, 140, Rgb{255, 255, 255});
  const ColourScale scale{0.0, 1.0, false};
  DrawMap(canvas, StripView(), layers, {0.0, 0.0, 0.0, 0.0}, scale);
  const Image img = canvas.ToImage();
  EXPECT_EQ(img.At(45, 70), scale.At(0.0)) << "the pinhole at (250, 500) m is filled";
  EXPECT_EQ(img.At(90, 70), (Rgb{255, 255, 255})) << "the 300 m hole shows the ground";
}

// Township names: written where the unit is wide enough on screen for them, larger units
// first, never one over another, and drawn as dark glyphs with a halo inside their box only.
TEST(Map, UnitNamesFitTheirUnitsAndNeverOverlap) {
  MapLayers layers;
  layers.villages = FourSquares();
  layers.labels = {{"升平镇", {1000, 500}, 2000},          // two villages wide: fits
                   {"Overlapping", {1100, 520}, 2000},     // over the first: left out
                   {"奔子栏镇 Narrow", {3500, 500}, 200},  // wider than its unit: left out
                   {"Outside", {9000, 500}, 2000}};        // out of view
  const Viewport view = StripView();
  Canvas measure(10, 10, Rgb{255, 255, 255});
  const auto width = [&](const std::string& t) {
    return measure.TextWidth(t, kMapStyle.label_size);
  };
  EXPECT_EQ(PlaceLabels(layers, view, width, kMapStyle.label_size), std::vector<int>{0});
  // Zoomed out tenfold, the first no longer fits its unit (20 px wide) either.
  Viewport far = view;
  far.world.Add(data::Point2{40000, 10000});
  EXPECT_LT(2000 * far.Scale(), width(layers.labels[0].text));
  EXPECT_TRUE(PlaceLabels(layers, far, width, kMapStyle.label_size).empty());

  const std::vector<double> values = {0.5, 0.5, 0.5, 0.5};
  const ColourScale scale{0.0, 1.0, false};
  Canvas with(440, 140, Rgb{255, 255, 255}), without(440, 140, Rgb{255, 255, 255});
  DrawMap(with, view, layers, values, scale);
  MapLayers plain = layers;
  plain.labels.clear();
  DrawMap(without, view, plain, values, scale);
  const Image a = with.ToImage(), b = without.ToImage();
  // The name is centred on (1000, 500) = pixel (120, 70).
  const double w = width(layers.labels[0].text);
  int inside = 0, dark = 0, outside = 0;
  for (int y = 0; y < 140; ++y)
    for (int x = 0; x < 440; ++x) {
      const bool differs = !(a.At(x, y) == b.At(x, y));
      const bool in_box =
          std::abs(x - 120) <= w / 2 + 2 && std::abs(y - 70) <= kMapStyle.label_size;
      if (!differs) continue;
      if (in_box) {
        ++inside;
        const Rgb c = a.At(x, y);
        if (c.r + c.g + c.b < 150) ++dark;
      } else {
        ++outside;
      }
    }
  EXPECT_GT(inside, 40) << "the name is drawn";
  EXPECT_GT(dark, 10) << "as dark glyphs";
  EXPECT_EQ(outside, 0) << "and nothing else changes";
}

// The words both backends put on a frame come from one place.
TEST(FrameStyle, TitleAndLegendWordsAreShared) {
  EXPECT_EQ(FrameTitle("德钦县", 10, "2020-01-24"), "德钦县   day 10   2020-02-03");
  EXPECT_EQ(FrameTitle("demo", 3, ""), "demo   day 3");
  const LegendText log = LegendTextOf(ColourScale{0.01, 2.6666, true});
  EXPECT_EQ(log.low, "0.01");
  EXPECT_EQ(log.high, "2.67");
  EXPECT_EQ(log.note, "log");
  EXPECT_EQ(LegendTextOf(ColourScale{0.0, 0.5, false}).note, "");
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
  run.scenario.model_spec =
      scenario::ParseModelFile(scenario::BundledModelText("seir"), "seir.yaml");
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
  EXPECT_LT(first.values[0][1], 0.0) << "never reached: below every day";
  EXPECT_EQ(first.scale.At(first.values[0][1]), Ramp(0.0));
  // Nobody lives in village b: no data (NaN) for every metric, drawn in the no-data grey.
  run.network.population[1] = 0.0;
  for (MapMetric m : {MapMetric::kPrevalence, MapMetric::kCumulative, MapMetric::kAttackRate,
                      MapMetric::kFirstInfectedDay}) {
    const RunView v = MakeRunView(run, m, false);
    EXPECT_TRUE(std::isnan(v.values[1][1])) << int(m);
    EXPECT_EQ(v.scale.At(v.values[1][1]), kMapStyle.no_data) << int(m);
  }
}

// A two-key grid: each cell takes the ramp's colour of its value, the lowest the dark end,
// the highest the bright end; a missing value is grey; a wrong count of values throws.
TEST(GridChart, CellsTakeTheColoursOfTheirValues) {
  GridChart g;
  g.rows = {"0", "1"};
  g.columns = {"a", "b", "c"};
  g.values = {1.0, 2.0, 3.0, 4.0, 5.0, std::nan("")};
  g.width = 600;
  g.height = 400;
  const Image im = PlotGrid(g);
  ASSERT_EQ(im.width, 600);
  auto pixels = [&](Rgb c) {
    long n = 0;
    for (int y = 0; y < im.height; ++y)
      for (int x = 0; x < im.width; ++x) n += im.At(x, y) == c;
    return n;
  };
  // A cell is about 180 x 110 pixels here; the legend's bar holds a colour a few pixels wide.
  EXPECT_GT(pixels(Ramp(0.0)), 5000) << "the lowest value: the ramp's dark end";
  EXPECT_GT(pixels(Ramp(1.0)), 5000) << "the highest value: the bright end";
  EXPECT_GT(pixels(ColourScale{1.0, 5.0, false, false}.At(3.0)), 5000) << "the middle value";
  EXPECT_GT(pixels(Rgb{235, 235, 235}), 5000) << "no value: grey";
  g.values.pop_back();
  EXPECT_THROW(PlotGrid(g), std::invalid_argument);
}

// A run with contact tracing charts its contacts traced and quarantined beside isolation;
// one without the columns (a run that does not trace) charts neither.
TEST(RunView, TracingCurvesJoinTheIsolationChart) {
  engine::DisplayRun run;
  run.geography.emplace();
  run.geography->region.shapes = {{data::Polygon{{{0, 0}, {1, 0}, {1, 1}}, {}}}};
  run.geography->region.admin = {{"a"}};
  run.network.ids = {"a"};
  run.network.population = Eigen::ArrayXd::Constant(1, 100.0);
  run.result.attack_rate = Eigen::ArrayXd::Zero(1);
  run.result.first_infected_day = Eigen::ArrayXd::Zero(1);
  run.scenario.model_spec =
      scenario::ParseModelFile(scenario::BundledModelText("cordon"), "cordon.yaml");
  const sim::ModelSpec& spec = run.scenario.model_spec;
  for (const auto& c : spec.compartments) run.result.columns.push_back(c.name);
  for (const char* f : {"incidence", "detections", "imports", "turned_back", "traced",
                        "quarantined", "traced_infected"})
    run.result.columns.push_back(f);
  run.result.mean = Eigen::ArrayXXd::Zero(2, Eigen::Index(run.result.columns.size()));
  run.result.mean(1, spec.CompartmentIndex("Sh")) = 7.0;
  run.result.mean(1, Eigen::Index(spec.compartments.size()) + 4) = 12.0;  // traced
  run.result.mean(1, Eigen::Index(spec.compartments.size()) + 5) = 9.0;   // quarantined
  run.result.checkpoint_totals = Eigen::ArrayXXd::Zero(0, sim::kNumCheckpointCounters);
  const RunView v = MakeRunView(run, MapMetric::kPrevalence, false);
  std::vector<std::string> labels;
  for (const Curve& c : v.isolation) labels.push_back(c.label);
  EXPECT_EQ(labels,
            (std::vector<std::string>{"in isolation", "traced per day", "quarantined per day"}));
  EXPECT_EQ(v.isolation[1].y, (std::vector<double>{0.0, 12.0}));
  EXPECT_NE(v.isolation[1].colour, v.isolation[0].colour);
  run.result.columns.resize(spec.compartments.size() + 4);
  run.result.mean.conservativeResize(2, Eigen::Index(run.result.columns.size()));
  EXPECT_EQ(MakeRunView(run, MapMetric::kPrevalence, false).isolation.size(), 1u);
}

// The no-data class is never a colour of a scale: not viridis, not the difference map's.
TEST(Map, NoDataVillagesAreGreyNotTheScalesLowest) {
  MapLayers layers;
  layers.villages = FourSquares();
  Canvas canvas(440, 140, Rgb{255, 255, 255});
  const ColourScale scale{0.0, 1.0, false};
  DrawMap(canvas, StripView(), layers, {0.0, std::nan(""), 1.0, std::nan("")}, scale);
  const Image img = canvas.ToImage();
  EXPECT_EQ(img.At(45, 45), Ramp(0.0));
  EXPECT_EQ(img.At(145, 45), kMapStyle.no_data);
  EXPECT_EQ(img.At(345, 45), kMapStyle.no_data);
  for (int k = 0; k <= 100; ++k) {
    EXPECT_NE(Ramp(k / 100.0), kMapStyle.no_data) << k;
    EXPECT_NE(DivergingRamp(k / 100.0), kMapStyle.no_data) << k;
  }
}

}  // namespace
}  // namespace cordon::render

namespace cordon::render {
namespace {

// A frame of the generated 200-village county: villages at values 0 or 1 on a fixed 0..1
// scale, a rising curve, a title.
RunView CountyView(const std::string& title, double value) {
  data::CountyOptions o;
  o.villages = 200;
  RunView v;
  v.title = title;
  v.start_date = "2020-01-15";
  for (const auto& village : data::GenerateCounty(o).villages) {
    v.layers.villages.push_back(village.shape);
    v.world.Add(data::Bounds(village.shape));
  }
  v.values.assign(3, std::vector<double>(v.layers.villages.size(), value));
  v.scale = ColourScale{0.0, 1.0, false};
  v.legend = "infected per 1,000";
  v.curves = {{"infected", {0, 5, 20}, PaletteColour(1)}};
  v.days = 2;
  return v;
}

// The box of the pixels where two images differ (empty when none do), within rows [y0, y1).
data::Box Differences(const Image& a, const Image& b, int y0 = 0, int y1 = 1 << 30) {
  data::Box box;
  for (int y = std::max(0, y0); y < std::min(a.height, y1); ++y)
    for (int x = 0; x < a.width; ++x)
      if (!(a.At(x, y) == b.At(x, y))) box.Add(data::Point2{double(x), double(y)});
  return box;
}

TEST(Frame, AChineseTitleIsDrawnAsGlyphs) {
  FrameOptions o;
  o.width = 1400;
  o.height = 860;
  const Image chinese = DrawFrame(CountyView("示范县 四级卡点", 1.0), 1, o);
  const Image marks = DrawFrame(CountyView("??? ????", 1.0), 1, o);
  const FrameLayout l = LayoutFrame(o.width, o.height, 1, o);
  // The title strip differs; the rest of the frame does not.
  const data::Box title = Differences(chinese, marks, 0, int(l.header));
  ASSERT_FALSE(title.Empty());
  EXPECT_TRUE(Differences(chinese, marks, int(l.header)).Empty());
  // Glyphs: each Chinese character takes about one em, as the font's full-width glyphs do.
  Canvas canvas(10, 10, Rgb{255, 255, 255});
  const double em = canvas.TextWidth("示范县", 20.0) / 3.0;
  EXPECT_GT(em, 17.0);
  EXPECT_LT(em, 23.0);
}

TEST(Frame, EdgesAreAntialiased) {
  // A red triangle with a diagonal edge: pixels along it mix red with the white background.
  Canvas canvas(100, 100, Rgb{255, 255, 255});
  canvas.FillRings({{{10, 10}, {90, 90}, {10, 90}}}, Rgb{255, 0, 0});
  const Image img = canvas.ToImage();
  int mixed = 0;
  for (int y = 15; y < 85; ++y)
    for (int x = 15; x < 85; ++x) {
      const Rgb c = img.At(x, y);
      mixed += c.r == 255 && c.g > 0 && c.g < 255 && c.g == c.b;
    }
  EXPECT_GT(mixed, 50) << "intermediate colours along the diagonal";
  EXPECT_EQ(img.At(20, 70), (Rgb{255, 0, 0}));
  EXPECT_EQ(img.At(70, 20), (Rgb{255, 255, 255}));
  // The map's village borders too: more than two colours along a diagonal border.
  MapLayers layers;
  layers.villages.push_back({data::Polygon{{{0, 0}, {1000, 0}, {0, 1000}}, {}}});
  Canvas map(120, 120, Rgb{255, 255, 255});
  Viewport view{10, 10, 100, 100, {}};
  view.world.Add(data::Point2{0, 0});
  view.world.Add(data::Point2{1000, 1000});
  DrawMap(map, view, layers, {0.0}, ColourScale{0.0, 1.0, false});
  const Image drawn = map.ToImage();
  std::set<std::tuple<int, int, int>> colours;
  for (int d = -3; d <= 3; ++d) {
    const Rgb c = drawn.At(60 + d, 60);
    colours.insert({c.r, c.g, c.b});
  }
  EXPECT_GT(colours.size(), 3u);
}

TEST(Frame, TheLegendNeverCoversTheRegionAndThePngIsSmall) {
  FrameOptions o;
  o.width = 1400;
  o.height = 860;
  const Image low = DrawFrame(CountyView("county", 0.0), 1, o);
  const Image high = DrawFrame(CountyView("county", 1.0), 1, o);
  const FrameLayout l = LayoutFrame(o.width, o.height, 1, o);
  // The region's pixels: where the villages' colour changes with their value.
  const data::Box region = Differences(low, high);
  ASSERT_FALSE(region.Empty());
  EXPECT_FALSE(region.Intersects(l.legend)) << "legend box below the region's bounding box";
  EXPECT_LT(region.max_y, l.legend.min_y);
  // Something is drawn in the legend box (the ramp, its labels, the scale bar).
  int inked = 0;
  for (int y = int(l.legend.min_y); y < int(l.legend.max_y); ++y)
    for (int x = int(l.legend.min_x); x < int(l.legend.max_x); ++x)
      inked += !(low.At(x, y) == Rgb{255, 255, 255});
  EXPECT_GT(inked, 500);
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("cordon_frame_test_" + std::to_string(::getpid()) + ".png"))
                               .string();
  WritePng(high, path);
  EXPECT_LT(std::filesystem::file_size(path), 500u * 1024u);
  EXPECT_EQ(Decode(path).rgb, high.rgb);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace cordon::render

namespace cordon::render {
namespace {

TEST(Map, DenseLayersLeaveTheVillagesVisible) {
  // 3,000 villages, a checkpoint marker in each and a road between neighbours, on 400 x 300
  // pixels: a village spans ~5 px, so lines and markers at full size would bury the colours.
  data::CountyOptions o;
  o.villages = 3000;
  o.group_grid = 1;
  MapLayers layers;
  data::Box world;
  for (const auto& v : data::GenerateCounty(o).villages) {
    layers.villages.push_back(v.shape);
    world.Add(data::Bounds(v.shape));
    layers.checkpoints.push_back(data::Centroid(v.shape));
    layers.checkpoint_radius.push_back(4);
  }
  for (std::size_t k = 1; k < layers.checkpoints.size(); ++k)
    layers.roads.push_back({layers.checkpoints[k - 1], layers.checkpoints[k]});
  Viewport view{0, 0, 400, 300, world};
  std::vector<double> values(layers.villages.size());
  for (std::size_t k = 0; k < values.size(); ++k) values[k] = double(k % 7) / 6.0;
  const ColourScale scale{0.0, 1.0, false};
  auto draw = [&](const MapDetail* detail) {
    Canvas canvas(400, 300, Rgb{255, 255, 255});
    if (detail)
      DrawMap(canvas, view, layers, values, scale, *detail);
    else
      DrawMap(canvas, view, layers, values, scale);
    return canvas.ToImage();
  };
  MapDetail bare;
  bare.inner_borders = bare.roads = false;
  bare.marker_scale = 0.0;
  const MapDetail full;  // everything at full size
  const Image fills = draw(&bare), shown = draw(nullptr), everything = draw(&full);
  int region = 0, changed = 0, buried = 0;
  for (int y = 0; y < 300; ++y)
    for (int x = 0; x < 400; ++x) {
      if (fills.At(x, y) == Rgb{255, 255, 255}) continue;
      ++region;
      changed += !(shown.At(x, y) == fills.At(x, y));
      buried += !(everything.At(x, y) == fills.At(x, y));
    }
  ASSERT_GT(region, 20000);
  EXPECT_LT(changed, region / 5) << "markers and lines change under 20% of the region";
  EXPECT_GT(buried, region / 2) << "at full size they would cover most of it";
}

}  // namespace
}  // namespace cordon::render

namespace cordon::render {
namespace {

TEST(Map, VietnamsCommunesStayVisibleAtFullExtent) {
  // 11,163 communes with their district outlines and a marker on every commune, at the size of
  // a frame's map: lines and markers change under 20% of the region's pixels.
  const std::filesystem::path file =
      std::filesystem::path(CORDON_SHARED_DIR) / "data/real/vietnam/vn_communes_census2009.geojson";
  if (!std::filesystem::exists(file)) GTEST_SKIP() << file << " is absent";
  const data::VectorLayer vn = data::ReadVectorLayer(file.string(), "");
  const int district = vn.FieldIndex("district_id");
  ASSERT_GE(district, 0);
  MapLayers layers;
  data::Box world;
  for (const auto& f : vn.features) {
    layers.villages.push_back(f.polygons);
    layers.outline_group.push_back(std::stoi(f.values[std::size_t(district)]));
    layers.checkpoints.push_back(data::Centroid(f.polygons));
    layers.checkpoint_radius.push_back(3);
    world.Add(data::Bounds(f.polygons));
  }
  const Viewport view{0, 0, 700, 760, world};
  std::vector<double> values(layers.villages.size());
  for (std::size_t k = 0; k < values.size(); ++k) values[k] = double(k % 11) / 10.0;
  const ColourScale scale{0.0, 1.0, false};
  MapDetail bare;
  bare.inner_borders = bare.outlines = bare.roads = false;
  bare.marker_scale = 0.0;
  Canvas a(700, 760, Rgb{255, 255, 255}), b(700, 760, Rgb{255, 255, 255});
  DrawMap(a, view, layers, values, scale, bare);
  DrawMap(b, view, layers, values, scale);
  const Image fills = a.ToImage(), shown = b.ToImage();
  int region = 0, changed = 0;
  for (int y = 0; y < fills.height; ++y)
    for (int x = 0; x < fills.width; ++x) {
      if (fills.At(x, y) == Rgb{255, 255, 255}) continue;
      ++region;
      changed += !(shown.At(x, y) == fills.At(x, y));
    }
  ASSERT_GT(region, 50000);
  EXPECT_LT(changed, region / 5) << changed << " of " << region;
}

}  // namespace
}  // namespace cordon::render
