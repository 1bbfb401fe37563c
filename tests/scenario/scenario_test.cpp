// SPDX-License-Identifier: Apache-2.0
#include "cordon/scenario/scenario.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "cordon/base/csv_table.hpp"
#include "cordon/base/error.hpp"

namespace cordon::scenario {
namespace {

namespace fs = std::filesystem;

// A scratch folder with the tables of a three-village network.
class ScenarioTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cordon_scenario_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    Write("villages.csv", "id,population,name\nA,1000,甲\nB,500,乙\nC,200,丙\n");
    Write("od.csv", "origin,destination,trips_per_person_per_day\nA,B,0.1\nB,A,0.2\nB,C,0.1\n");
    Write("checkpoints.csv",
          "id,level,block,screen,isolate,start,end\nK1,township,0.5,0.2,0,,\nK2,,0.3,0,0,2,9\n");
    Write("routes.csv", "origin,destination,order,checkpoint\nA,B,2,K2\nA,B,1,K1\nB,C,1,K2\n");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  static std::string Base() {
    return "name: t\n"
           "region:\n"
           "  villages: {csv: villages.csv}\n"
           "mobility: {model: od, od: {csv: od.csv}}\n"
           "checkpoints:\n"
           "  - {csv: checkpoints.csv}\n"
           "  - {routes: {csv: routes.csv}}\n";
  }

  // The InputError message of loading `yaml`, or "" when it loads.
  std::string ErrorOf(const std::string& yaml, const std::vector<std::string>& sets = {}) {
    Write("s.yaml", yaml);
    try {
      const scenario::Scenario s = scenario::LoadScenario(Path("s.yaml"), sets);
      sim::Model model(s.model_spec, scenario::BuildModelInputs(s));
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  }

  fs::path dir_;
};

TEST_F(ScenarioTest, LoadsTablesIntoTheNetwork) {
  Write("s.yaml", Base() + "seed_infections: [{village: A, infectious: 2}]\n");
  const scenario::Scenario s = scenario::LoadScenario(Path("s.yaml"));
  const sim::ModelInputs in = scenario::BuildModelInputs(s);
  const sim::Network& net = in.network;
  ASSERT_EQ(net.Patches(), 3);
  EXPECT_EQ(net.names[0], "甲");
  EXPECT_EQ(net.trips.nonZeros(), 3);
  EXPECT_DOUBLE_EQ(net.trips.coeff(1, 2), 0.1);
  // A->B meets K1 then K2 (sorted by order); B->A none; B->C meets K2.
  ASSERT_EQ(net.route_offsets, (std::vector<int>{0, 2, 2, 3}));
  EXPECT_EQ(net.route_checkpoints, (std::vector<int>{0, 1, 1}));
  EXPECT_EQ(net.checkpoints[1].active.start_day, 2.0);
  EXPECT_EQ(net.checkpoints[1].active.end_day, 9.0);
  EXPECT_FALSE(std::isfinite(net.checkpoints[0].active.end_day));
  EXPECT_EQ(in.seeds[0].patch, 0);
}

TEST_F(ScenarioTest, OverridesReplaceKeysAndListItems) {
  Write("s.yaml", Base() + "disease: {r0: 2}\npolicies:\n  - {type: hospital, beds: 3}\n");
  const scenario::Scenario s = scenario::LoadScenario(
      Path("s.yaml"),
      {"disease.r0=3.5", "policies[0].beds=7", "simulation.runs=9", "simulation.mode=stochastic"});
  const sim::ModelSpec& m = s.model_spec;
  EXPECT_DOUBLE_EQ(m.parameters[std::size_t(m.ParameterIndex("r0"))].value, 3.5);
  EXPECT_DOUBLE_EQ(s.policies.beds, 7);
  EXPECT_EQ(s.simulation.runs, 9);
  EXPECT_EQ(s.simulation.mode, sim::Mode::kStochastic);
  EXPECT_NE(s.hash, scenario::LoadScenario(Path("s.yaml")).hash);
}

TEST_F(ScenarioTest, VisitDaysMaySitUnderMobility) {
  Write("s.yaml",
        "region: {villages: {csv: villages.csv}}\n"
        "mobility: {model: od, visit_days: 0.5, od: {csv: od.csv}}\n");
  const sim::ModelSpec m = scenario::LoadScenario(Path("s.yaml")).model_spec;
  EXPECT_DOUBLE_EQ(m.parameters[std::size_t(m.ParameterIndex("visit_days"))].value, 0.5);
}

TEST_F(ScenarioTest, MalformedYamlNamesTheLine) {
  const std::string e = ErrorOf(Base() + "disease: {r0: 2\n");
  EXPECT_NE(e.find("s.yaml:"), std::string::npos) << e;
  EXPECT_NE(e.find("YAML syntax error"), std::string::npos) << e;
}

TEST_F(ScenarioTest, UnknownKeyNamesKeyAndLine) {
  const std::string e = ErrorOf(Base() + "disease:\n  r0: 2\n  latnt_days: 3\n");
  EXPECT_NE(e.find("s.yaml:10:3: disease.latnt_days: model cordon has no parameter 'latnt_days'"),
            std::string::npos)
      << e;
}

TEST_F(ScenarioTest, MissingFileIsNamed) {
  const std::string e = ErrorOf(
      "region: {villages: {csv: nowhere.csv}}\n"
      "mobility: {model: od, od: {csv: od.csv}}\n");
  EXPECT_NE(e.find("region.villages.csv: file not found"), std::string::npos) << e;
  EXPECT_NE(e.find("nowhere.csv"), std::string::npos) << e;
}

TEST_F(ScenarioTest, BadNumberInCsvNamesLineAndColumn) {
  Write("villages.csv", "id,population\nA,1000\nB,5x0\nC,200\n");
  const std::string e = ErrorOf(Base());
  EXPECT_NE(e.find("villages.csv:3: column 'population': '5x0' is not a number"), std::string::npos)
      << e;
}

TEST_F(ScenarioTest, OdPairWithUnknownVillage) {
  Write("od.csv", "origin,destination,trips_per_person_per_day\nA,B,0.1\nA,Z,0.2\n");
  const std::string e = ErrorOf(Base());
  EXPECT_NE(e.find("od.csv:3: column 'destination': unknown village id 'Z'"), std::string::npos)
      << e;
}

TEST_F(ScenarioTest, AnOdTableReadOnThreadsGivesTheSameTripsAndTheFirstError) {
  // 300 villages x 300 destinations = 90,000 rows: two blocks of rows, the file unsorted.
  std::string villages = "id,population\n", od = "origin,destination,trips_per_person_per_day\n";
  for (int i = 0; i < 300; ++i) villages += "V" + std::to_string(i) + ",100\n";
  for (int i = 299; i >= 0; --i)
    for (int j = 0; j < 300; ++j)
      if (i != j)
        od += "V" + std::to_string(i) + ",V" + std::to_string(j) + ",0.00" +
              std::to_string(1 + (i * 7 + j) % 9) + "\n";
  Write("villages.csv", villages);
  Write("od.csv", od);
  Write("s.yaml",
        "name: t\nregion:\n  villages: {csv: villages.csv}\n"
        "mobility: {model: od, od: {csv: od.csv}}\n");
  const scenario::Scenario s = scenario::LoadScenario(Path("s.yaml"));
  const sim::TripMatrix one = scenario::BuildNetworkInputs(s, 1).network.trips;
  const sim::TripMatrix three = scenario::BuildNetworkInputs(s, 3).network.trips;
  ASSERT_EQ(one.nonZeros(), 300 * 299);
  EXPECT_TRUE(one.isApprox(three, 0.0));
  EXPECT_DOUBLE_EQ(one.coeff(7, 2), 0.001 * (1 + (7 * 7 + 2) % 9));
  // Errors in both blocks: the one on the earlier line is reported, whatever the threads.
  std::string bad = od;
  bad.replace(bad.rfind("V0,V299"), 7, "V0,VX");       // in the second block
  bad.replace(bad.find("V299,V5,"), 8, "V299,V299,");  // line 7, the first block
  Write("od.csv", bad);
  for (int threads : {1, 3}) {
    try {
      scenario::BuildNetworkInputs(s, threads);
      ADD_FAILURE() << "no error on " << threads << " threads";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("od.csv:7: origin and destination are the same"),
                std::string::npos)
          << e.what();
    }
  }
}

TEST_F(ScenarioTest, NegativeRates) {
  Write("od.csv", "origin,destination,trips_per_person_per_day\nA,B,-0.1\n");
  std::string e = ErrorOf(Base());
  EXPECT_NE(e.find("od.csv:2: column 'trips_per_person_per_day': must be >= 0"), std::string::npos)
      << e;
  SetUp();
  e = ErrorOf(Base() + "disease: {detect_rate: -1}\n");
  EXPECT_NE(e.find("s.yaml:8:"), std::string::npos) << e;
  EXPECT_NE(e.find("disease.detect_rate: must be between 0 and"), std::string::npos) << e;
}

TEST_F(ScenarioTest, NegativeHomeShareIsRejected) {
  Write("od.csv", "origin,destination,trips_per_person_per_day\nA,B,2\nB,C,4\n");
  const std::string e = ErrorOf(Base());
  EXPECT_NE(e.find("village B"), std::string::npos) << e;
  EXPECT_NE(e.find("p_ii would be negative"), std::string::npos) << e;
}

TEST_F(ScenarioTest, TravelReductionsResolveTheirVillages) {
  Write("s.yaml", Base() +
                      "policies:\n"
                      "  - {type: travel_reduction, multiplier: 0.3, start: 5}\n"
                      "  - {type: travel_reduction, multiplier: 0.5, villages: [C, A], end: 9}\n"
                      "  - {type: masks, multiplier: 0.8}\n");
  const sim::ModelInputs in = scenario::BuildModelInputs(scenario::LoadScenario(Path("s.yaml")));
  ASSERT_EQ(in.policies.travel_reductions.size(), 2u);
  EXPECT_EQ(in.policies.contact_reductions.size(), 1u);
  EXPECT_DOUBLE_EQ(in.policies.travel_reductions[0].multiplier, 0.3);
  EXPECT_EQ(in.policies.travel_reductions[0].active.start_day, 5.0);
  EXPECT_TRUE(in.policies.travel_reductions[0].patches.empty());
  EXPECT_EQ(in.policies.travel_reductions[1].patches, (std::vector<int>{2, 0}));
  EXPECT_NE(ErrorOf(Base() + "policies: [{type: travel_reduction, multiplier: 1.5}]\n")
                .find("policies[0].multiplier"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Base() + "policies: [{type: travel_reduction, multiplier: 0.5, villages: "
                             "[Z]}]\n")
                .find("unknown village id 'Z'"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Base() + "policies: [{type: travel_reduction}]\n")
                .find("missing required key 'multiplier'"),
            std::string::npos);
}

TEST_F(ScenarioTest, OtherBadInputs) {
  EXPECT_NE(ErrorOf(Base() + "simulation: {dt: 0.3}\n").find("simulation.dt"), std::string::npos);
  EXPECT_NE(ErrorOf(Base() + "simulation: {mode: chaos}\n").find("simulation.mode"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Base() + "policies: [{type: curfew}]\n").find("unknown policy type 'curfew'"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Base() + "imports: [{to: Q, per_day: 3}]\n").find("unknown village id 'Q'"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Base() + "seed_infections: [{village: C, infectious: 500}]\n")
                .find("seeds exceed the population"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Base(), {"disease.r0=abc"}).find("disease.r0"), std::string::npos);
  EXPECT_NE(ErrorOf(Base(), {"policies[3].beds=1"}).find("out of range"), std::string::npos);
  Write("routes.csv", "origin,destination,order,checkpoint\nA,B,1,K9\n");
  EXPECT_NE(ErrorOf(Base()).find("routes.csv:2: column 'checkpoint': unknown checkpoint id 'K9'"),
            std::string::npos);
  Write("checkpoints.csv", "id,block,screen\nK1,1.5,0\n");
  // The same words as a checkpoint layer's (one reader of checkpoint fields).
  EXPECT_NE(ErrorOf(Base()).find(
                "checkpoints.csv:2: column 'block': '1.5' must be a number between 0 and 1"),
            std::string::npos);
  Write("checkpoints.csv", "id,block,screen,start,end\nK1,0.5,0,10,4\n");
  EXPECT_NE(ErrorOf(Base()).find("checkpoints.csv:2: column 'end': end must be after start"),
            std::string::npos);
}

TEST(CsvTable, QuotesBomAndCrlf) {
  const CsvTable t =
      CsvTable::Parse("\xEF\xBB\xBFid,name\r\n1,\"a, \"\"b\"\"\"\r\n\r\n2,c\r\n", "x.csv");
  ASSERT_EQ(t.Rows(), 2u);
  EXPECT_EQ(t.Text(0, t.Require("name")), "a, \"b\"");
  EXPECT_EQ(t.Where(1), "x.csv:4");
  EXPECT_THROW(CsvTable::Parse("a\n\"open\n", "y.csv"), InputError);
  EXPECT_THROW(CsvTable::Parse("a\n1,2\n", "y.csv"), InputError);
}

TEST(CsvTable, QuotedCellsBlanksAndNumbers) {
  // A line end inside quotes, blanks around cells, a quote inside an unquoted cell, text after
  // a closing quote; numbers as strtod reads them (a sign +, hex) and not (an underflow).
  const CsvTable t = CsvTable::Parse(
      "id , v\n \"two\nlines\" ,+1.5\n say \"hi\" , 0x10 \n\"q\"tail,\t2 \nz,1e-400\n", "q.csv");
  ASSERT_EQ(t.Rows(), 4u);
  EXPECT_EQ(t.Columns(), (std::vector<std::string>{"id", "v"}));
  EXPECT_EQ(t.Text(0, 0), "two\nlines");
  EXPECT_EQ(t.Number(0, 1), 1.5);
  EXPECT_EQ(t.Where(1), "q.csv:4");  // the quoted line end counts
  EXPECT_EQ(t.Text(1, 0), "say \"hi\"");
  EXPECT_EQ(t.Number(1, 1), 16.0);
  EXPECT_EQ(t.Text(2, 0), "q");
  EXPECT_EQ(t.Number(2, 1), 2.0);
  EXPECT_EQ(t.Text(2, 5), "");  // past the row's end
  try {
    t.Number(3, 1);
    ADD_FAILURE() << "an underflow read as a number";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "q.csv:6: column 'v': '1e-400' is not a number");
  }
}

TEST(CsvTable, ALargeTableParsedOnThreadsIsTheOneParsedOnOneThread) {
  // 60,000 rows (over 1 MB, no quotes: split at line ends) with CRLF, lone CR and blank lines
  // and short rows: every cell and every line number the same on 1 and 3 threads; an extra
  // field far down is the same error either way.
  std::string text = "origin,destination,rate\n";
  int line = 1;
  std::vector<int> lines;
  for (int r = 0; r < 60000; ++r) {
    text += "V" + std::to_string(r) + ", W" + std::to_string(r % 977) + " ," +
            (r % 11 == 0 ? std::string() : std::to_string(r * 0.25));
    text += r % 7 == 0 ? "\r\n" : (r % 13 == 0 ? "\r" : "\n");
    lines.push_back(++line);
    if (r % 1000 == 999) text += " \n", ++line;  // a blank line (after a lone CR too)
  }
  ASSERT_GT(text.size(), std::size_t(1) << 20);
  const CsvTable one = CsvTable::Parse(text, "od.csv", 1);
  const CsvTable three = CsvTable::Parse(text, "od.csv", 3);
  ASSERT_EQ(one.Rows(), 60000u);
  ASSERT_EQ(three.Rows(), 60000u);
  for (std::size_t r = 0; r < one.Rows(); ++r) {
    ASSERT_EQ(one.Where(r), "od.csv:" + std::to_string(lines[r])) << r;
    ASSERT_EQ(three.Where(r), one.Where(r)) << r;
    for (int c = 0; c < 3; ++c) ASSERT_EQ(three.Text(r, c), one.Text(r, c)) << r << "," << c;
  }
  EXPECT_EQ(one.Text(1, 1), "W1");
  EXPECT_EQ(one.Text(11, 2), "");
  EXPECT_EQ(one.Number(4, 2), 1.0);
  const std::size_t at = text.find("V50000,");
  text.insert(text.find('\n', at), ",extra");
  for (int threads : {1, 3}) {
    try {
      CsvTable::Parse(text, "od.csv", threads);
      ADD_FAILURE() << "no error on " << threads << " threads";
    } catch (const InputError& e) {
      EXPECT_EQ(std::string(e.what()),
                "od.csv:" + std::to_string(lines[50000]) + ": 4 fields but the header has 3")
          << threads << " threads";
    }
  }
}

}  // namespace
}  // namespace cordon::scenario
