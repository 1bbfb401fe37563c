// SPDX-License-Identifier: Apache-2.0
// cordon-viewer under Xvfb with Mesa's software OpenGL: the 4-village
// fixture is drawn, and the screenshot's pixels are checked against the
// colour map (inside each village), the legend and a checkpoint marker.
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include "../support/cli_support.hpp"
#include "cordon/render/colour_scale.hpp"
#include "four_villages.hpp"

namespace {

namespace fs = std::filesystem;
using cordon::render::Rgb;

class Viewer : public cordon::test::CliFixture {
 protected:
  // Runs cordon-viewer ARGS under xvfb-run. The viewer's own exit code is kept
  // in a file, since xvfb-run's may reflect its clean-up instead. Each test process looks for
  // a free display from a number of its own (its pid), so tests run side by side without
  // racing for one. Under ASan without its leak check: Mesa's driver, unloaded at exit,
  // leaves allocations no stack can name.
  cordon::test::Result RunViewer(const std::string& args,
                                 const std::string& screen = "1280x800x24") {
    const std::string code_file = Path("viewer-exit-code");
    cordon::test::Result r = cordon::test::RunCordon(
        "ASAN_OPTIONS=detect_leaks=0 xvfb-run -a -n " + std::to_string(100 + ::getpid() % 20000) +
            " -s '-screen 0 " + screen + "' sh -c '\"$0\" \"$@\"; echo $? > " + code_file + "' " +
            std::string(CORDON_VIEWER_BIN) + " " + args,
        dir_, /*raw=*/true);
    std::ifstream in(code_file);
    if (!(in >> r.code)) r.code = -1;
    return r;
  }

  Viewer() : CliFixture("cordon_viewer_") {}
  void SetUp() override {
    if (std::system("command -v xvfb-run > /dev/null") != 0)
      GTEST_SKIP() << "xvfb-run is not installed";
    CliFixture::SetUp();
    // Four 2 km villages (A B below, C D above), a road through A and B with a checkpoint.
    cordon::test::WriteFourVillages(Path("fixture.gpkg"));
    Write(
        "fixture.yaml",
        "name: fixture\n"
        "region:\n"
        "  villages: {path: fixture.gpkg, layer: villages, id: code, name: name, population: pop}\n"
        "  roads: {path: fixture.gpkg, layer: roads}\n"
        "mobility: {model: gravity, trips_per_person: 0.3}\n"
        "checkpoints: [{path: fixture.gpkg, layer: checkpoints, block: 0.5}]\n"
        "seed_infections: [{village: A, infectious: 20}]\n"
        "simulation: {days: 60}\n");
  }
};

Rgb Pixel(const std::vector<std::uint8_t>& rgb, int w, double x, double y) {
  const std::size_t i = (std::size_t(std::lround(y)) * w + std::size_t(std::lround(x))) * 3;
  return {rgb[i], rgb[i + 1], rgb[i + 2]};
}

void ExpectNear(Rgb a, Rgb b, int tolerance, const std::string& what) {
  EXPECT_LE(std::abs(a.r - b.r), tolerance) << what;
  EXPECT_LE(std::abs(a.g - b.g), tolerance) << what;
  EXPECT_LE(std::abs(a.b - b.b), tolerance) << what;
}

TEST_F(Viewer, ScreenshotPixelsFollowTheColourMap) {
  const cordon::test::Result r = RunViewer(
      Path("fixture.yaml") + " --day 20 --size 1000x700 --screenshot " + Path("shot.png"));
  ASSERT_EQ(r.code, 0) << r.err << r.out;
  GDALAllRegister();
  GDALDatasetUniquePtr png(GDALDataset::Open(Path("shot.png").c_str(), GDAL_OF_RASTER));
  ASSERT_NE(png, nullptr);
  const int w = png->GetRasterXSize(), h = png->GetRasterYSize();
  ASSERT_EQ(w, 1000);
  ASSERT_EQ(h, 700);
  std::vector<std::uint8_t> rgb(std::size_t(w) * h * 3);
  ASSERT_EQ(png->RasterIO(GF_Read, 0, 0, w, h, rgb.data(), w, h, GDT_Byte, 3, nullptr, 3, 3 * w, 1,
                          nullptr),
            CE_None);

  const YAML::Node view = YAML::LoadFile(Path("shot.png.json"));
  const cordon::render::ColourScale scale{view["scale"][0].as<double>(),
                                          view["scale"][1].as<double>(),
                                          view["scale"][2].as<int>() == 1};
  ASSERT_EQ(view["villages"].size(), 4u);
  std::set<std::string> colours;
  for (const auto& v : view["villages"]) {
    const Rgb expected = scale.At(v["value"].as<double>());
    const Rgb got = Pixel(rgb, w, v["x"].as<double>(), v["y"].as<double>());
    ExpectNear(got, expected, 3, "village " + v["id"].as<std::string>());
    colours.insert(std::to_string(got.r) + "," + std::to_string(got.g) + "," +
                   std::to_string(got.b));
  }
  EXPECT_GE(colours.size(), 2u) << "villages differ on day 20";
  // The legend bar runs the ramp from left to right.
  const double lx = view["legend"][0].as<double>(), ly = view["legend"][1].as<double>() + 7;
  const double lw = view["legend"][2].as<double>();
  ExpectNear(Pixel(rgb, w, lx + 1, ly), cordon::render::Ramp(0.0), 8, "legend start");
  ExpectNear(Pixel(rgb, w, lx + lw - 2, ly), cordon::render::Ramp(1.0), 8, "legend end");
  // The checkpoint marker, in its level's colour.
  const auto marker = view["checkpoints"][0];
  ExpectNear(Pixel(rgb, w, marker["x"].as<double>(), marker["y"].as<double>()),
             Rgb{static_cast<std::uint8_t>(marker["rgb"][0].as<int>()),
                 static_cast<std::uint8_t>(marker["rgb"][1].as<int>()),
                 static_cast<std::uint8_t>(marker["rgb"][2].as<int>())},
             3, "checkpoint marker");
}

// Presenter mode gives the map >= 60% of the window (the curves in a column beside it, the
// legend on the map's corner), and draws the villages and the legend there.
TEST_F(Viewer, PresenterModeGivesTheMapMostOfTheWindow) {
  const cordon::test::Result r =
      RunViewer(Path("fixture.yaml") + " --day 20 --size 1600x900 --presenter --screenshot " +
                Path("presenter.png"));
  ASSERT_EQ(r.code, 0) << r.err << r.out;
  const YAML::Node view = YAML::LoadFile(Path("presenter.png.json"));
  const double area = view["map"][2].as<double>() * view["map"][3].as<double>();
  EXPECT_GE(area / (1600.0 * 900.0), 0.6);
  const cordon::test::Pixels png = cordon::test::ReadPng(Path("presenter.png"));
  ASSERT_FALSE(png.rgb.empty());
  const int w = png.width;
  const std::vector<std::uint8_t>& rgb = png.rgb;
  const cordon::render::ColourScale scale{view["scale"][0].as<double>(),
                                          view["scale"][1].as<double>(),
                                          view["scale"][2].as<int>() == 1};
  for (const auto& v : view["villages"])
    ExpectNear(Pixel(rgb, w, v["x"].as<double>(), v["y"].as<double>()),
               scale.At(v["value"].as<double>()), 3, "village " + v["id"].as<std::string>());
  const double lx = view["legend"][0].as<double>(), ly = view["legend"][1].as<double>() + 7;
  const double lw = view["legend"][2].as<double>();
  EXPECT_LT(ly, view["map"][1].as<double>() + view["map"][3].as<double>()) << "on the map";
  ExpectNear(Pixel(rgb, w, lx + 1, ly), cordon::render::Ramp(0.0), 8, "legend start");
  ExpectNear(Pixel(rgb, w, lx + lw - 2, ly), cordon::render::Ramp(1.0), 8, "legend end");
}

// Export PNG draws the day as `cordon render` does (no side panel, no pressed button), named
// by the day, and never over an earlier export.
TEST_F(Viewer, ExportPngDrawsTheDayAndKeepsEarlierExports) {
  Write("export.txt",
        "click-button Export PNG\nclick-button Export PNG\nclick-button Presenter\n"
        "screenshot " +
            Path("presenting.png") + "\nquit\n");
  const cordon::test::Result r =
      RunViewer(Path("fixture.yaml") + " --day 20 --script " + Path("export.txt"));
  ASSERT_EQ(r.code, 0) << r.err << r.out;
  for (const char* name : {"fixture-day20.png", "fixture-day20-2.png"}) {
    GDALAllRegister();
    GDALDatasetUniquePtr png(GDALDataset::Open(Path(name).c_str(), GDAL_OF_RASTER));
    ASSERT_NE(png, nullptr) << name;
    EXPECT_EQ(png->GetRasterXSize(), 1600);
    EXPECT_EQ(png->GetRasterYSize(), 900);
    // Where the viewer's side panel would be, the frame's white ground and title.
    std::uint8_t corner[3];
    ASSERT_EQ(
        png->RasterIO(GF_Read, 5, 300, 1, 1, corner, 1, 1, GDT_Byte, 3, nullptr, 3, 3, 1, nullptr),
        CE_None);
    EXPECT_EQ(corner[0], 255) << name;
  }
  EXPECT_FALSE(fs::exists(dir_ / "fixture-day20-3.png"));
  EXPECT_TRUE(fs::exists(dir_ / "presenting.png")) << "a scripted Presenter click goes on";
  // A button no frame draws fails the script (exit 2) instead of waiting for ever.
  Write("missing.txt", "click-button Export TIFF\nquit\n");
  const cordon::test::Result missing =
      RunViewer(Path("fixture.yaml") + " --script " + Path("missing.txt"));
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("no button 'Export TIFF'"), std::string::npos) << missing.err;
}

TEST_F(Viewer, ScriptedPlanningLoopAddsACheckpointAndReRuns) {
  // Injected clicks: "Add checkpoint", a click on the road at the A|B border, "Re-run", "Save",
  // then the difference map.
  Write("plan.txt",
        "wait-run\nreport " + Path("before.json") +
            "\nclick-button Add checkpoint\nclick-at 502000 3001000\nclick-button "
            "Re-run\nwait-run\nreport " +
            Path("after.json") + "\nclick-button Save\nclick-button map the difference\nreport " +
            Path("difference.json") + "\nscreenshot " + Path("compare.png") + "\nquit\n");
  const cordon::test::Result r =
      RunViewer(Path("fixture.yaml") + " --script " + Path("plan.txt"), "1600x1000x24");
  ASSERT_EQ(r.code, 0) << r.err << r.out;
  const YAML::Node before = YAML::LoadFile(Path("before.json")),
                   after = YAML::LoadFile(Path("after.json"));
  EXPECT_EQ(before["edits"].as<int>(), 0);
  EXPECT_EQ(after["edits"].as<int>(), 1);
  EXPECT_EQ(after["checkpoints"].as<int>(), before["checkpoints"].as<int>() + 1);
  // The compare view keeps the previous run: its attack rate is the one before.
  EXPECT_DOUBLE_EQ(after["previous_attack_rate"].as<double>(), before["attack_rate"].as<double>());
  EXPECT_LT(after["attack_rate"].as<double>(), before["attack_rate"].as<double>())
      << "a second checkpoint between A (infected) and B slows the spread";
  // Saved: the scenario with the edits layer, loadable by cordon run.
  ASSERT_TRUE(fs::exists(dir_ / "fixture.edited.yaml"));
  ASSERT_TRUE(fs::exists(dir_ / "fixture.edits.gpkg"));
  const cordon::test::Result run =
      cordon::test::RunCordon(std::string(CORDON_BIN) + " run " + Path("fixture.edited.yaml") +
                                  " --out " + Path("edited") + " -q",
                              dir_, /*raw=*/true);
  ASSERT_EQ(run.code, 0) << run.err;
  const std::string summary = cordon::test::Slurp(dir_ / "edited" / "summary.json");
  const auto at = summary.find("\"attack_rate\": ");
  EXPECT_NEAR(std::stod(summary.substr(at + 15)), after["attack_rate"].as<double>(), 1e-9);
  EXPECT_TRUE(fs::exists(dir_ / "compare.png"));
  // The difference map: a diverging scale symmetric around 0.
  const YAML::Node difference = YAML::LoadFile(Path("difference.json"));
  EXPECT_EQ(difference["scale"][2].as<int>(), 1);
  EXPECT_LT(difference["scale"][0].as<double>(), 0.0);
  EXPECT_DOUBLE_EQ(difference["scale"][0].as<double>(), -difference["scale"][1].as<double>());
}

// The planning loop's split view: the previous run's map beside this one's, same place, same
// day, one colour scale. A re-run without edits gives the same run, so the two maps are the
// same pixels; a re-run with a checkpoint between A and B changes the right map only.
TEST_F(Viewer, SideBySideShowsThePreviousRunOnTheSameScale) {
  Write("split.txt",
        "wait-run\nclick-button Re-run\nwait-run\n"
        "click-button previous run beside this one\nreport " +
            Path("same.json") + "\nscreenshot " + Path("same.png") +
            "\nclick-button Add checkpoint\nclick-at 502000 3001000\n"
            "click-button Re-run\nwait-run\nreport " +
            Path("changed.json") + "\nscreenshot " + Path("changed.png") + "\nquit\n");
  const cordon::test::Result r =
      RunViewer(Path("fixture.yaml") + " --day 20 --script " + Path("split.txt"), "1600x1000x24");
  ASSERT_EQ(r.code, 0) << r.err << r.out;
  GDALAllRegister();
  auto read = [&](const std::string& name, int& w) {
    GDALDatasetUniquePtr png(GDALDataset::Open(Path(name).c_str(), GDAL_OF_RASTER));
    EXPECT_NE(png, nullptr) << name;
    w = png->GetRasterXSize();
    const int h = png->GetRasterYSize();
    std::vector<std::uint8_t> rgb(std::size_t(w) * h * 3);
    EXPECT_EQ(png->RasterIO(GF_Read, 0, 0, w, h, rgb.data(), w, h, GDT_Byte, 3, nullptr, 3, 3 * w,
                            1, nullptr),
              CE_None);
    return rgb;
  };
  // Pixels of the right map that differ from the left map's at the same place, and the
  // colours seen on the left map.
  auto compare = [&](const std::string& report, const std::string& png, int& differ,
                     std::set<std::string>& colours) {
    const YAML::Node j = YAML::LoadFile(Path(report));
    EXPECT_EQ(j["scale"][2].as<int>(), 0) << "not the difference map";
    const YAML::Node maps = j["maps"];
    ASSERT_EQ(maps.size(), 2u) << "two maps side by side";
    const int lx = maps[0][0].as<int>(), rx = maps[1][0].as<int>(), y0 = maps[0][1].as<int>();
    ASSERT_EQ(maps[0][2].as<int>(), maps[1][2].as<int>());
    ASSERT_EQ(maps[1][1].as<int>(), y0);
    ASSERT_LT(lx + maps[0][2].as<int>(), rx);
    int w = 0;
    const auto rgb = read(png, w);
    differ = 0;
    for (int y = y0; y < y0 + maps[0][3].as<int>(); ++y)
      for (int x = 0; x < maps[0][2].as<int>(); ++x) {
        const Rgb a = Pixel(rgb, w, lx + x, y), b = Pixel(rgb, w, rx + x, y);
        if (a.r != b.r || a.g != b.g || a.b != b.b) ++differ;
        colours.insert(std::to_string(a.r) + "," + std::to_string(a.g) + "," + std::to_string(a.b));
      }
  };
  int differ_same = -1, differ_changed = -1;
  std::set<std::string> colours_same, colours_changed;
  compare("same.json", "same.png", differ_same, colours_same);
  compare("changed.json", "changed.png", differ_changed, colours_changed);
  EXPECT_EQ(differ_same, 0) << "the same run twice: the same map twice";
  EXPECT_GE(colours_same.size(), 4u) << "the maps show villages, not a blank";
  EXPECT_GT(differ_changed, 100) << "a checkpoint between A and B changes this run's map";
}

TEST_F(Viewer, AResultsFolderShowsTheSameMapAsItsScenario) {
  ASSERT_EQ(cordon::test::RunCordon(std::string(CORDON_BIN) + " run " + Path("fixture.yaml") +
                                        " -q --out " + Path("results"),
                                    dir_, /*raw=*/true)
                .code,
            0);
  ASSERT_EQ(
      RunViewer(Path("fixture.yaml") + " --day 20 --size 1000x700 --screenshot " + Path("a.png"))
          .code,
      0);
  ASSERT_EQ(
      RunViewer(Path("results") + " --day 20 --size 1000x700 --screenshot " + Path("b.png")).code,
      0);
  const YAML::Node a = YAML::LoadFile(Path("a.png.json")), b = YAML::LoadFile(Path("b.png.json"));
  ASSERT_EQ(a["villages"].size(), b["villages"].size());
  for (std::size_t k = 0; k < a["villages"].size(); ++k) {
    EXPECT_EQ(a["villages"][k]["id"].as<std::string>(), b["villages"][k]["id"].as<std::string>());
    EXPECT_NEAR(a["villages"][k]["value"].as<double>(), b["villages"][k]["value"].as<double>(),
                1e-4);
  }
  EXPECT_NEAR(a["scale"][1].as<double>(), b["scale"][1].as<double>(), 1e-4);
}

TEST_F(Viewer, BadScenarioExitsWithTwo) {
  Write("bad.yaml", "region: {villages: {path: nowhere.gpkg}}\nmobility: {model: gravity}\n");
  const cordon::test::Result r = RunViewer(Path("bad.yaml") + " --screenshot " + Path("x.png"));
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("file not found"), std::string::npos) << r.err;
  // A screenshot into a folder that does not exist: exit 2 naming it, before any run.
  const cordon::test::Result folder =
      RunViewer(Path("fixture.yaml") + " --screenshot " + Path("nowhere/x.png"));
  EXPECT_EQ(folder.code, 2) << folder.err;
  EXPECT_NE(folder.err.find(Path("nowhere") + " does not exist"), std::string::npos) << folder.err;
  EXPECT_EQ(folder.err.find(".tmp"), std::string::npos) << folder.err;
  // In the window the message is large and red in a box over the map, not a line in the
  // side panel alone.
  Write("error.txt", "wait-run\nscreenshot " + Path("error.png") + "\nquit\n");
  ASSERT_EQ(RunViewer(Path("bad.yaml") + " --size 1200x700 --script " + Path("error.txt")).code, 0);
  const cordon::test::Pixels png = cordon::test::ReadPng(Path("error.png"));
  ASSERT_FALSE(png.rgb.empty());
  int red = 0;  // right of the 300 px side panel
  for (int y = 0; y < png.height; ++y)
    for (int x = 310; x < png.width; ++x) {
      const std::uint8_t* p = png.At(x, y);
      red += p[0] > 150 && p[1] < 80 && p[2] < 80;
    }
  EXPECT_GT(red, 1500) << "the error box's red frame and words";
}

}  // namespace
