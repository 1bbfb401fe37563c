// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: any bytes as one of the CSV tables of a network-table scenario (villages,
// an OD table plain or dated by date or day, checkpoints, routes) must be read or refused
// with a cordon::Error, never a crash, a hang or another exception.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "cordon/base/error.hpp"
#include "cordon/geo/od_table.hpp"
#include "cordon/scenario/scenario.hpp"

namespace {

std::filesystem::path Dir() {
  return std::filesystem::temp_directory_path() /
         ("cordon_fuzz_tables_" + std::to_string(::getpid()));
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  std::filesystem::create_directories(Dir());
  std::ofstream(Dir() / "villages.csv") << "id,population\nA,1000\nB,500\nC,20\n";
  std::ofstream(Dir() / "od.csv") << "origin,destination,travellers\nA,B,10\n";
  std::ofstream(Dir() / "commute.csv")
      << "origin,destination,trips_per_person_per_day\nA,B,0.1\nB,C,0.2\nC,A,0.05\n";
  std::ofstream(Dir() / "checkpoints.csv") << "id,level,block,screen,isolate,start,end\nK1,"
                                              "township,0.5,0.8,0.5,2,\nK2,village,0.2,0.3,0,0,9\n";
  std::ofstream(Dir() / "routes.csv")
      << "origin,destination,order,checkpoint\nA,B,1,K1\nA,B,2,K2\nB,C,1,K2\n";
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string table = (Dir() / "table.csv").string();
  std::ofstream(table, std::ios::binary)
      .write(reinterpret_cast<const char*>(data), std::streamsize(size));
  const cordon::geo::IdIndex villages = {{"A", 0}, {"B", 1}, {"C", 2}};
  cordon::geo::OdColumns dated;
  dated.value = "travellers";
  dated.date = "date";
  cordon::geo::OdColumns days = dated;
  days.date.clear();
  days.day = "day";
  auto quietly = [](auto&& read) {
    try {
      read();
    } catch (const cordon::Error&) {
      // Expected for bad input.
    }
  };
  quietly([&] { cordon::geo::ReadDatedOd(table, villages, 3, dated); });
  quietly([&] { cordon::geo::ReadDatedOd(table, villages, 3, days); });
  quietly([&] { cordon::geo::ReadOdTable(table, villages); });
  // The table as a relocation scenario's travel, and as its villages (with coordinates).
  const std::string dir = Dir().string();
  quietly([&] {
    const auto s = cordon::scenario::ParseScenario(
        "model: li2020\nregion: {villages: {csv: villages.csv}}\n"
        "mobility: {model: od, od: {csv: table.csv, value: travellers, date: date}}\n",
        dir + "/a.yaml");
    cordon::scenario::BuildModelInputs(s);
  });
  quietly([&] {
    const auto s = cordon::scenario::ParseScenario(
        "model: li2020\nregion: {villages: {csv: table.csv, x: x, y: y}}\n"
        "mobility: {model: od, od: {csv: od.csv}}\n",
        dir + "/b.yaml");
    cordon::scenario::BuildModelInputs(s);
  });
  // The table as a commuting scenario's checkpoints, and as its routes; the model built.
  for (const char* tables : {"checkpoints: [{csv: table.csv}, {routes: {csv: routes.csv}}]\n",
                             "checkpoints: [{csv: checkpoints.csv}, {routes: {csv: table.csv}}]\n"})
    quietly([&] {
      const auto s = cordon::scenario::ParseScenario(
          std::string("region: {villages: {csv: villages.csv}}\n"
                      "mobility: {model: od, od: {csv: commute.csv}}\n") +
              tables,
          dir + "/c.yaml");
      cordon::sim::Model(s.model_spec, cordon::scenario::BuildModelInputs(s));
    });
  return 0;
}
