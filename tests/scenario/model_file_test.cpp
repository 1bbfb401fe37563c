// SPDX-License-Identifier: Apache-2.0
// Models from files: the bundled seir and li2020 models checked against
// mathematics (final size, growth rate, conservation) and against the
// built-in model; bad model files fail at FILE:LINE:COL.
#include "cordon/scenario/model_file.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <tuple>

#include "cordon/base/error.hpp"
#include "cordon/scenario/scenario.hpp"
#include "cordon/sim/model.hpp"
#include "default_model.hpp"
#include "test_networks.hpp"

namespace cordon::scenario {
namespace {

using sim::testing::MakeNetwork;

sim::ModelSpec Bundled(const std::string& name) {
  const char* text = scenario::BundledModelText(name);
  if (!text) throw std::runtime_error("no bundled model " + name);
  return scenario::ParseModelFile(text, name + ".yaml");
}

void SetParameter(sim::ModelSpec& m, const std::string& name, double value) {
  m.parameters.at(std::size_t(m.ParameterIndex(name))).value = value;
}

sim::ModelInputs Data(sim::Network network, std::vector<sim::ModelSeed> seeds,
                      std::vector<sim::TripMatrix> travellers = {}) {
  sim::ModelInputs d;
  d.network = std::move(network);
  d.seeds = std::move(seeds);
  d.travellers = std::move(travellers);
  return d;
}

sim::RunSettings Days(int days) {
  sim::RunSettings s;
  s.days = days;
  return s;
}

double FinalSize(double r0) {
  double z = 0.9;
  for (int n = 0; n < 10000; ++n) z = 1.0 - std::exp(-r0 * z);
  return z;
}

// The sim suites' default model, written in code so that they need no model-file reader
// (tests/sim/default_model.hpp), is the bundled data/models/cordon.yaml: every field the
// kernel reads, expressions by their text.
TEST(ModelFile, TheSimSuitesDefaultModelIsTheBundledOne) {
  const sim::ModelSpec file = Bundled("cordon");
  const sim::ModelSpec code = sim::testing::Cordon();
  EXPECT_EQ(code.name, file.name);
  ASSERT_EQ(code.compartments.size(), file.compartments.size());
  for (std::size_t c = 0; c < file.compartments.size(); ++c) {
    const auto &a = code.compartments[c], &b = file.compartments[c];
    EXPECT_EQ(std::tie(a.name, a.travels, a.infected, a.isolation, a.hospital),
              std::tie(b.name, b.travels, b.infected, b.isolation, b.hospital))
        << b.name;
  }
  EXPECT_EQ(code.initial, file.initial);
  ASSERT_EQ(code.parameters.size(), file.parameters.size());
  for (std::size_t p = 0; p < file.parameters.size(); ++p) {
    const auto &a = code.parameters[p], &b = file.parameters[p];
    EXPECT_EQ(std::tie(a.name, a.value, a.computed.text, a.min, a.max),
              std::tie(b.name, b.value, b.computed.text, b.min, b.max))
        << b.name;
  }
  EXPECT_TRUE(code.derived.empty() && file.derived.empty());
  auto weights = [](const std::vector<std::pair<int, sim::Expression>>& w) {
    std::vector<std::pair<int, std::string>> out;
    for (const auto& [c, e] : w) out.emplace_back(c, e.text);
    return out;
  };
  ASSERT_EQ(code.forces.size(), file.forces.size());
  for (std::size_t f = 0; f < file.forces.size(); ++f) {
    const auto &a = code.forces[f], &b = file.forces[f];
    EXPECT_EQ(std::tie(a.name, a.rate.text, a.outside.text),
              std::tie(b.name, b.rate.text, b.outside.text));
    EXPECT_EQ(weights(a.infectious), weights(b.infectious)) << b.name;
    EXPECT_EQ(weights(a.present), weights(b.present)) << b.name;
  }
  ASSERT_EQ(code.transitions.size(), file.transitions.size());
  for (std::size_t n = 0; n < file.transitions.size(); ++n) {
    const auto &a = code.transitions[n], &b = file.transitions[n];
    EXPECT_EQ(std::tie(a.from, a.to, a.rate.text), std::tie(b.from, b.to, b.rate.text)) << n;
  }
  ASSERT_EQ(code.flows.size(), file.flows.size());
  for (std::size_t f = 0; f < file.flows.size(); ++f) {
    const auto &a = code.flows[f], &b = file.flows[f];
    EXPECT_EQ(std::tie(a.name, a.pairs, a.sources, a.per_patch, a.output, a.counts),
              std::tie(b.name, b.pairs, b.sources, b.per_patch, b.output, b.counts))
        << b.name;
  }
  EXPECT_EQ(std::tie(code.mobility.kind, code.mobility.scale.text, code.mobility.denominator.text,
                     code.mobility.floor),
            std::tie(file.mobility.kind, file.mobility.scale.text, file.mobility.denominator.text,
                     file.mobility.floor));
  EXPECT_EQ(code.arrivals.enabled, file.arrivals.enabled);
  EXPECT_EQ(code.arrivals.destination, file.arrivals.destination);
  EXPECT_EQ(std::tie(code.screening.compartment, code.screening.share.text),
            std::tie(file.screening.compartment, file.screening.share.text));
  EXPECT_EQ(std::tie(code.tracing.enabled, code.tracing.cases, code.tracing.infected_per_case.text,
                     code.tracing.moves),
            std::tie(file.tracing.enabled, file.tracing.cases, file.tracing.infected_per_case.text,
                     file.tracing.moves));
  EXPECT_EQ(code.seed_keys, file.seed_keys);
}

TEST(ModelFile, SeirFinalSizeMatchesTheFinalSizeEquation) {
  for (double r0 : {1.5, 2.38, 3.0}) {
    sim::ModelSpec m = Bundled("seir");
    SetParameter(m, "r0", r0);
    const int infectious = m.CompartmentIndex("I");
    const sim::Model model(m, Data(MakeNetwork({1e7}, {}), {{0, {{infectious, 1.0}}}}));
    const sim::RunResult r = sim::Simulate(model, Days(800));
    EXPECT_NEAR(r.attack_rate[0], FinalSize(r0), 1e-4) << "r0 = " << r0;
  }
}

TEST(ModelFile, SeirEarlyGrowthRateSolvesTheCharacteristicEquation) {
  const double r0 = 2.38;
  sim::ModelSpec m = Bundled("seir");
  const int infectious = m.CompartmentIndex("I");
  const sim::Model model(m, Data(MakeNetwork({1e13}, {}), {{0, {{infectious, 10.0}}}}));
  const sim::RunResult r = sim::Simulate(model, Days(80));
  const double slope = std::log(r.series(80, infectious) / r.series(60, infectious)) / 20.0;
  const double sigma = 1.0 / 3.69, gamma = 1.0 / 3.47;
  const double a = 1.0 / (sigma * gamma), b = 1.0 / sigma + 1.0 / gamma, c = 1.0 - r0;
  EXPECT_NEAR(slope / ((-b + std::sqrt(b * b - 4 * a * c)) / (2 * a)), 1.0, 1e-4);
}

// The commuting force of infection of seir.yaml is the default model's with no detection,
// isolation or checkpoints (two files, one kernel).
TEST(ModelFile, SeirCommutingMatchesTheDefaultModelWithoutInterventions) {
  const auto network = [] {
    return MakeNetwork({5000, 2000, 800},
                       {{0, 1, 0.2, {}}, {1, 0, 0.4, {}}, {1, 2, 0.3, {}}, {2, 0, 0.1, {}}});
  };
  const sim::ModelSpec cordon = sim::testing::PlainSeir(2.38);
  const sim::Model reference(cordon, Data(network(), {sim::testing::Seed(cordon, 2, 0.0, 5.0)}));
  const sim::RunResult expected = sim::Simulate(reference, Days(60));

  const sim::ModelSpec m = Bundled("seir");
  const sim::Model model(m, Data(network(), {{2, {{m.CompartmentIndex("I"), 5.0}}}}));
  const sim::RunResult r = sim::Simulate(model, Days(60));
  for (int day = 0; day <= 60; ++day)
    for (int c = 0; c < 4; ++c)  // S, E, I, R in both
      ASSERT_NEAR(r.series(day, c), expected.series(day, c),
                  1e-10 * std::max(1.0, std::abs(expected.series(day, c))))
          << "day " << day << " column " << c;
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(r.attack_rate[i], expected.attack_rate[i], 1e-12);
}

// Two days of relocation travel among three cities (row = origin, persons per day).
std::vector<sim::TripMatrix> Travellers() {
  std::vector<sim::TripMatrix> days;
  for (double scale : {1.0, 3.0}) {
    std::vector<Eigen::Triplet<double, int>> t = {
        {0, 1, 400 * scale}, {1, 0, 100 * scale}, {1, 2, 250 * scale}, {2, 0, 50 * scale}};
    sim::TripMatrix m(3, 3);
    m.setFromTriplets(t.begin(), t.end());
    days.push_back(m);
  }
  return days;
}

TEST(ModelFile, RelocationConservesPersonsWithoutTheFloor) {
  sim::ModelSpec m = Bundled("li2020");
  m.mobility.floor = 0.0;
  const int e = m.CompartmentIndex("E"), iu = m.CompartmentIndex("Iu");
  const sim::Model model(
      m, Data(MakeNetwork({20000, 9000, 4000}, {}), {{0, {{e, 50.0}, {iu, 50.0}}}}, Travellers()));
  const sim::RunResult r = sim::Simulate(model, Days(20));
  const int n_column = model.Compartments();
  ASSERT_EQ(r.columns[n_column], "N");
  for (int day = 0; day <= 20; ++day) {
    EXPECT_NEAR(r.series(day, n_column), 33000.0, 1e-9 * 33000.0) << day;
    EXPECT_NEAR(r.series.row(day).head(model.Compartments()).sum(), 33000.0, 1e-9 * 33000.0);
  }
  // The travel actually moved people: city 0 sends 400-1200 a day and receives 150-450.
  sim::RunSettings s = Days(20);
  s.record_patch_daily = true;
  const sim::RunResult daily = sim::Simulate(model, s);
  const std::size_t columns = daily.patch_columns.size();
  EXPECT_LT(daily.patch_daily[(20 * columns + n_column) * 3 + 0], 20000.0 - 5000.0);
}

TEST(ModelFile, RelocationKeepsThePopulationAboveItsFloor) {
  const sim::ModelSpec m = Bundled("li2020");  // floor 0.6
  const sim::Model model(m, Data(MakeNetwork({2000, 9000, 4000}, {}), {}, Travellers()));
  sim::RunSettings s = Days(30);
  s.record_patch_daily = true;
  const sim::RunResult r = sim::Simulate(model, s);
  const std::size_t columns = r.patch_columns.size();
  const int n = model.Compartments();
  double lowest = 1e300;
  for (int day = 0; day <= 30; ++day)
    lowest = std::min(lowest, r.patch_daily[(day * columns + n) * 3]);
  EXPECT_NEAR(lowest, 0.6 * 2000, 1e-9);  // city 0 loses 300-900 a day net: held at the floor
}

// Stochastic relocation (Li et al.'s Poisson Runge-Kutta): whole persons, and the mean of
// many runs follows the deterministic run where counts are not small (with a few persons
// in a patch, flows out of a stage state below 0 are dropped, as in the paper's code).
TEST(ModelFile, StochasticRelocationAveragesToTheDeterministicRun) {
  const sim::ModelSpec m = Bundled("li2020");
  const int e = m.CompartmentIndex("E"), iu = m.CompartmentIndex("Iu");
  const sim::Model model(m, Data(MakeNetwork({200000, 90000, 40000}, {}),
                                 {{0, {{e, 2000.0}, {iu, 2000.0}}},
                                  {1, {{e, 500.0}, {iu, 500.0}}},
                                  {2, {{e, 200.0}, {iu, 200.0}}}},
                                 Travellers()));
  const std::vector<int> infected = m.Infected();
  auto prevalence = [&](const sim::RunResult& r, int day) {
    double sum = 0.0;
    for (int c : infected) sum += r.series(day, c);
    return sum;
  };
  const sim::RunResult det = sim::Simulate(model, Days(12));
  sim::RunSettings s = Days(12);
  s.mode = sim::Mode::kStochastic;
  const int runs = 200;
  double mean = 0.0;
  for (int run = 0; run < runs; ++run) {
    const sim::RunResult r = sim::Simulate(model, s, run);
    for (int c = 0; c < model.Compartments(); ++c)
      EXPECT_EQ(r.series(12, c), std::round(r.series(12, c))) << run;
    mean += prevalence(r, 12) / runs;
  }
  EXPECT_GT(prevalence(det, 12), 15000.0);  // it grew from 5,400
  EXPECT_NEAR(mean, prevalence(det, 12), 0.02 * prevalence(det, 12));
}

std::string ErrorOf(const std::string& text) {
  try {
    const sim::ModelSpec m = scenario::ParseModelFile(text, "m.yaml");
    sim::Model(m, Data(MakeNetwork({100}, {}), {}));
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

const char* kHead =
    "name: m\n"
    "compartments: [{name: S}, {name: I, infected: true}, {name: R}]\n"
    "parameters:\n"
    "  beta: {default: 0.3}\n";

TEST(ModelFile, BadFilesFailAtFileLineColumn) {
  EXPECT_EQ(ErrorOf(std::string(kHead) + "transitions:\n  - {from: S, to: Q, rate: beta}\n"),
            "m.yaml:6:19: transitions[0].to: unknown compartment 'Q' (the model has: S, I, R)");
  EXPECT_EQ(ErrorOf(std::string(kHead) + "transitions:\n  - {from: S, to: I, rate: beta * (I}\n"),
            "m.yaml:6:37: transitions[0].rate: expected ')'");
  EXPECT_EQ(ErrorOf(std::string(kHead) + "transitions:\n  - {from: I, to: R, rate: 1 / gamma}\n"),
            "m.yaml:6:32: transitions[0].rate: unknown name 'gamma'");
  EXPECT_EQ(ErrorOf("name: m\ncompartments: [{name: S}, {name: I}]\nparameters:\n"
                    "  beta: {default: -0.3}\ntransitions: []\n"),
            "m.yaml:4:19: parameters.beta.default: must be between 0 and inf, got -0.3");
  EXPECT_EQ(ErrorOf(std::string(kHead) + "transitions:\n  - {from: S, to: I, rate: \"beta *\"}\n"),
            "m.yaml:6:35: transitions[0].rate: unexpected end");
  EXPECT_EQ(ErrorOf(std::string(kHead) + "transition: []\n"),
            "m.yaml:5:1: transition: unknown key 'transition' (expected one of: name, label, "
            "description, compartments, initial, parameters, derived, forces, transitions, "
            "flows, mobility, arrivals, screening, seed_keys, tracing)");
  EXPECT_EQ(ErrorOf("name: m\ncompartments: [{name: S}, {name: S}]\ntransitions: []\n"),
            "m.yaml:2:34: compartments[1].name: the name 'S' is used twice");
  EXPECT_EQ(ErrorOf(std::string(kHead) + "transitions: []\nflows: {x: S -> I}\n"),
            "m.yaml:6:12: flows.x: no transition goes S -> I");
}

// A scenario's disease keys and seeds are checked against the model it names.
class ModelScenarioTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cordon_model_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "cities.csv") << "id,population\nA,1000\nB,500\n";
    std::ofstream(dir_ / "travel.csv") << "date,origin,destination,travellers\n"
                                          "2020-01-10,A,B,10\n2020-01-11,B,A,20\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string ErrorOf(const std::string& extra, const std::vector<std::string>& set = {}) {
    const std::string text =
        "model: li2020\nregion: {villages: {csv: cities.csv}}\n"
        "mobility: {model: od, od: {csv: travel.csv, value: travellers, date: date}}\n" +
        extra;
    try {
      const scenario::Scenario s = scenario::ParseScenario(text, (dir_ / "s.yaml").string(), set);
      scenario::BuildModelInputs(s);
    } catch (const InputError& e) {
      const std::string what = e.what();
      return what.substr(what.find("s.yaml"));
    }
    return "no error";
  }
  std::filesystem::path dir_;
};

TEST_F(ModelScenarioTest, DiseaseKeysAreTheModelsParameters) {
  EXPECT_EQ(ErrorOf("disease: {beta: 1.2, r0: 2}\n"),
            "s.yaml:4:22: disease.r0: model li2020 has no parameter 'r0' (it has: beta, mu, Z, "
            "D, alpha, theta)");
  EXPECT_EQ(ErrorOf("disease: {alpha: 1.5}\n"),
            "s.yaml:4:18: disease.alpha: must be between 0 and 1, got 1.5");
  EXPECT_EQ(ErrorOf("", {"disease.theta=-1"}),
            "s.yaml:1:1: disease.theta: must be between 0 and 10, got -1");
  EXPECT_EQ(ErrorOf("seed_infections: [{village: A, Q: 3}]\n"),
            "s.yaml:4:32: seed_infections[0].Q: unknown key 'Q' (expected village, "
            "spread_by_travel or, for model li2020, S, E, Ir, Iu, R)");
  EXPECT_EQ(ErrorOf("imports: [{to: all, per_day: 1}]\n"),
            "s.yaml:4:10: imports: model li2020 declares no arrivals: (where people arriving from "
            "outside go)");
  EXPECT_EQ(ErrorOf("seed_infections: [{village: A, E: 3}]\n"), "no error");
}

// Under relocation a checkpoint on a pair's route scales that flow by its pass fraction and
// counts the travellers it sees and turns back, in persons (theta x the data).
TEST_F(ModelScenarioTest, CheckpointsActOnRelocationFlows) {
  std::ofstream(dir_ / "checkpoints.csv") << "id,block,screen\nK,0.5,0\n";
  std::ofstream(dir_ / "routes.csv") << "origin,destination,order,checkpoint\nA,B,1,K\n";
  const scenario::Scenario s = scenario::ParseScenario(
      "model: li2020\nregion: {villages: {csv: cities.csv}}\n"
      "mobility: {model: od, od: {csv: travel.csv, value: travellers, date: date}}\n"
      "checkpoints: [{csv: checkpoints.csv}, {routes: {csv: routes.csv}}]\n"
      "disease: {theta: 2}\nsimulation: {days: 3}\n",
      (dir_ / "s.yaml").string());
  const sim::Model model(s.model_spec, scenario::BuildModelInputs(s));
  sim::RunSettings settings = s.simulation;
  settings.record_patch_daily = true;
  const sim::RunResult r = sim::Simulate(model, settings);
  // Day 0: A -> B 10 a day, half turned back: B gains 2 x 5; days 1, 2: B -> A 20 a day.
  EXPECT_NEAR(r.checkpoint_totals(0, sim::kMonitoredCount), 2 * 10.0, 1e-9);
  EXPECT_NEAR(r.checkpoint_totals(0, sim::kCheckpointTurnedBackCount), 2 * 5.0, 1e-9);
  const std::size_t columns = r.patch_columns.size();
  const int n = model.PopulationBlock();
  auto population = [&](int day, int village) {
    return r.patch_daily[(std::size_t(day) * columns + std::size_t(n)) * 2 + std::size_t(village)];
  };
  EXPECT_NEAR(population(1, 1), 500 + 10.0, 1e-9);
  EXPECT_NEAR(population(3, 1), 500 + 10.0 - 2 * 2 * 20.0, 1e-9);
  EXPECT_NEAR(population(3, 0) + population(3, 1), 1500.0, 1e-9);
}

// The travel of a date moves people during that day (docs/model.md, "Days and dates"): the
// table (A -> B 10 on 10 Jan, B -> A 20 on 11 Jan) read from a start date on day 1 or day 0.
TEST_F(ModelScenarioTest, DatedTravelMovesPeopleOnItsOwnDay) {
  auto population_after_day_one = [&](const std::string& start_date) {
    const scenario::Scenario s = scenario::ParseScenario(
        "model: li2020\nregion: {villages: {csv: cities.csv}}\n"
        "mobility: {model: od, od: {csv: travel.csv, value: travellers, date: date}}\n"
        "disease: {theta: 1}\nsimulation: {days: 1, start_date: " +
            start_date + "}\n",
        (dir_ / "s.yaml").string());
    const sim::Model model(s.model_spec, scenario::BuildModelInputs(s));
    sim::RunSettings settings = s.simulation;
    settings.record_patch_daily = true;
    const sim::RunResult r = sim::Simulate(model, settings);
    const std::size_t columns = r.patch_columns.size(), n = std::size_t(model.PopulationBlock());
    return std::array<double, 2>{r.patch_daily[(columns + n) * 2],
                                 r.patch_daily[(columns + n) * 2 + 1]};
  };
  // Day 0 is 9 Jan: day 1 is 10 Jan, when A -> B 10.
  const auto from_9 = population_after_day_one("2020-01-09");
  EXPECT_NEAR(from_9[0], 1000 - 10.0, 1e-9);
  EXPECT_NEAR(from_9[1], 500 + 10.0, 1e-9);
  // Day 0 is 10 Jan (no flows; its travel only seeds): day 1 is 11 Jan, when B -> A 20.
  const auto from_10 = population_after_day_one("2020-01-10");
  EXPECT_NEAR(from_10[0], 1000 + 20.0, 1e-9);
  EXPECT_NEAR(from_10[1], 500 - 20.0, 1e-9);
  // A table that starts later than day 1 has days without travel: refused, naming it.
  try {
    population_after_day_one("2020-01-08");
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "travel.csv: the table starts on 2020-01-10 but simulation.start_date is "
                  "2020-01-08 (a dated table starts on day 0, the start date, or day 1)"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(ModelScenarioTest, SeedsSpreadByTheFirstDaysTravel) {
  const scenario::Scenario s = scenario::ParseScenario(
      "model: li2020\nregion: {villages: {csv: cities.csv}}\n"
      "mobility: {model: od, od: {csv: travel.csv, value: travellers, date: date}}\n"
      "seed_infections: [{village: A, E: 100, Iu: 50, spread_by_travel: 3}]\n",
      (dir_ / "s.yaml").string());
  const sim::ModelInputs in = scenario::BuildModelInputs(s);
  ASSERT_EQ(in.travellers.size(), 2u);
  EXPECT_EQ(in.travellers[0].coeff(0, 1), 10.0);
  EXPECT_EQ(in.travellers[1].coeff(1, 0), 20.0);
  ASSERT_EQ(in.seeds.size(), 2u);
  // B gets round(3 x 10 x 100 / 1000) = 3 exposed and round(3 x 10 x 50 / 1000) = 2 (1.5 up).
  EXPECT_EQ(in.seeds[1].patch, 1);
  EXPECT_EQ(in.seeds[1].persons[0].second, 3.0);
  EXPECT_EQ(in.seeds[1].persons[1].second, 2.0);
}

}  // namespace
}  // namespace cordon::scenario

namespace cordon::scenario {
namespace {

// cordon.yaml writes S, E, I x {home, central} once (a product); it expands in the order
// of docs/model.md, roles from both axes.
TEST(ModelFile, AProductOfAxesExpandsInOrderWithBothAxesRoles) {
  const sim::ModelSpec m = Bundled("cordon");
  std::vector<std::string> names;
  for (const auto& c : m.compartments) names.push_back(c.name);
  EXPECT_EQ(names, (std::vector<std::string>{"S", "E", "I", "R", "Sh", "Eh", "Ih", "Sc", "Ec", "Ic",
                                             "H"}));
  const sim::CompartmentSpec& eh = m.compartments[5];
  EXPECT_EQ(eh.label, "exposed in home isolation");
  EXPECT_FALSE(eh.travels);
  EXPECT_TRUE(eh.infected);
  EXPECT_EQ(eh.isolation, sim::Isolation::kHome);
  EXPECT_EQ(m.compartments[7].isolation, sim::Isolation::kCentral);
  EXPECT_FALSE(m.compartments[7].infected);
}

// Persons are conserved by every bundled model: transitions move people, travel
// moves them between patches (relocation without its floor: N too).
TEST(ModelFile, EveryBundledModelConservesPersons) {
  for (const std::string& name : scenario::BundledModelNames()) {
    sim::ModelSpec m = Bundled(name);
    m.mobility.floor = 0.0;
    const bool relocation = m.mobility.kind == sim::MobilityKind::kRelocation;
    sim::ModelInputs in;
    std::vector<sim::Checkpoint> k(1);
    k[0] = {"K", "village", 0.4, 0.7, 0.0, {2.0, 30.0}, 3.0};
    in.network = relocation ? MakeNetwork({20000, 9000, 4000}, {})
                            : MakeNetwork({20000, 9000, 4000},
                                          {{0, 1, 0.2, {0}}, {1, 2, 0.3, {0}}, {2, 0, 0.1, {}}}, k);
    if (relocation) in.travellers = Travellers();
    in.policies.beds = 5;
    in.policies.contact_reductions = {{"masks", 0.7, {}, {10.0, 1e300}}};
    in.seeds = {{0, {{m.CompartmentIndex("E"), 40.0}}}};
    const sim::Model model(m, std::move(in));
    for (sim::Mode mode : {sim::Mode::kDeterministic, sim::Mode::kStochastic}) {
      if (relocation && mode == sim::Mode::kStochastic) continue;
      sim::RunSettings s = Days(60);
      s.mode = mode;
      const sim::RunResult r = sim::Simulate(model, s, 1);
      for (int day = 0; day <= 60; ++day)
        ASSERT_NEAR(r.series.row(day).head(model.Compartments()).sum(), 33000.0, 33000.0 * 1e-9)
            << name << " day " << day << " mode " << int(mode);
      const int incidence = model.SeriesColumn("incidence");
      ASSERT_GE(incidence, 0) << name;
      EXPECT_GT(r.series.col(incidence).sum(), 100.0) << name << ": the epidemic took off";
    }
  }
}

// Replaces `from` by `to` in `text` once; fails the test when `from` is absent.
void Edit(std::string& text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
}

// A user's own model: a copy of cordon.yaml with an asymptomatic class, made by editing the
// text only. Fever screening never finds A: with everyone asymptomatic nobody is detected,
// at checkpoints that screen every traveller or anywhere else, while A fills.
TEST(ModelFile, AnAsymptomaticClassAddedByEditingTheDefaultModelFile) {
  std::string text = scenario::BundledModelText("cordon");
  Edit(text, "  - {name: I, label: infectious, infected: true}\n",
       "  - {name: I, label: infectious, infected: true}\n"
       "  - {name: A, label: asymptomatic, infected: true}\n");
  Edit(text, "  visit_days: {", "  asymptomatic: {default: 1, range: [0, 1]}\n  visit_days: {");
  Edit(text, "infectious: {I: 1,", "infectious: {I: 1, A: 1,");
  Edit(text, "present: {S: 1, E: 1, I: 1,", "present: {S: 1, E: 1, I: 1, A: 1,");
  Edit(text, "  - {from: E, to: I, rate: 1 / latent_days}\n",
       "  - {from: E, to: I, rate: (1 - asymptomatic) / latent_days}\n"
       "  - {from: E, to: A, rate: asymptomatic / latent_days}\n"
       "  - {from: A, to: R, rate: 1 / infectious_days}\n");
  const sim::ModelSpec m = scenario::ParseModelFile(text, "my-model.yaml");
  sim::ModelInputs in;
  std::vector<sim::Checkpoint> k(1);
  k[0] = {"K", "county", 0.0, 1.0, 0.0, {}, 3.0};  // screens every traveller
  in.network = MakeNetwork({20000, 9000}, {{0, 1, 0.3, {0}}, {1, 0, 0.3, {0}}}, k);
  in.seeds = {{0, {{m.CompartmentIndex("E"), 50.0}}}};
  const sim::Model model(m, std::move(in));
  const sim::RunResult r = sim::Simulate(model, Days(90));
  const int a = model.SeriesColumn("A"), i = model.SeriesColumn("I");
  EXPECT_GT(r.series.col(a).maxCoeff(), 100.0);
  EXPECT_EQ(r.series.col(i).maxCoeff(), 0.0);
  EXPECT_EQ(r.series.col(model.SeriesColumn("detections")).sum(), 0.0);
  EXPECT_EQ(r.series.col(model.SeriesColumn("H")).maxCoeff(), 0.0);
  EXPECT_EQ(r.checkpoint_totals(0, sim::kCheckpointDetectedCount), 0.0);
  EXPECT_GT(r.checkpoint_totals(0, sim::kMonitoredCount), 1000.0);
  EXPECT_GT(r.attack_rate[1], 0.1);  // A travels and infects the other village
}

}  // namespace
}  // namespace cordon::scenario
