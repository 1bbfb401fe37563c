// SPDX-License-Identifier: Apache-2.0
// Building a scenario's model names the file of every bad input once: an error that knows its
// table keeps it; a rule of the model, which names keys and ids only, gets the scenario file.
#include "cordon/engine/model_build.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cordon/base/error.hpp"
#include "cordon/scenario/scenario.hpp"

namespace cordon::engine {
namespace {

namespace fs = std::filesystem;

class ModelBuildErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cordon_model_build_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    Write("villages.csv", "id,population\nA,1000\nB,500\nC,200\n");
    Write("s.yaml",
          "name: t\nregion:\n  villages: {csv: villages.csv}\n"
          "mobility: {model: od, od: {csv: od.csv}}\n");
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  // The error of building s.yaml's model (fails the test when there is none).
  InputError ErrorOfBuild() {
    try {
      BuildScenarioModel(scenario::LoadScenario(Path("s.yaml")), 1);
    } catch (const InputError& e) {
      return e;
    }
    ADD_FAILURE() << "no InputError";
    return InputError("");
  }

  fs::path dir_;
};

TEST_F(ModelBuildErrors, ATableErrorKeepsItsOwnFile) {
  Write("od.csv", "origin,destination,trips_per_person_per_day\nA,B,0.1\nA,Z,0.2\n");
  const InputError e = ErrorOfBuild();
  EXPECT_EQ(std::string(e.what()),
            Path("od.csv") + ":3: column 'destination': unknown village id 'Z'");
  ASSERT_TRUE(e.Where().has_value());
  EXPECT_EQ(e.Where()->file, Path("od.csv"));
  EXPECT_EQ(e.Where()->line, 3);
}

TEST_F(ModelBuildErrors, AModelRuleGetsTheScenarioFileOnce) {
  // 0.33 visit days x 4 trips a day: p_ii < 0 in B, a rule of the model, which knows no file.
  Write("od.csv", "origin,destination,trips_per_person_per_day\nA,B,0.1\nB,C,4\n");
  const InputError e = ErrorOfBuild();
  const std::string what = e.what();
  EXPECT_EQ(what.rfind(Path("s.yaml") + ": village B:", 0), 0U) << what;
  EXPECT_EQ(what.find(".yaml", what.find(".yaml") + 1), std::string::npos) << what;
  ASSERT_TRUE(e.Where().has_value());
  EXPECT_EQ(e.Where()->file, Path("s.yaml"));
}

}  // namespace
}  // namespace cordon::engine
