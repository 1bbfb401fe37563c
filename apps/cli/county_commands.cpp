// SPDX-License-Identifier: Apache-2.0
// `cordon generate` and `cordon derive`: regions to run scenarios on.
#include <cstdio>

#include "command.hpp"
#include "cordon/data/county_generator.hpp"
#include "cordon/data/region_deriver.hpp"
#include "cordon/data/vector_writer.hpp"

namespace cordon::cli {
namespace {

template <typename Options>
struct RegionState {
  Options options;
  std::string out;
  bool quiet = false;
};

// `cordon generate`: a synthetic county as a GeoPackage.
int Generate(const data::CountyOptions& options, const std::string& out, bool quiet) {
  const auto county = data::GenerateCounty(options);
  data::WriteVectorFile(out, data::CountyLayers(county));
  if (!quiet) {
    double population = 0;
    for (const auto& v : county.villages) population += v.population;
    std::printf(
        "generated %s: %zu townships, %zu villages, %zu groups, %zu roads, %zu gates, "
        "%.0f people\n",
        out.c_str(), county.townships.size(), county.villages.size(), county.groups.size(),
        county.roads.size(), county.gates.size(), population);
  }
  return 0;
}

// `cordon derive`: a synthetic village region from county polygons and the code tree.
int Derive(const data::DeriveOptions& options, const std::string& out, bool quiet) {
  const auto region = data::DeriveRegion(options);
  data::WriteVectorFile(out, data::DerivedLayers(region));
  if (!quiet) {
    double population = 0;
    for (const auto& c : region.counties) population += c.population;
    std::printf(
        "derived %s: %zu counties, %zu towns (%d placed), %zu villages (%d placed), "
        "%.0f people\n",
        out.c_str(), region.counties.size(), region.towns.size(), region.towns_placed,
        region.villages.size(), region.villages_placed, population);
  }
  return 0;
}

}  // namespace

Command AddGenerateCommand(CLI::App& app) {
  auto s = std::make_shared<RegionState<data::CountyOptions>>();
  CLI::App* cmd = app.add_subcommand(
      "generate", "Write a synthetic county (villages, groups, roads) as a GeoPackage");
  cmd->add_option("--out,-o", s->out, "Output .gpkg file")->required();
  cmd->add_option("--villages", s->options.villages, "Villages in the county (1 .. 5,000,000)")
      ->check(CLI::Range(1, 5000000))
      ->capture_default_str();
  cmd->add_option("--groups", s->options.group_grid,
                  "Village groups per village side (2 = 4 groups per village; 1 = none)")
      ->check(CLI::Range(1, 9))
      ->capture_default_str();
  cmd->add_option("--village-km", s->options.village_km, "Mean side of a village, km")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--villages-per-township", s->options.villages_per_township,
                  "Mean villages per township")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  cmd->add_option("--seed", s->options.seed, "Random seed")->capture_default_str();
  cmd->add_flag("--quiet,-q", s->quiet, "Print nothing");
  return {cmd, [s] { return Generate(s->options, s->out, s->quiet); }, nullptr};
}

Command AddDeriveCommand(CLI::App& app) {
  auto s = std::make_shared<RegionState<data::DeriveOptions>>();
  CLI::App* cmd = app.add_subcommand(
      "derive", "Derive synthetic town and village polygons from county polygons and a code tree");
  cmd->add_option("--counties", s->options.counties, "County polygons with census population")
      ->required();
  cmd->add_option("--units", s->options.units, "Code tree CSV (code12, parent12, level, ...)")
      ->required();
  cmd->add_option("--out,-o", s->out, "Output .gpkg file")->required();
  cmd->add_option("--crs", s->options.crs, "Input coordinates: GCJ-02 (default: the files' WGS84)");
  cmd->add_option("--county", s->options.only_counties,
                  "Keep only these county codes (repeatable)");
  cmd->add_option("--seed", s->options.seed, "Random seed for placed points")
      ->capture_default_str();
  cmd->add_flag("--quiet,-q", s->quiet, "Print nothing");
  return {cmd, [s] { return Derive(s->options, s->out, s->quiet); }, nullptr};
}

}  // namespace cordon::cli
