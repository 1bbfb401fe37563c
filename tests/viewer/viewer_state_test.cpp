// SPDX-License-Identifier: Apache-2.0
// ViewerState without a display: the day clock, the plan's edits as the
// engine takes them, opening a scenario or a results folder, re-runs with
// edits, and (under ThreadSanitizer, label tsan) a re-run racing the UI
// thread's edits.
#include "viewer/viewer_state.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "cordon/data/vector_io.hpp"
#include "four_villages.hpp"

namespace {

namespace fs = std::filesystem;
using cordon::viewer::Arrival;
using cordon::viewer::ViewerState;

// The four villages of four_villages.hpp with a cordon at the town level.
class ViewerStateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cordon_viewer_state_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    cordon::test::WriteFourVillages(Path("fixture.gpkg"));
    std::ofstream(Path("fixture.yaml"))
        << "name: fixture\n"
           "region:\n"
           "  villages: {path: fixture.gpkg, layer: villages, id: code, population: pop,\n"
           "             parent: [town]}\n"
           "  roads: {path: fixture.gpkg, layer: roads}\n"
           "mobility: {model: gravity, trips_per_person: 0.3}\n"
           "checkpoints:\n"
           "  - {path: fixture.gpkg, layer: checkpoints, block: 0.5}\n"
           "  - {cordon: town, block: 0.8}\n"
           "seed_infections: [{village: A, infectious: 20}]\n"
           "simulation: {days: 60}\n";
  }
  void TearDown() override { fs::remove_all(dir_); }

  static cordon::data::Point2 Km(double x, double y) { return cordon::test::FixtureKm(x, y); }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  // Km(x, y) in the run's working CRS (the fixture's is UTM; the region's a local one).
  static cordon::data::Point2 WorkingKm(const ViewerState& state, double x, double y) {
    std::vector<cordon::data::Point2> p{Km(x, y)};
    const auto& region = state.Run()->geography->region;
    cordon::data::ReprojectPoints(p, region.source_crs, region.crs);
    return p[0];
  }

  // Waits for the run in flight (slow under ThreadSanitizer) and takes it over.
  static Arrival Finish(ViewerState& state) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(5);
    while (state.Running() && std::chrono::steady_clock::now() < give_up)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return state.TakeFinished();
  }
  // Opens the fixture scenario and waits for its run.
  void OpenFixture(ViewerState& state) const {
    ASSERT_TRUE(state.Open(Path("fixture.yaml")));
    const Arrival arrival = Finish(state);
    ASSERT_TRUE(arrival.adopted) << arrival.error;
    ASSERT_NE(state.Run(), nullptr);
  }

  static int CountLevel(const cordon::engine::DisplayRun& run, const std::string& level) {
    return static_cast<int>(std::count_if(run.network.checkpoints.begin(),
                                          run.network.checkpoints.end(),
                                          [&](const auto& c) { return c.level == level; }));
  }
  static const cordon::sim::Checkpoint* FindCheckpoint(const cordon::engine::DisplayRun& run,
                                                       const std::string& id) {
    for (const auto& c : run.network.checkpoints)
      if (c.id == id) return &c;
    return nullptr;
  }

  fs::path dir_;
};

TEST(ViewerStateDayClock, StandsStillUnlessPlaying) {
  cordon::viewer::DayClock clock;
  clock.day = 5;
  EXPECT_FALSE(clock.Advance(10.0, 60));
  EXPECT_EQ(clock.day, 5);
}

TEST(ViewerStateDayClock, ShowsWholeDaysAndCarriesTheRest) {
  cordon::viewer::DayClock clock;
  clock.playing = true;
  clock.days_per_second = 8;
  EXPECT_FALSE(clock.Advance(0.1, 60));  // 0.8 days: not yet a day
  EXPECT_EQ(clock.day, 0);
  EXPECT_TRUE(clock.Advance(0.2, 60));  // 0.8 + 1.6 = 2.4 days
  EXPECT_EQ(clock.day, 2);
  EXPECT_NEAR(clock.carry_days, 0.4, 1e-9);
}

TEST(ViewerStateDayClock, StartsOverAfterTheLastDay) {
  cordon::viewer::DayClock clock;
  clock.playing = true;
  clock.days_per_second = 1;
  clock.day = 59;
  EXPECT_TRUE(clock.Advance(1.0, 60));
  EXPECT_EQ(clock.day, 60);
  EXPECT_TRUE(clock.Advance(1.0, 60));
  EXPECT_EQ(clock.day, 0);
}

TEST(ViewerStatePlan, EditsListTheLevelsSwitchedOffAndCopyTheCheckpoints) {
  cordon::viewer::Plan plan;
  plan.level_on = {{"county", true}, {"town", false}, {"group", false}};
  cordon::scenario::CheckpointEdit edit;
  edit.at = {1, 2};
  edit.block = 0.25;
  edit.id = "user-1";
  plan.checkpoints.push_back(edit);
  const cordon::scenario::ScenarioEdits edits = plan.Edits();
  EXPECT_EQ(edits.levels_off, (std::set<std::string>{"group", "town"}));
  ASSERT_EQ(edits.checkpoints.size(), 1u);
  EXPECT_EQ(edits.checkpoints[0].id, "user-1");
  EXPECT_EQ(edits.checkpoints[0].block, 0.25);
  plan.checkpoints[0].block = 0.75;  // a copy: later edits do not reach it
  EXPECT_EQ(edits.checkpoints[0].block, 0.25);
}

TEST_F(ViewerStateTest, OpeningAScenarioRunsItAndReadsOutTheAttackRate) {
  ViewerState state;
  state.start_day = 20;
  OpenFixture(state);
  EXPECT_EQ(state.status, "fixture");
  EXPECT_EQ(state.Path(), Path("fixture.yaml"));
  EXPECT_EQ(state.Previous(), nullptr);
  EXPECT_EQ(state.clock.day, 20);
  EXPECT_EQ(state.RunsAdopted(), 1);
  // Every cordon level of the scenario is listed, switched on.
  EXPECT_EQ(state.plan.level_on, (std::map<std::string, bool>{{"town", true}}));
  const auto& run = *state.Run();
  EXPECT_EQ(run.network.Patches(), 4);
  EXPECT_EQ(CountLevel(run, "town"), 1) << "one road crosses the T1|T2 border";
  // The same number `cordon run` reports for the scenario.
  cordon::engine::RunConfig config;
  config.scenario = Path("fixture.yaml");
  config.out_dir = Path("results");
  const cordon::engine::RunReport report = cordon::engine::RunScenario(config);
  EXPECT_GT(cordon::viewer::AttackRate(run), 0.0);
  EXPECT_NEAR(cordon::viewer::AttackRate(run), report.summary.attack_rate, 1e-9);
}

// A researcher's own model (SEIRS with vaccination and deaths, no hospital): its flows are
// chart choices, on from the start but the infections; the map's curves follow its roles.
TEST_F(ViewerStateTest, AnOwnModelsFlowsAreOnTheChart) {
  fs::copy(fs::path(TEST_DATA_DIR) / "batch" / "models" / "seirs-vd.yaml", Path("seirs.yaml"));
  std::string text;
  {
    std::ifstream in(Path("fixture.yaml"));
    std::stringstream ss;
    ss << in.rdbuf();
    text = ss.str();
  }
  text.replace(text.find("infectious: 20"), 14, "I: 20");
  std::ofstream(Path("own.yaml")) << "model: seirs.yaml\n" << text;
  ViewerState state;
  ASSERT_TRUE(state.Open(Path("own.yaml")));
  const Arrival arrival = Finish(state);
  ASSERT_TRUE(arrival.adopted) << arrival.error;
  const cordon::engine::DisplayRun& run = *state.Run();
  const auto& columns = run.result.columns;
  auto index = [&](const char* c) {
    return int(std::find(columns.begin(), columns.end(), c) - columns.begin());
  };
  for (const char* c : {"deaths", "vaccinations", "infections"})
    ASSERT_LT(index(c), int(columns.size())) << c;
  EXPECT_TRUE(cordon::viewer::ChartColumnShownByDefault(run, index("deaths")));
  EXPECT_TRUE(cordon::viewer::ChartColumnShownByDefault(run, index("vaccinations")));
  EXPECT_FALSE(cordon::viewer::ChartColumnShownByDefault(run, index("infections")));
  EXPECT_FALSE(cordon::viewer::ChartColumnShownByDefault(run, index("S")));
  // Reinfection: no attack rate per village, infections per person instead.
  EXPECT_TRUE(std::isnan(run.result.attack_rate[0]));
  EXPECT_GT(run.result.infections_per_person.maxCoeff(), 0.0);
}

TEST_F(ViewerStateTest, AResultsFolderShowsTheRunItHolds) {
  cordon::engine::RunConfig config;
  config.scenario = Path("fixture.yaml");
  config.out_dir = Path("results");
  const cordon::engine::RunReport report = cordon::engine::RunScenario(config);
  ViewerState state;
  ASSERT_TRUE(state.Open(Path("results")));
  const Arrival arrival = Finish(state);
  ASSERT_TRUE(arrival.adopted) << arrival.error;
  EXPECT_FALSE(arrival.rerun);
  ASSERT_NE(state.Run(), nullptr);
  ASSERT_TRUE(state.Run()->geography.has_value());
  EXPECT_EQ(state.Run()->network.Patches(), 4);
  EXPECT_NEAR(cordon::viewer::AttackRate(*state.Run()), report.summary.attack_rate, 1e-6);
}

// A cordon checkpoint's tooltip names the units either side of it, not its generated id.
TEST_F(ViewerStateTest, CordonCheckpointsAreNamedByTheirUnits) {
  ViewerState state;
  OpenFixture(state);
  cordon::geo::Geography geo = *state.Run()->geography;
  const cordon::sim::Checkpoint* town = FindCheckpoint(*state.Run(), "town:T1|T2");
  ASSERT_NE(town, nullptr);
  EXPECT_EQ(cordon::viewer::BorderInWords(geo, town->id), "T1 - T2");  // no names: the codes
  geo.labels.push_back({"升平镇", {}, 0.0, 0.0, "T1"});
  EXPECT_EQ(cordon::viewer::BorderInWords(geo, "town:T1|outside#207"),
            "升平镇 - outside the region");
  EXPECT_EQ(cordon::viewer::BorderInWords(geo, "gate-7"), "");  // a checkpoint of the user's
}

TEST_F(ViewerStateTest, AMissingScenarioIsReportedOnce) {
  ViewerState state;
  ASSERT_TRUE(state.Open(Path("nowhere.yaml")));
  const Arrival first = Finish(state);
  EXPECT_FALSE(first.adopted);
  EXPECT_NE(first.error.find("nowhere.yaml"), std::string::npos) << first.error;
  EXPECT_EQ(state.status, first.error);
  EXPECT_TRUE(state.TakeFinished().error.empty()) << "reported once";
  EXPECT_EQ(state.Run(), nullptr);
}

TEST_F(ViewerStateTest, ALevelSwitchedOffDropsThatCordonFromTheEditedScenario) {
  ViewerState state;
  OpenFixture(state);
  EXPECT_EQ(state.EditedScenario().geo.cordons.size(), 1u);
  state.plan.level_on["town"] = false;
  const cordon::scenario::Scenario edited = state.EditedScenario();
  EXPECT_TRUE(edited.geo.cordons.empty());
  EXPECT_EQ(edited.geo.checkpoint_layers.size(), 1u) << "no edits: no edits layer";
}

TEST_F(ViewerStateTest, ACheckpointSnapsToTheRoadAndGoesToTheEditsLayer) {
  ViewerState state;
  OpenFixture(state);
  state.plan.add_mode = true;
  state.AddCheckpoint(WorkingKm(state, 2.0, 1.3));  // 300 m north of the A-B road
  EXPECT_FALSE(state.plan.add_mode);
  ASSERT_EQ(state.plan.checkpoints.size(), 1u);
  EXPECT_EQ(state.plan.checkpoints[0].id, "user-1");
  // On the road (1 m: the working CRS bends the UTM grid a little).
  const cordon::data::Point2 on_road = WorkingKm(state, 2.0, 1.0);
  EXPECT_NEAR(state.plan.checkpoints[0].at.x, on_road.x, 1.0);
  EXPECT_NEAR(state.plan.checkpoints[0].at.y, on_road.y, 1.0);
  state.MoveCheckpoint(0, WorkingKm(state, 0.8, 2.5));  // beside the road from A up to C
  const cordon::data::Point2 moved = state.plan.checkpoints[0].at;
  EXPECT_NEAR(moved.x, WorkingKm(state, 1.0, 2.5).x, 1.0);
  EXPECT_NEAR(moved.y, WorkingKm(state, 1.0, 2.5).y, 1.0);

  const cordon::scenario::Scenario edited = state.EditedScenario();
  ASSERT_EQ(edited.geo.checkpoint_layers.size(), 2u);
  const auto& layer = edited.geo.checkpoint_layers.back().layer;
  EXPECT_EQ(layer.path, Path("fixture.edits.gpkg"));
  const cordon::data::VectorLayer written = cordon::data::ReadVectorLayer(layer.path, layer.layer);
  ASSERT_EQ(written.features.size(), 1u);
  ASSERT_EQ(written.features[0].points.size(), 1u);
  EXPECT_NEAR(written.features[0].points[0].x, moved.x, 1e-3);
  EXPECT_NEAR(written.features[0].points[0].y, moved.y, 1e-3);
  EXPECT_EQ(written.features[0].values[written.FieldIndex("id")], "user-1");
}

TEST_F(ViewerStateTest, TheVillageUnderAPoint) {
  ViewerState state;
  OpenFixture(state);
  const auto& ids = state.Run()->geography->region.ids;
  const int d = state.VillageAt(WorkingKm(state, 3.0, 3.0));
  ASSERT_GE(d, 0);
  EXPECT_EQ(ids[d], "D");
  const int a = state.VillageAt(WorkingKm(state, 0.5, 1.5));
  ASSERT_GE(a, 0);
  EXPECT_EQ(ids[a], "A");
  EXPECT_EQ(state.VillageAt(WorkingKm(state, 9.0, 9.0)), -1);
}

TEST_F(ViewerStateTest, AReRunAppliesTheEditsAndKeepsTheRunBefore) {
  ViewerState state;
  OpenFixture(state);
  const double before = cordon::viewer::AttackRate(*state.Run());
  const std::size_t checkpoints_before = state.Run()->network.checkpoints.size();
  state.AddCheckpoint(WorkingKm(state, 2.0, 1.0));  // on the A|B border
  state.plan.checkpoints[0].block = 0.9;
  state.plan.level_on["town"] = false;
  state.ReRun();
  const Arrival arrival = Finish(state);
  ASSERT_TRUE(arrival.adopted) << arrival.error;
  EXPECT_TRUE(arrival.rerun);
  ASSERT_NE(state.Previous(), nullptr);
  EXPECT_DOUBLE_EQ(cordon::viewer::AttackRate(*state.Previous()), before);
  const auto& run = *state.Run();
  EXPECT_EQ(CountLevel(run, "town"), 0);
  EXPECT_EQ(run.network.checkpoints.size(), checkpoints_before - 1 + 1);
  const cordon::sim::Checkpoint* user = FindCheckpoint(run, "user-1");
  ASSERT_NE(user, nullptr);
  EXPECT_DOUBLE_EQ(user->block, 0.9);
  // The edits survive a re-run; the switched-off level stays listed, off.
  EXPECT_EQ(state.plan.checkpoints.size(), 1u);
  EXPECT_EQ(state.plan.level_on, (std::map<std::string, bool>{{"town", false}}));
}

// The UI thread keeps editing while a re-run is in flight (sliders move, a
// cordon level is switched back on). The re-run must use the edits as they
// were when it started, and must not read them while they change: under
// ThreadSanitizer (CORDON_TSAN, label tsan) a read from the worker is a data race.
TEST_F(ViewerStateTest, AReRunUsesTheEditsAsTheyWereWhenItStarted) {
  ViewerState state;
  OpenFixture(state);
  state.AddCheckpoint(WorkingKm(state, 2.0, 1.0));
  state.plan.checkpoints[0].block = 0.9;
  state.plan.level_on["town"] = false;
  state.ReRun();
  ASSERT_TRUE(state.Running());
  for (int i = 0; state.Running(); ++i) {
    state.plan.checkpoints[0].block = i % 2 ? 0.1 : 0.2;
    state.plan.checkpoints[0].screen = i % 2 ? 0.3 : 0.4;
    state.plan.level_on["town"] = i % 2 == 0;
    std::this_thread::yield();
  }
  const Arrival arrival = Finish(state);
  ASSERT_TRUE(arrival.adopted) << arrival.error;
  const cordon::sim::Checkpoint* user = FindCheckpoint(*state.Run(), "user-1");
  ASSERT_NE(user, nullptr);
  EXPECT_DOUBLE_EQ(user->block, 0.9);
  EXPECT_DOUBLE_EQ(user->screen, 0.5);
  EXPECT_EQ(CountLevel(*state.Run(), "town"), 0);
}

}  // namespace

namespace {

// A model from a file on network tables with coordinates (Li et al.'s 375 cities): the
// cities are discs sized by population, and the model's columns, its `reported` flow
// among them, are the chart's choices.
TEST(ViewerStateModels, CitiesWithoutPolygonsAreDiscsAndTheModelsFlowsAreChartChoices) {
  if (!fs::exists(std::string(CORDON_SHARED_DIR) + "/data/real/li2020/mobility.csv"))
    GTEST_SKIP() << "../shared/data/real/li2020 is absent";
  ViewerState state;
  ASSERT_TRUE(state.Open(std::string(SAMPLES_DIR) + "/li2020.yaml"));
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  while (state.Running() && std::chrono::steady_clock::now() < give_up)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const Arrival arrival = state.TakeFinished();
  ASSERT_TRUE(arrival.adopted) << arrival.error;
  const cordon::engine::DisplayRun& run = *state.Run();
  ASSERT_TRUE(run.geography.has_value());
  const auto& region = run.geography->region;
  ASSERT_EQ(region.Patches(), 375);
  const auto& ids = run.network.ids;
  const int wuhan = int(std::find(ids.begin(), ids.end(), "Wuhan") - ids.begin());
  const int diqing = int(std::find(ids.begin(), ids.end(), "Diqing") - ids.begin());
  ASSERT_LT(wuhan, 375);
  ASSERT_LT(diqing, 375);
  // Disc area follows population (Wuhan 11 million, Diqing 0.4 million), with a floor.
  EXPECT_GT(cordon::data::Area(region.shapes[wuhan]),
            5 * cordon::data::Area(region.shapes[diqing]));
  // No two discs overlap (the Pearl River Delta's did): radii from their areas. Three
  // Xinjiang cities share one position in the data; they are left out.
  int overlapping = 0;
  for (int i = 0; i < 375; ++i)
    for (int j = i + 1; j < 375; ++j) {
      const double ri = std::sqrt(cordon::data::Area(region.shapes[i]) / M_PI);
      const double rj = std::sqrt(cordon::data::Area(region.shapes[j]) / M_PI);
      const auto a = region.anchors[std::size_t(i)], b = region.anchors[std::size_t(j)];
      const double apart = std::hypot(a.x - b.x, a.y - b.y);
      overlapping += apart > 1.0 && apart < 0.999 * (ri + rj);
    }
  EXPECT_EQ(overlapping, 0);
  // City names for the map, largest first: the ids are the names (Wuhan among them).
  const auto& labels = run.geography->labels;
  ASSERT_EQ(labels.size(), 375u);
  EXPECT_TRUE(std::any_of(labels.begin(), labels.end(),
                          [](const auto& l) { return l.text == "Wuhan" && l.code == "Wuhan"; }));
  EXPECT_GE(labels.front().population, labels.back().population);
  const auto& columns = run.result.columns;
  for (const char* c : {"S", "E", "Ir", "Iu", "R", "N", "incidence", "reported"})
    EXPECT_NE(std::find(columns.begin(), columns.end(), c), columns.end()) << c;
  EXPECT_EQ(run.scenario.model_spec.name, "li2020");
  // The model's named per-village flow is on the chart from the start; compartments are not.
  auto index = [&](const char* c) {
    return int(std::find(columns.begin(), columns.end(), c) - columns.begin());
  };
  EXPECT_TRUE(cordon::viewer::ChartColumnShownByDefault(run, index("reported")));
  EXPECT_FALSE(cordon::viewer::ChartColumnShownByDefault(run, index("incidence")));
  EXPECT_FALSE(cordon::viewer::ChartColumnShownByDefault(run, index("Iu")));
}

}  // namespace
