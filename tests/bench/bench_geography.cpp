// SPDX-License-Identifier: Apache-2.0
// Building the network of a generated county: load the village and road
// layers (GeoPackage) and reproject, route every origin to its nearest 50
// destinations, apply the gravity model, with a township cordon. Counties of
// 1e3, 1e5 and 1e6 villages are generated once into CORDON_BENCH_DIR
// (default /tmp/cordon-bench) and reused.
//
//   cordon_geo_bench                                        all sizes
//   /usr/bin/time -v cordon_geo_bench --benchmark_filter=/1000000   peak memory at 1e6
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "cordon/data/county_generator.hpp"
#include "cordon/geo/geography.hpp"
#include "cordon/scenario/scenario.hpp"

namespace {

namespace fs = std::filesystem;

std::string County(int villages) {
  const char* env = std::getenv("CORDON_BENCH_DIR");
  const fs::path dir = env ? env : "/tmp/cordon-bench";
  fs::create_directories(dir);
  const fs::path gpkg = dir / ("county-" + std::to_string(villages) + ".gpkg");
  if (!fs::exists(gpkg)) {
    cordon::data::CountyOptions o;
    o.villages = villages;
    o.group_grid = 1;
    cordon::data::WriteVectorFile(gpkg.string(),
                                  cordon::data::CountyLayers(cordon::data::GenerateCounty(o)));
  }
  const fs::path yaml = dir / ("county-" + std::to_string(villages) + ".yaml");
  std::ofstream(yaml) << "region:\n"
                         "  villages: {path: "
                      << gpkg.filename().string()
                      << ", layer: villages, id: code, name: name, population: population,"
                         " parent: [county, township]}\n"
                         "  roads: {path: "
                      << gpkg.filename().string()
                      << ", layer: roads, speed: speed_kmh}\n"
                         "mobility: {model: gravity, trips_per_person: 0.3, max_km: 50, "
                         "max_destinations: 50}\n"
                         "checkpoints: [{cordon: township, block: 0.3}]\n";
  return yaml.string();
}

double PeakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

void BM_BuildGeoModel(benchmark::State& state) {
  const int villages = static_cast<int>(state.range(0));
  const cordon::scenario::Scenario scenario = cordon::scenario::LoadScenario(County(villages));
  cordon::geo::Geography geo;
  for (auto _ : state) {
    cordon::geo::GeoModel model = cordon::geo::BuildGeoModel(scenario.geo, 0);
    benchmark::DoNotOptimize(model.network.trips.nonZeros());
    geo = std::move(model.geography);
  }
  state.counters["load_s"] = geo.load_s;
  state.counters["route_s"] = geo.route_s;
  state.counters["mobility_s"] = geo.mobility_s;
  state.counters["od_pairs"] = static_cast<double>(geo.routes);
  state.counters["checkpoints"] = static_cast<double>(geo.checkpoint_points.size());
  state.counters["peak_rss_mb"] = PeakRssMb();
}
BENCHMARK(BM_BuildGeoModel)
    ->Arg(1000)
    ->Arg(100000)
    ->Arg(1000000)
    ->Iterations(1)
    ->Unit(benchmark::kSecond);

}  // namespace
