// SPDX-License-Identifier: Apache-2.0
// End-to-end with geometry: `cordon generate` and the demo, results.gpkg
// read back with GDAL, and every bad GIS input -> one line naming the file,
// feature and key, exit code 2 (or a repair with a warning where one is safe).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "cli_support.hpp"
#include "cordon/data/netcdf_series.hpp"
#include "cordon/data/vector_io.hpp"
#include "cordon/engine/results_reader.hpp"
#include "cordon/geo/geography.hpp"
#include "cordon/scenario/scenario.hpp"

namespace {

namespace fs = std::filesystem;
using cordon::test::Result;
using cordon::test::RunCordon;

// A GeoJSON polygon square [x0, x0 + 0.02] x [28.40, 28.42] (about 2 km).
std::string Square(double x0, const std::string& z = "") {
  // Appends rather than operator+ chains: GCC 12 warns falsely (-Wrestrict) on those.
  auto p = [&](double x, double y) {
    std::string s = "[";
    s.append(std::to_string(x)).append(",").append(std::to_string(y)).append(z).append("]");
    return s;
  };
  std::string s = R"({"type":"Polygon","coordinates":[[)";
  s.append(p(x0, 28.40)).append(",").append(p(x0 + 0.02, 28.40)).append(",");
  s.append(p(x0 + 0.02, 28.42)).append(",").append(p(x0, 28.42)).append(",");
  s.append(p(x0, 28.40)).append("]]}");
  return s;
}

std::string Feature(const std::string& properties, const std::string& geometry) {
  return R"({"type":"Feature","properties":{)" + properties + R"(},"geometry":)" + geometry + "}";
}

std::string Collection(const std::vector<std::string>& features) {
  std::string s = R"({"type":"FeatureCollection","features":[)";
  for (std::size_t k = 0; k < features.size(); ++k) s += (k ? ",\n" : "\n") + features[k];
  return s + "]}\n";
}

class GisCli : public cordon::test::CliFixture {
 protected:
  GisCli() : CliFixture("cordon_gis_cli_") {}

  void SetUp() override {
    CliFixture::SetUp();
    WriteVillages({Village("533422100201", "升平镇", "1200", 98.90),
                   Village("533422100202", "Phường Nguyễn Trung Trực", "800", 98.92),
                   Village("533422100203", "奔子栏村", "500", 98.94)});
    Write("roads.geojson",
          Collection(
              {Feature(R"("kind":"highway","speed":60)",
                       R"({"type":"LineString","coordinates":[[98.89,28.41],[98.97,28.41]]})")}));
    Write("checkpoints.geojson",
          Collection({Feature(R"("id":"K1","block":0.5,"screen":0.8)",
                              R"({"type":"Point","coordinates":[98.92,28.4105]})")}));
  }

  static std::string Village(const std::string& code, const std::string& name,
                             const std::string& pop, double x0, const std::string& town = "T1") {
    return Feature(R"("code":")" + code + R"(","name":")" + name + R"(","pop":)" + pop +
                       R"(,"town":")" + town + R"(")",
                   Square(x0));
  }
  void WriteVillages(const std::vector<std::string>& features) {
    Write("villages.geojson", Collection(features));
  }
  std::string Scenario(const std::string& villages_extra = "", const std::string& extra = "") {
    return "region:\n"
           "  villages: {path: villages.geojson, id: code, name: name, population: pop, parent: "
           "[town]" +
           villages_extra +
           "}\n"
           "  roads: {path: roads.geojson, speed: speed}\n"
           "mobility: {model: gravity, trips_per_person: 0.3, max_km: 50}\n"
           "checkpoints:\n"
           "  - {path: checkpoints.geojson}\n"
           "  - {cordon: town, block: 0.2}\n"
           "imports: [{to: all, per_day: 20, days: [0, 10], infectious: 0.05}]\n"
           "simulation: {days: 20}\n" +
           extra;
  }
  Result Run(const std::string& scenario) {
    Write("s.yaml", scenario);
    return RunCordon("run " + (dir_ / "s.yaml").string() + " --out " + (dir_ / "out").string(),
                     dir_);
  }
  // Runs `scenario`: exit code 2 and one stderr line holding every needle.
  void ExpectScenarioError(const std::string& scenario,
                           std::initializer_list<std::string> needles) {
    Write("s.yaml", scenario);
    ExpectInputError("run " + Path("s.yaml") + " --out " + Path("out"), needles);
  }
};

TEST_F(GisCli, ResultsGpkgCarriesNamesMetricsAndDailyTable) {
  const Result r = Run(Scenario());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("network             3 villages, 6 OD pairs, 3 checkpoints, 2 gates"),
            std::string::npos)
      << r.out;
  const std::string gpkg = (dir_ / "out" / "results.gpkg").string();
  using cordon::data::ReadVectorLayer;
  const auto villages = ReadVectorLayer(gpkg, "villages");
  ASSERT_EQ(villages.features.size(), 3u);
  const int name = villages.FieldIndex("name"), attack = villages.FieldIndex("attack_rate");
  ASSERT_GE(name, 0);
  ASSERT_GE(attack, 0);
  EXPECT_EQ(villages.features[0].values[name], "升平镇");
  EXPECT_EQ(villages.features[1].values[name], "Phường Nguyễn Trung Trực");
  EXPECT_GT(std::stod(villages.features[0].values[attack]), 0.0);
  // Written back in the input's CRS (lon/lat), not the working CRS.
  EXPECT_NEAR(cordon::data::Bounds(villages.features[0].polygons).min_x, 98.90, 1e-7);
  const auto daily = ReadVectorLayer(gpkg, "daily");
  EXPECT_EQ(daily.features.size(), 3u * 21u);
  const auto checkpoints = ReadVectorLayer(gpkg, "checkpoints");
  ASSERT_EQ(checkpoints.features.size(), 3u);  // K1 and the town cordon's two border gates
  const int turned = checkpoints.FieldIndex("turned_back");
  EXPECT_GT(std::stod(checkpoints.features[0].values[turned]), 0.0);
}

// With a start_date, QGIS's Temporal Controller can animate results.gpkg as it is: the
// spatial view villages_daily (every village-day with its polygon) has a date field, and a
// filter on one date gives one row per village; per-day CSVs get a last `date` column.
TEST_F(GisCli, ResultsGpkgHasADatedSpatialViewForQgis) {
  std::string scenario = Scenario();
  scenario.replace(scenario.find("simulation: {days: 20}"), 22,
                   "simulation: {days: 20, start_date: 2020-01-24}");
  const Result r = Run(scenario);
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string gpkg = (dir_ / "out" / "results.gpkg").string();
  const auto view = cordon::data::ReadVectorLayer(gpkg, "villages_daily");
  ASSERT_EQ(view.features.size(), 3u * 21u);
  const int date = view.FieldIndex("date"), day = view.FieldIndex("day");
  ASSERT_GE(date, 0);
  ASSERT_GE(day, 0);
  int on_feb_1 = 0;
  for (const auto& f : view.features) {
    EXPECT_FALSE(f.polygons.empty()) << "a village-day without its polygon";
    if (f.values[date] == "2020-02-01") {
      ++on_feb_1;
      EXPECT_EQ(f.values[day], "8");
    }
  }
  EXPECT_EQ(on_feb_1, 3);
  // What QGIS and ogr2ogr see: a geometry column, the date field, a filter by date.
  const Result info = RunCordon("ogrinfo -so " + gpkg + " villages_daily", dir_, true);
  EXPECT_NE(info.out.find("Geometry: Multi Polygon"), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("date: Date"), std::string::npos) << info.out;  // QGIS: a date type
  const Result filtered = RunCordon(
      "ogr2ogr -f CSV /vsistdout/ " + gpkg + " villages_daily -where \"date = '2020-02-01'\"", dir_,
      true);
  EXPECT_EQ(std::count(filtered.out.begin(), filtered.out.end(), '\n'), 1 + 3) << filtered.out;
  const std::string series = cordon::test::Slurp(dir_ / "out" / "series.csv");
  EXPECT_NE(series.find(",turned_back,date\n0,"), std::string::npos);
  EXPECT_NE(series.find(",2020-02-13\n"), std::string::npos);  // day 20
  const auto region = cordon::data::ReadVectorLayer(gpkg, "region_daily");
  EXPECT_GE(region.FieldIndex("date"), 0);
}

// The daily table is written a day at a time (never held whole) and read back by the viewer
// row by row. An ensemble's table holds the mean over runs: summed over villages it gives the
// region series (to the table's float precision).
TEST_F(GisCli, StreamedDailyTableReadsBackAndAddsUpToTheSeries) {
  std::string scenario = Scenario();
  scenario.replace(scenario.find("simulation: {days: 20}"), 22,
                   "simulation: {days: 20, mode: stochastic, runs: 3}");
  const Result r = Run(scenario);
  ASSERT_EQ(r.code, 0) << r.err;
  const cordon::engine::DisplayRun back = cordon::engine::LoadResultsFolder(Path("out"));
  const std::size_t states = back.result.state_columns, patches = 3;
  ASSERT_EQ(back.result.patch_daily.size(), 21 * states * patches);
  const int s_col = 0;  // S, the model's first compartment
  ASSERT_EQ(back.result.patch_columns[s_col], "S");
  // series.csv's S column, day by day.
  std::istringstream series(cordon::test::Slurp(dir_ / "out" / "series.csv"));
  std::string line;
  std::getline(series, line);
  ASSERT_EQ(line.rfind("day,S,", 0), 0u) << line;
  for (int day = 0; day <= 20; ++day) {
    ASSERT_TRUE(std::getline(series, line));
    const double region_s = std::stod(line.substr(line.find(',') + 1));
    double sum = 0;
    for (std::size_t i = 0; i < patches; ++i)
      sum += back.result.patch_daily[(day * states + s_col) * patches + i];
    EXPECT_NEAR(sum, region_s, 1e-6 * region_s) << "day " << day;
  }
  // The rows the viewer read are the rows GDAL sees.
  const auto daily = cordon::data::ReadVectorLayer(Path("out/results.gpkg"), "daily");
  ASSERT_EQ(daily.features.size(), 21u * patches);
  const int vid = daily.FieldIndex("village_id"), day = daily.FieldIndex("day"),
            s = daily.FieldIndex("S");
  for (const auto& f : daily.features) {
    const std::size_t i =
        std::size_t(std::find(back.network.ids.begin(), back.network.ids.end(), f.values[vid]) -
                    back.network.ids.begin());
    ASSERT_LT(i, patches);
    const double value = std::stod(f.values[s]);  // as text: to about 6 digits
    EXPECT_NEAR(value, back.result.patch_daily[(std::stoul(f.values[day]) * states) * patches + i],
                1e-5 * value);
  }
}

// A daily table edited by hand to hold a day the run never had is a one-line error naming
// the feature and field, never a table sized by it.
TEST_F(GisCli, ADailyRowBeyondTheRunIsAnErrorNotATable) {
  ASSERT_EQ(Run(Scenario()).code, 0);
  const Result edit = RunCordon("ogrinfo -q " + Path("out/results.gpkg") +
                                    " -dialect SQLITE -sql \"UPDATE daily SET day = 900000 WHERE "
                                    "fid = 5\"",
                                dir_, true);
  ASSERT_EQ(edit.code, 0) << edit.err;
  try {
    cordon::engine::LoadResultsFolder(Path("out"));
    ADD_FAILURE() << "a day beyond the run was read";
  } catch (const cordon::InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("results.gpkg (layer daily) feature 5: field 'day'"), std::string::npos)
        << what;
    EXPECT_NE(what.find("from 0 to 20"), std::string::npos) << what;
  }
}

// simulation.daily: false leaves the daily table (and its view) out; the viewer says why.
TEST_F(GisCli, DailyFalseLeavesTheDailyTableOut) {
  std::string scenario = Scenario();
  scenario.replace(scenario.find("simulation: {days: 20}"), 22,
                   "simulation: {days: 20, daily: false}");
  const Result r = Run(scenario);
  ASSERT_EQ(r.code, 0) << r.err;
  const Result info = RunCordon("ogrinfo -so " + Path("out/results.gpkg"), dir_, true);
  EXPECT_NE(info.out.find("villages"), std::string::npos) << info.out;
  EXPECT_EQ(info.out.find(": daily ("), std::string::npos) << info.out;
  EXPECT_EQ(info.out.find("villages_daily"), std::string::npos) << info.out;
  try {
    cordon::engine::LoadResultsFolder(Path("out"));
    ADD_FAILURE() << "a folder without a daily table opened";
  } catch (const cordon::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("simulation.daily: false"), std::string::npos) << e.what();
  }
  ExpectScenarioError(Scenario("", "").replace(Scenario().find("simulation: {days: 20}"), 22,
                                               "simulation: {days: 20, daily: yes}"),
                      {"s.yaml:", "simulation.daily", "expected true, false, nc or csv"});
  // daily: nc puts a GIS run's daily values in daily.nc (positions in WGS84 from the
  // village anchors) instead of results.gpkg's daily table.
  std::string nc = Scenario();
  nc.replace(nc.find("simulation: {days: 20}"), 22, "simulation: {days: 20, daily: nc}");
  Write("nc.yaml", nc);
  const Result n = RunCordon("run " + Path("nc.yaml") + " -q --out " + Path("nc"), dir_);
  ASSERT_EQ(n.code, 0) << n.err;
  const Result nc_info = RunCordon("ogrinfo -so " + Path("nc/results.gpkg"), dir_, true);
  EXPECT_EQ(nc_info.out.find(": daily ("), std::string::npos) << nc_info.out;
  const cordon::data::SeriesFile file = cordon::data::ReadSeriesNetcdf(Path("nc/daily.nc"));
  EXPECT_EQ(file.layout.days, 20);
  ASSERT_FALSE(file.layout.lon.empty());
  EXPECT_GT(file.layout.lon[0], 98.0);
  EXPECT_LT(file.layout.lon[0], 100.0);
  // The folder still draws (cordon render, the viewer): its villages' states from daily.nc,
  // everyone somewhere on day 0.
  const cordon::engine::DisplayRun folder = cordon::engine::LoadResultsFolder(Path("nc"));
  const std::size_t villages = file.layout.ids.size();
  ASSERT_EQ(folder.result.patch_daily.size(), 21 * folder.result.state_columns * villages);
  double day0 = 0;
  for (std::size_t k = 0; k < folder.result.state_columns * villages; ++k)
    day0 += folder.result.patch_daily[k];
  EXPECT_NEAR(day0, folder.network.population.sum(), 1e-3 * folder.network.population.sum());
}

// region.labels names the units above the villages for the maps; a field it lacks is one
// line naming the file and key.
TEST_F(GisCli, UnitLabelsComeFromALayerAndBadFieldsSayWhich) {
  Write("towns.geojson", Collection({Feature(R"("code":"T1","name":"升平镇")", Square(98.90))}));
  const std::string labelled = Scenario("}\n  labels: {path: towns.geojson, id: code, name: name");
  Write("s.yaml", labelled);
  const cordon::scenario::Scenario s = cordon::scenario::LoadScenario(Path("s.yaml"));
  const cordon::geo::GeoModel built = cordon::geo::BuildGeoModel(s.geo);
  ASSERT_EQ(built.geography.labels.size(), 1u);
  const auto& label = built.geography.labels[0];
  EXPECT_EQ(label.text, "升平镇");
  EXPECT_DOUBLE_EQ(label.population, 2500.0) << "the three villages of T1";
  EXPECT_NEAR(label.span_m, 0.06 * 97800, 0.06 * 97800 * 0.05) << "three 0.02-degree squares";
  ExpectScenarioError(Scenario("}\n  labels: {path: towns.geojson, id: code, name: nom"),
                      {"towns.geojson", "region.labels.name", "no field 'nom'"});
}

TEST_F(GisCli, GeneratedDemoCountyRunsTheDemo) {
  const Result gen =
      RunCordon("generate --villages 50 --out " + (dir_ / "demo-county.gpkg").string(), dir_);
  ASSERT_EQ(gen.code, 0) << gen.err;
  EXPECT_NE(gen.out.find("50 villages, 200 groups"), std::string::npos) << gen.out;
  fs::copy(fs::path(SAMPLES_DIR) / "demo.yaml", dir_ / "demo.yaml");
  const Result r =
      RunCordon("run " + (dir_ / "demo.yaml").string() + " --out " + (dir_ / "out").string(), dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("attack rate"), std::string::npos);
  EXPECT_NE(r.out.find("results.gpkg"), std::string::npos);
  const auto checkpoints =
      cordon::data::ReadVectorLayer((dir_ / "out" / "results.gpkg").string(), "checkpoints");
  std::map<std::string, int> per_level;
  const int level = checkpoints.FieldIndex("level");
  for (const auto& f : checkpoints.features) ++per_level[f.values[level]];
  EXPECT_EQ(per_level.size(), 4u) << "county, township, village and group checkpoints";
  EXPECT_EQ(per_level["county"], 4) << "one per gate";
  EXPECT_GT(per_level["group"], per_level["village"]);
  EXPECT_GT(per_level["village"], per_level["township"]);
}

TEST_F(GisCli, BadVillageLayers) {
  WriteVillages({Village("A", "a", "100", 98.90), Village("A", "b", "100", 98.92)});
  ExpectScenarioError(Scenario(),
                      {"villages.geojson (layer villages) feature 1: duplicate id 'A'"});
  WriteVillages({Village("A", "a", "null", 98.90)});
  ExpectScenarioError(Scenario(), {"feature 0 (id A): field 'pop' (population) is empty"});
  WriteVillages({Village("A", "a", "\"many\"", 98.90)});
  ExpectScenarioError(Scenario(),
                      {"feature 0 (id A): field 'pop' (population): 'many' is not a number"});
  WriteVillages({Village("A", "a", "-5", 98.90)});
  ExpectScenarioError(Scenario(), {"(population) must be >= 0, got -5"});
  WriteVillages({Village("A", "a", "5", 98.90, "")});
  ExpectScenarioError(Scenario(), {"feature 0 (id A): parent field 'town' is empty"});
  WriteVillages({Village("A", "a", "5", 98.90)});
  ExpectScenarioError(Scenario(", layer: communes"), {"villages.geojson: no layer 'communes'"});
  ExpectScenarioError(
      "region:\n  villages: {path: villages.geojson, id: commune, population: pop}\n"
      "mobility: {model: gravity}\n",
      {"region.villages.id: no field 'commune' (fields: code, name, pop, town)"});
  ExpectScenarioError(
      "region:\n  villages: {path: villages.geojson, id: code, population: people}\n"
      "mobility: {model: gravity}\n",
      {"region.villages.population: no field 'people'"});
  ExpectScenarioError(Scenario(", crs: EPSG:999999"), {"unknown CRS 'EPSG:999999'"});
  ExpectScenarioError("region:\n  villages: {path: nowhere.gpkg}\nmobility: {model: gravity}\n",
                      {"s.yaml:2:20: region.villages.path: file not found"});
  // The roads given as the village layer.
  ExpectScenarioError(
      "region:\n  villages: {path: roads.geojson}\nmobility: {model: gravity}\n",
      {"roads.geojson (layer roads) feature 0: expected polygon geometry, got LINESTRING"});
}

// Polygons that crashed `cordon run` (issue 15): MakeValid turns one without
// area into lines, whose kind was then reported from freed memory; NaN
// coordinates cannot be repaired. Both are one line and exit 2 (and clean
// under ASan, where the CLI tests run too).
TEST_F(GisCli, PolygonsWithoutAreaOrWithNanCoordinates) {
  WriteVillages({Village("A", "a", "100", 98.90),
                 Feature(R"("code":"B","name":"b","pop":100,"town":"T1")",
                         R"({"type":"Polygon","coordinates":[[[98.92,28.40],[98.93,28.40],)"
                         R"([98.94,28.40],[98.92,28.40]]]})")});
  ExpectScenarioError(Scenario(), {"villages.geojson (layer villages) feature 1: expected polygon "
                                   "geometry, got MULTILINESTRING"});
  WriteVillages({Village("A", "a", "100", 98.90),
                 Feature(R"("code":"B","name":"b","pop":100,"town":"T1")",
                         R"({"type":"Polygon","coordinates":[[[98.92,28.40],[NaN,28.40],)"
                         R"([98.93,28.42],[98.92,28.42],[98.92,28.40]]]})")});
  ExpectScenarioError(Scenario(), {"villages.geojson (layer villages) feature 1: invalid polygon"});
}

// A GBK Shapefile with nothing saying so (no .cpg, code-page byte 0): a
// warning and valid UTF-8 outputs; with `encoding: CP936` the names are right.
TEST_F(GisCli, LegacyEncodedShapefile) {
  WriteVillages({Village("A", "升平镇", "100", 98.90), Village("B", "奔子栏村", "200", 98.92)});
  ASSERT_EQ(std::system(("cd " + dir_.string() +
                         " && ogr2ogr -f 'ESRI Shapefile' -lco ENCODING=CP936 gbk.shp "
                         "villages.geojson && rm gbk.cpg && printf '\\000' | dd of=gbk.dbf "
                         "bs=1 seek=29 conv=notrunc 2>/dev/null")
                            .c_str()),
            0);
  const std::string layer = "villages: {path: gbk.shp, id: code, name: name, population: pop";
  std::string scenario = Scenario();
  scenario.replace(scenario.find("villages: {path: villages.geojson, id: code, name: name, "
                                 "population: pop, parent: [town]"),
                   std::string("villages: {path: villages.geojson, id: code, name: name, "
                               "population: pop, parent: [town]")
                       .size(),
                   layer + ", parent: [town]");
  const Result plain = Run(scenario);
  ASSERT_EQ(plain.code, 0) << plain.err;
  EXPECT_NE(plain.err.find("gbk.shp (layer gbk) feature 0: field 'name' is not UTF-8 text"),
            std::string::npos)
      << plain.err;
  const auto villages =
      cordon::data::ReadVectorLayer((dir_ / "out" / "results.gpkg").string(), "villages");
  const int name = villages.FieldIndex("name");
  for (const auto& f : villages.features) {
    EXPECT_EQ(cordon::data::ValidUtf8(f.values[name]), f.values[name]);
    EXPECT_NE(f.values[name].find("\xEF\xBF\xBD"), std::string::npos);
  }
  const std::string csv = cordon::test::Slurp(dir_ / "out" / "villages.csv");
  EXPECT_EQ(cordon::data::ValidUtf8(csv), csv);

  scenario.replace(scenario.find(layer), layer.size(), layer + ", encoding: CP936");
  const Result gbk = Run(scenario);
  ASSERT_EQ(gbk.code, 0) << gbk.err;
  EXPECT_EQ(gbk.err.find("not UTF-8"), std::string::npos) << gbk.err;
  const auto named =
      cordon::data::ReadVectorLayer((dir_ / "out" / "results.gpkg").string(), "villages");
  std::map<std::string, std::string> names;
  for (const auto& f : named.features)
    names[f.values[named.FieldIndex("id")]] = f.values[named.FieldIndex("name")];
  EXPECT_EQ(names["A"], "升平镇");
  EXPECT_EQ(names["B"], "奔子栏村");

  // Ids whose bytes would be replaced could merge two villages: an error instead.
  WriteVillages({Village("升平", "a", "100", 98.90)});
  ASSERT_EQ(std::system(("cd " + dir_.string() +
                         " && rm -f gbk.* && ogr2ogr -f 'ESRI Shapefile' -lco ENCODING=CP936 "
                         "gbk.shp villages.geojson && rm gbk.cpg && printf '\\000' | dd "
                         "of=gbk.dbf bs=1 seek=29 conv=notrunc 2>/dev/null")
                            .c_str()),
            0);
  scenario.replace(scenario.find(", encoding: CP936"), 17, "");
  ExpectScenarioError(scenario, {"gbk.shp (layer gbk) feature 0: field 'code' is not UTF-8 text",
                                 "encoding: CP936"});
}

// Latitude first in a longitude/latitude file: the message names the layer file.
TEST_F(GisCli, SwappedCoordinatesNameTheLayerFile) {
  WriteVillages({Feature(R"("code":"A","name":"a","pop":100,"town":"T1")",
                         R"({"type":"Polygon","coordinates":[[[28.40,98.90],[28.40,98.92],)"
                         R"([28.42,98.92],[28.42,98.90],[28.40,98.90]]]})")});
  ExpectScenarioError(Scenario(), {"villages.geojson (layer villages): the data's centre is at "
                                   "latitude 98.91",
                                   "are x and y swapped"});
}

TEST_F(GisCli, LayerWithoutCrsNeedsOne) {
  Write("villages.csv",
        "code,pop,town,WKT\nA,100,T1,\"POLYGON ((98.9 28.4,98.92 28.4,98.92 28.42,98.9 28.42,98.9 "
        "28.4))\"\n");
  const std::string s =
      "region:\n  villages: {path: villages.csv, id: code, population: pop%}\n"
      "mobility: {model: gravity}\n";
  std::string without = s, with = s;
  without.replace(without.find('%'), 1, "");
  with.replace(with.find('%'), 1, ", crs: EPSG:4326");
  ExpectScenarioError(without,
                      {"villages.csv (layer villages): has no CRS", "region.villages.crs"});
  const Result r = Run(with);
  EXPECT_EQ(r.code, 0) << r.err;
}

TEST_F(GisCli, BadRoadsAndCheckpoints) {
  Write("roads.geojson",
        Collection(
            {Feature(R"("speed":"fast")",
                     R"({"type":"LineString","coordinates":[[98.89,28.41],[98.97,28.41]]})")}));
  ExpectScenarioError(
      Scenario(), {"roads.geojson (layer roads) feature 0: field 'speed' (speed, km/h) must be a "
                   "positive number, got 'fast'"});
  SetUp();
  Write("checkpoints.geojson",
        Collection({Feature(R"("id":"K9")", R"({"type":"Point","coordinates":[98.92,28.4175]})")}));
  ExpectScenarioError(Scenario(),
                      {"checkpoints.geojson (layer checkpoints) feature 0: checkpoint 'K9' is",
                       "m from the nearest road (snap_m 500)"});
  Write("checkpoints.geojson",
        Collection({Feature(R"("id":"K1","block":1.5)",
                            R"({"type":"Point","coordinates":[98.92,28.4105]})")}));
  ExpectScenarioError(Scenario(),
                      {"feature 0: field 'block': '1.5' must be a number between 0 and 1"});
  SetUp();
  const std::string s = Scenario();
  std::string bad = s;
  bad.replace(bad.find("{cordon: town"), 13, "{cordon: province");
  ExpectScenarioError(
      bad,
      {"s.yaml:", "checkpoints[1].cordon: unknown admin level 'province' (levels: town, village)"});
  std::string gravity_without_geometry =
      "region:\n  villages: {csv: v.csv}\nmobility: {model: gravity}\n";
  Write("v.csv", "id,population\nA,1\n");
  ExpectScenarioError(gravity_without_geometry,
                      {"s.yaml:3:19: mobility.model: the gravity model needs village geometry"});
}

TEST_F(GisCli, VillagesFarFromAnyRoadAreJoinedAndReported) {
  WriteVillages({Village("533422100201", "a", "100", 98.90),
                 Village("533422100202", "b", "100", 98.92),
                 Village("FAR", "c", "100", 99.20)});  // about 25 km east of the road's end
  const Result r = Run(Scenario());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("warning: 1 village(s) lie over 5 km from any road (e.g. 'FAR')"),
            std::string::npos)
      << r.err;
}

TEST_F(GisCli, RepairsAreMadeAndReported) {
  // A bow-tie ring and a 3D polygon: both loadable, both reported.
  const std::string bow =
      R"({"type":"Polygon","coordinates":[[[98.90,28.40],[98.92,28.42],[98.92,28.40],[98.90,28.42],[98.90,28.40]]]})";
  WriteVillages({Feature(R"("code":"A","name":"a","pop":100,"town":"T1")", bow),
                 Feature(R"("code":"B","name":"b","pop":100,"town":"T1")", Square(98.92, ",3000")),
                 Village("C", "c", "100", 98.94)});
  const Result r = Run(Scenario());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("warning: " + (dir_ / "villages.geojson").string() +
                       ": repaired 1 invalid village polygon(s) with MakeValid"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("dropped Z from 1 village geometries"), std::string::npos) << r.err;
}

const fs::path kReal = fs::path(CORDON_SHARED_DIR) / "data" / "real";

TEST_F(GisCli, RealCountiesRoundTripTheirNames) {
  if (!fs::exists(kReal)) GTEST_SKIP() << kReal << " is absent";
  // Deqin: villages derived from the code tree, run without roads.
  const fs::path china = kReal / "china";
  const Result d =
      RunCordon("derive --county 533422 --out " + (dir_ / "deqin-derived.gpkg").string() +
                    " --counties " + (china / "diqing_533400_counties_wgs84.geojson").string() +
                    " --units " + (china / "diqing_533400_units.csv").string(),
                dir_);
  ASSERT_EQ(d.code, 0) << d.err;
  EXPECT_NE(d.out.find("46 villages"), std::string::npos) << d.out;
  fs::copy(fs::path(SAMPLES_DIR) / "deqin.yaml", dir_ / "deqin.yaml");
  Result r = RunCordon("run " + (dir_ / "deqin.yaml").string() +
                           " --set simulation.days=10 --out " + (dir_ / "deqin").string(),
                       dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto deqin =
      cordon::data::ReadVectorLayer((dir_ / "deqin" / "results.gpkg").string(), "villages");
  ASSERT_EQ(deqin.features.size(), 46u);
  EXPECT_EQ(deqin.features[0].values[deqin.FieldIndex("name")], "阿墩子居委会");
  EXPECT_EQ(deqin.features[0].values[deqin.FieldIndex("id")], "533422101001");

  // Lao Cai: 164 real commune polygons with census populations.
  Write("laocai.yaml", "region:\n  villages: {path: " +
                           (kReal / "vietnam" / "vn_communes_census2009_laocai.geojson").string() +
                           ", id: commune_id, name: commune_vn, population: population_2009,"
                           " parent: [district_id], level: commune}\n"
                           "mobility: {model: radiation, trips_per_person: 0.2}\n"
                           "checkpoints: [{cordon: district_id, block: 0.5}]\n"
                           "imports: [{to: all, per_day: 50, days: [0, 5], infectious: 0.01}]\n"
                           "simulation: {days: 10}\n");
  r = RunCordon("run " + (dir_ / "laocai.yaml").string() + " --out " + (dir_ / "laocai").string(),
                dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto laocai =
      cordon::data::ReadVectorLayer((dir_ / "laocai" / "results.gpkg").string(), "villages");
  ASSERT_EQ(laocai.features.size(), 164u);
  const auto source = cordon::data::ReadVectorLayer(
      (kReal / "vietnam" / "vn_communes_census2009_laocai.geojson").string(), "");
  const int name = laocai.FieldIndex("name"), source_name = source.FieldIndex("commune_vn");
  for (std::size_t k = 0; k < laocai.features.size(); ++k)
    EXPECT_EQ(laocai.features[k].values[name], source.features[k].values[source_name]);
}

}  // namespace
