// SPDX-License-Identifier: Apache-2.0
// The data module against files GDAL itself writes in every input format,
// the real boundary files in ../shared/data/real, and the county generator.
#include "cordon/data/vector_io.hpp"

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <set>

#include "cordon/data/county_generator.hpp"
#include "cordon/data/region_deriver.hpp"
#include "cordon/data/vector_writer.hpp"

namespace cordon::data {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("cordon_data_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

// Two village polygons with UTF-8 names, written by GDAL's own driver.
void WriteVillagesWithGdal(const std::string& driver_name, const std::string& path) {
  GDALAllRegister();
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name.c_str());
  ASSERT_NE(driver, nullptr) << driver_name;
  GDALDatasetUniquePtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  ASSERT_NE(ds, nullptr) << path;
  OGRSpatialReference wgs84;
  wgs84.SetWellKnownGeogCS("WGS84");
  wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  const char* shp_options[] = {"ENCODING=UTF-8", nullptr};  // writes the .cpg
  OGRLayer* layer =
      ds->CreateLayer("villages", &wgs84, wkbPolygon,
                      driver_name == "ESRI Shapefile" ? const_cast<char**>(shp_options) : nullptr);
  ASSERT_NE(layer, nullptr);
  OGRFieldDefn code("code", OFTString), name("name", OFTString), pop("pop", OFTReal);
  ASSERT_EQ(layer->CreateField(&code), OGRERR_NONE);
  ASSERT_EQ(layer->CreateField(&name), OGRERR_NONE);
  ASSERT_EQ(layer->CreateField(&pop), OGRERR_NONE);
  const char* names[] = {"升平镇", "Phường Nguyễn Trung Trực"};
  for (int k = 0; k < 2; ++k) {
    OGRFeature f(layer->GetLayerDefn());
    f.SetField("code", ("53342210020" + std::to_string(k)).c_str());
    f.SetField("name", names[k]);
    f.SetField("pop", 100.0 * (k + 1));
    OGRPolygon poly;
    OGRLinearRing ring;
    const double x0 = 98.9 + 0.01 * k, y0 = 28.4;
    ring.addPoint(x0, y0);
    ring.addPoint(x0 + 0.01, y0);
    ring.addPoint(x0 + 0.01, y0 + 0.01);
    ring.addPoint(x0, y0 + 0.01);
    ring.addPoint(x0, y0);
    poly.addRing(&ring);
    f.SetGeometry(&poly);
    ASSERT_EQ(layer->CreateFeature(&f), OGRERR_NONE);
  }
}

// Some drivers reorder features (FlatGeobuf's spatial index) or fields (KML's Name).
void ExpectTwoVillages(const VectorLayer& l) {
  ASSERT_EQ(l.features.size(), 2u) << l.path;
  const int name = std::max(l.FieldIndex("name"), l.FieldIndex("Name"));
  const int pop = l.FieldIndex("pop"), code = l.FieldIndex("code");
  ASSERT_GE(name, 0) << l.path;
  ASSERT_GE(pop, 0) << l.path;
  ASSERT_GE(code, 0) << l.path;
  for (const Feature& f : l.features) {
    const bool first = f.values[code] == "533422100200";
    EXPECT_EQ(f.values[name], first ? "升平镇" : "Phường Nguyễn Trung Trực") << l.path;
    EXPECT_EQ(f.values[code], first ? "533422100200" : "533422100201") << l.path;
    EXPECT_DOUBLE_EQ(std::stod(f.values[pop]), first ? 100.0 : 200.0) << l.path;
    ASSERT_EQ(f.polygons.size(), 1u);
    const Box box = Bounds(f.polygons);
    EXPECT_NEAR(box.min_x, first ? 98.9 : 98.91, 1e-9) << l.path;
    EXPECT_NEAR(box.min_y, 28.4, 1e-9) << l.path;
  }
  EXPECT_FALSE(l.crs.empty()) << l.path;
}

TEST(VectorIo, ReadsEveryFormatGdalWrites) {
  TempDir dir;
  const std::pair<const char*, const char*> formats[] = {{"GPKG", "v.gpkg"},
                                                         {"ESRI Shapefile", "v.shp"},
                                                         {"GeoJSON", "v.geojson"},
                                                         {"KML", "v.kml"},
                                                         {"FlatGeobuf", "v.fgb"}};
  for (const auto& [driver, file] : formats) {
    WriteVillagesWithGdal(driver, dir / file);
    ReadOptions o;
    o.kind = GeometryKind::kPolygon;
    // KML keeps only name/description natively; its extended data holds the rest.
    ExpectTwoVillages(ReadVectorLayer(dir / file, "", o));
  }
  // The Shapefile came with a .prj and a .cpg (UTF-8) beside it.
  EXPECT_TRUE(fs::exists(dir / "v.prj"));
  EXPECT_TRUE(fs::exists(dir / "v.cpg"));
}

// A legacy Shapefile: Chinese names stored as GBK (CP936) with nothing that
// says so (no .cpg, no code-page byte in the .dbf), as many county offices have.
void WriteGbkShapefileWithoutCodePage(const std::string& path) {
  GDALAllRegister();
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("ESRI Shapefile");
  GDALDatasetUniquePtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  ASSERT_NE(ds, nullptr);
  OGRSpatialReference wgs84;
  wgs84.SetWellKnownGeogCS("WGS84");
  const char* options[] = {"ENCODING=CP936", nullptr};
  OGRLayer* layer = ds->CreateLayer("v", &wgs84, wkbPoint, const_cast<char**>(options));
  OGRFieldDefn name("name", OFTString);
  ASSERT_EQ(layer->CreateField(&name), OGRERR_NONE);
  for (const char* n : {"升平镇", "奔子栏村"}) {
    OGRFeature f(layer->GetLayerDefn());
    f.SetField("name", n);
    OGRPoint p(98.9, 28.4);
    f.SetGeometry(&p);
    ASSERT_EQ(layer->CreateFeature(&f), OGRERR_NONE);
  }
  ds.reset();
  fs::remove(fs::path(path).replace_extension(".cpg"));
  std::fstream dbf(fs::path(path).replace_extension(".dbf"),
                   std::ios::in | std::ios::out | std::ios::binary);
  dbf.seekp(29);  // the language driver (code page) byte
  dbf.put('\0');
}

TEST(VectorIo, TextThatIsNotUtf8IsReplacedOrReadWithTheGivenEncoding) {
  TempDir dir;
  WriteGbkShapefileWithoutCodePage(dir / "gbk.shp");
  // Without an encoding: valid UTF-8 all the same, the bad bytes as U+FFFD, noted per field.
  const VectorLayer raw = ReadVectorLayer(dir / "gbk.shp", "");
  const int name = raw.FieldIndex("name");
  ASSERT_EQ(raw.features.size(), 2u);
  EXPECT_EQ(raw.not_utf8[name], 0);
  for (const Feature& f : raw.features) {
    EXPECT_EQ(ValidUtf8(f.values[name]), f.values[name]);
    EXPECT_NE(f.values[name].find("\xEF\xBF\xBD"), std::string::npos);
  }
  // With encoding: CP936 the names are the UTF-8 source names.
  ReadOptions options;
  options.encoding = "CP936";
  const VectorLayer gbk = ReadVectorLayer(dir / "gbk.shp", "", options);
  EXPECT_EQ(gbk.features[0].values[name], "升平镇");
  EXPECT_EQ(gbk.features[1].values[name], "奔子栏村");
  EXPECT_EQ(gbk.not_utf8[name], -1);
}

TEST(VectorIo, ValidUtf8KeepsValidTextAndReplacesEachBadByte) {
  bool changed = true;
  EXPECT_EQ(ValidUtf8("Phường 升平镇 😀", &changed), "Phường 升平镇 😀");
  EXPECT_FALSE(changed);
  EXPECT_EQ(ValidUtf8("a\xC9\xFD"
                      "b",
                      &changed),
            "a\xEF\xBF\xBD\xEF\xBF\xBD"
            "b");
  EXPECT_TRUE(changed);
  // Overlong, surrogate and truncated sequences are not UTF-8 either.
  EXPECT_EQ(ValidUtf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(ValidUtf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(ValidUtf8("\xE5\x8D"), "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(VectorIo, ReadsCsvWithWktOrXy) {
  TempDir dir;
  {
    std::ofstream f(dir / "wkt.csv");
    f << "code,name,pop,WKT\n"
      << "533422100200,升平镇,100,\"POLYGON ((98.9 28.4,98.91 28.4,98.91 28.41,98.9 28.41,98.9 "
         "28.4))\"\n"
      << "533422100201,Phường Nguyễn Trung Trực,200,\"POLYGON ((98.91 28.4,98.92 28.4,98.92 "
         "28.41,98.91 28.41,98.91 28.4))\"\n";
  }
  ReadOptions o;
  o.kind = GeometryKind::kPolygon;
  o.assume_crs = "EPSG:4326";  // a CSV has no CRS of its own
  ExpectTwoVillages(ReadVectorLayer(dir / "wkt.csv", "", o));
  {
    std::ofstream f(dir / "xy.csv");
    f << "id,lon,lat\nA,98.9,28.4\nB,98.95,28.45\n";
  }
  o.kind = GeometryKind::kPoint;
  const VectorLayer points = ReadVectorLayer(dir / "xy.csv", "", o);
  ASSERT_EQ(points.features.size(), 2u);
  EXPECT_DOUBLE_EQ(points.features[1].points[0].x, 98.95);
  EXPECT_DOUBLE_EQ(points.features[1].points[0].y, 28.45);
  EXPECT_EQ(points.FieldIndex("lon"), -1) << "geometry columns are not attributes";
}

// GDAL 3.6 crashed on a CSV with two columns it could take for x (found by
// fuzz_vector_layer; the input is in tests/fuzz/corpus_vector): cordon picks one.
TEST(VectorIo, CsvWithSeveralCandidateCoordinateColumns) {
  TempDir dir;
  std::ofstream(dir / "two.csv") << "id,x,lon,lat\nA,98.9,50,28.4\n";
  ReadOptions o;
  o.assume_crs = "EPSG:4326";
  const VectorLayer two = ReadVectorLayer(dir / "two.csv", "", o);
  ASSERT_EQ(two.features.size(), 1u);
  EXPECT_DOUBLE_EQ(two.features[0].points[0].x, 98.9);  // x before lon
  std::ofstream(dir / "twice.csv") << "id,lon,lon,lat\nA,98.9,98.9,28.4\n";
  try {
    ReadVectorLayer(dir / "twice.csv", "", o);
    ADD_FAILURE() << "a duplicated coordinate column is an error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("twice.csv: header: column 'lon' appears 2 times"),
              std::string::npos)
        << e.what();
  }
}

TEST(VectorIo, ErrorsNameTheFileAndLayer) {
  TempDir dir;
  WriteVillagesWithGdal("GPKG", dir / "v.gpkg");
  try {
    ReadVectorLayer(dir / "v.gpkg", "roads");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no layer 'roads' (layers: villages)"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(ReadVectorLayer(dir / "missing.gpkg", ""), InputError);
  ReadOptions lines;
  lines.kind = GeometryKind::kLine;
  try {
    ReadVectorLayer(dir / "v.gpkg", "", lines);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("feature 1: expected line geometry, got POLYGON"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(CrsToWkt("EPSG:999999", "test"), InputError);
}

TEST(VectorIo, RepairsInvalidRingsAndDropsZ) {
  TempDir dir;
  {
    std::ofstream f(dir / "bad.geojson");
    // A bow-tie (self-intersecting) ring and a 3D polygon.
    f << R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"bow"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}},
{"type":"Feature","properties":{"id":"z"},"geometry":{"type":"Polygon","coordinates":[[[2,0,5],[3,0,5],[3,1,5],[2,1,5],[2,0,5]]]}}]})";
  }
  ReadOptions o;
  o.kind = GeometryKind::kPolygon;
  const VectorLayer l = ReadVectorLayer(dir / "bad.geojson", "", o);
  EXPECT_EQ(l.repaired, 1);
  // The bow-tie becomes two triangles of 0.25 each.
  EXPECT_EQ(l.features[0].polygons.size(), 2u);
  EXPECT_NEAR(Area(l.features[0].polygons), 0.5, 1e-12);
  EXPECT_TRUE(l.features[1].has_z);
  EXPECT_NEAR(Area(l.features[1].polygons), 1.0, 1e-12);
}

TEST(VectorIo, ReprojectsThroughProj) {
  VectorLayer l;
  l.path = "mem";
  l.crs = CrsToWkt("EPSG:4326", "test");
  Feature f;
  f.points = {{99.0, 28.0}};
  l.features.push_back(f);
  // UTM 47N: central meridian 99E, false easting 500 km.
  Reproject(l, CrsToWkt("EPSG:32647", "test"));
  EXPECT_NEAR(l.features[0].points[0].x, 500000.0, 1e-3);
  // On the central meridian, northing = 0.9996 x meridian arc to 28N (Helmert's series).
  EXPECT_NEAR(l.features[0].points[0].y, 3097202.3707, 1e-3);
  // A local equal-area CRS centred on the data puts the data near the origin.
  Reproject(l, LocalEqualAreaCrs(l));
  EXPECT_NEAR(l.features[0].points[0].x, 0.0, 1e-3);
  EXPECT_NEAR(l.features[0].points[0].y, 0.0, 1e-3);
}

TEST(VectorIo, ReprojectsInBatchesAsFeatureByFeatureAndNamesAFeatureThatFails) {
  // Over 65,536 points (more than one batch to PROJ), in rings, lines and points.
  auto layer = [] {
    VectorLayer l;
    l.path = "mem";
    l.layer = "many";
    l.crs = CrsToWkt("EPSG:4326", "test");
    for (int i = 0; i < 30000; ++i) {
      Feature f;
      f.fid = 1000 + i;
      const double x = 98.0 + 0.0001 * i, y = 27.0 + 0.00007 * i;
      f.polygons.push_back({{{x, y}, {x + 0.01, y}, {x, y + 0.01}, {x, y}}, {}});
      if (i % 3 == 0) f.lines.push_back({{x, y}, {x - 0.02, y + 0.03}});
      if (i % 5 == 0) f.points = {{x + 0.005, y - 0.005}};
      l.features.push_back(f);
    }
    return l;
  };
  const std::string utm = CrsToWkt("EPSG:32647", "test");
  VectorLayer batched = layer();
  Reproject(batched, utm);
  // Each feature alone: far below one batch, so one call to PROJ per feature.
  const VectorLayer source = layer();
  for (std::size_t i = 0; i < source.features.size(); i += 997) {
    VectorLayer one;
    one.path = source.path;
    one.crs = source.crs;
    one.features = {source.features[i]};
    Reproject(one, utm);
    const Feature& a = one.features[0];
    const Feature& b = batched.features[i];
    ASSERT_EQ(a.polygons[0].outer.size(), b.polygons[0].outer.size());
    for (std::size_t k = 0; k < a.polygons[0].outer.size(); ++k) {
      EXPECT_EQ(a.polygons[0].outer[k].x, b.polygons[0].outer[k].x);
      EXPECT_EQ(a.polygons[0].outer[k].y, b.polygons[0].outer[k].y);
    }
    ASSERT_EQ(a.lines.size(), b.lines.size());
    if (!a.lines.empty()) {
      EXPECT_EQ(a.lines[0][1].y, b.lines[0][1].y);
    }
    ASSERT_EQ(a.points.size(), b.points.size());
    if (!a.points.empty()) {
      EXPECT_EQ(a.points[0].x, b.points[0].x);
    }
  }
  // A latitude beyond the pole, in the second batch: the error names that feature.
  VectorLayer bad = layer();
  bad.features[25000].points = {{99.0, 95.0}};
  try {
    Reproject(bad, utm);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("mem (layer many) feature 26000:"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("cannot be reprojected"), std::string::npos) << e.what();
  }
}

TEST(VectorIo, Gcj02RoundTripsAndMatchesPublishedOffset) {
  // Tiananmen: WGS84 (116.391275, 39.907129) shows on GCJ-02 maps about 500 m east-north-east.
  const Point2 w{116.391275, 39.907129};
  const Point2 g = Wgs84ToGcj02(w);
  EXPECT_GT(g.x - w.x, 0.005);
  EXPECT_LT(g.x - w.x, 0.008);
  EXPECT_GT(g.y - w.y, 0.0005);
  EXPECT_LT(g.y - w.y, 0.002);
  const Point2 back = Gcj02ToWgs84(g);
  EXPECT_NEAR(back.x, w.x, 1e-9);
  EXPECT_NEAR(back.y, w.y, 1e-9);
  // Outside China there is no offset.
  const Point2 paris{2.35, 48.85};
  EXPECT_EQ(Wgs84ToGcj02(paris).x, paris.x);
}

const fs::path kReal = fs::path(CORDON_SHARED_DIR) / "data" / "real";

TEST(RealData, Gcj02FileLandsWithin5mOfTheWgs84File) {
  if (!fs::exists(kReal)) GTEST_SKIP() << kReal << " is absent";
  for (const char* prefix : {"diqing_533400", "luohe_411100"}) {
    const fs::path dir = kReal / "china";
    ReadOptions gcj;
    gcj.kind = GeometryKind::kPolygon;
    gcj.assume_crs = "GCJ-02";
    VectorLayer a = ReadVectorLayer(
        (dir / (std::string(prefix) + "_counties_gcj02.geojson")).string(), "", gcj);
    ReadOptions plain;
    plain.kind = GeometryKind::kPolygon;
    VectorLayer b = ReadVectorLayer(
        (dir / (std::string(prefix) + "_counties_wgs84.geojson")).string(), "", plain);
    const std::string metres = LocalEqualAreaCrs(b);
    Reproject(a, metres);
    Reproject(b, metres);
    ASSERT_EQ(a.features.size(), b.features.size());
    double worst = 0.0;
    std::size_t vertices = 0;
    for (std::size_t k = 0; k < a.features.size(); ++k) {
      ASSERT_EQ(a.features[k].polygons.size(), b.features[k].polygons.size());
      for (std::size_t p = 0; p < a.features[k].polygons.size(); ++p) {
        const Ring& ra = a.features[k].polygons[p].outer;
        const Ring& rb = b.features[k].polygons[p].outer;
        ASSERT_EQ(ra.size(), rb.size());
        for (std::size_t i = 0; i < ra.size(); ++i, ++vertices)
          worst = std::max(worst, Distance(ra[i], rb[i]));
      }
    }
    EXPECT_GT(vertices, 1000u);
    EXPECT_LT(worst, 5.0) << prefix << ": worst vertex distance " << worst << " m";
  }
}

TEST(RealData, VietnamCommunesLoadWithNamesAndPopulations) {
  const fs::path file = kReal / "vietnam" / "vn_communes_census2009.geojson";
  if (!fs::exists(file)) GTEST_SKIP() << file << " is absent";
  ReadOptions o;
  o.kind = GeometryKind::kPolygon;
  const VectorLayer l = ReadVectorLayer(file.string(), "", o);
  ASSERT_EQ(l.features.size(), 11163u);
  const int pop = l.FieldIndex("population_2009"), name = l.FieldIndex("commune_vn");
  double total = 0.0;
  std::size_t holes = 0;
  for (const auto& f : l.features) {
    total += std::stod(f.values[pop]);
    for (const auto& p : f.polygons) holes += p.holes.size();
  }
  EXPECT_DOUBLE_EQ(total, 77501044.0);  // the README's sum
  EXPECT_EQ(holes, 8u);                 // the README's hole count
  EXPECT_EQ(l.repaired, 0);
  EXPECT_EQ(l.features[1].values[name], "Phường Nguyễn Trung Trực");
}

TEST(RealData, DerivedVillageRegionsMatchTheCodeTreeAndCensus) {
  if (!fs::exists(kReal)) GTEST_SKIP() << kReal << " is absent";
  const std::pair<const char*, std::size_t> prefectures[] = {{"luohe_411100", 1296},
                                                             {"diqing_533400", 192},
                                                             {"lijiang_530700", 463},
                                                             {"yuncheng_140800", 3349}};
  for (const auto& [prefix, villages] : prefectures) {
    DeriveOptions o;
    o.counties = (kReal / "china" / (std::string(prefix) + "_counties_wgs84.geojson")).string();
    o.units = (kReal / "china" / (std::string(prefix) + "_units.csv")).string();
    const DerivedRegion r = DeriveRegion(o);
    EXPECT_EQ(r.villages.size(), villages) << prefix;
    // Each county's census total is shared out exactly, and its villages tile it.
    const VectorLayer counties = ReadVectorLayer(o.counties, "");
    const int pop = counties.FieldIndex("census2020_POPU");
    ASSERT_EQ(r.counties.size(), counties.features.size());
    for (std::size_t c = 0; c < r.counties.size(); ++c) {
      double people = 0;
      for (const auto& v : r.villages)
        if (v.code.substr(0, 6) == r.counties[c].code) people += v.population;
      EXPECT_DOUBLE_EQ(people, std::stod(counties.features[c].values[pop])) << r.counties[c].code;
    }
    // Areas, measured in one equal-area CRS.
    VectorLayer shapes;
    shapes.path = prefix;
    shapes.crs = r.crs;
    for (const auto* list : {&r.counties, &r.villages})
      for (const auto& u : *list) {
        Feature f;
        f.polygons = u.shape;
        shapes.features.push_back(f);
      }
    Reproject(shapes, LocalEqualAreaCrs(shapes));
    double county_area = 0, village_area = 0;
    for (std::size_t k = 0; k < shapes.features.size(); ++k)
      (k < r.counties.size() ? county_area : village_area) += Area(shapes.features[k].polygons);
    EXPECT_NEAR(village_area / county_area, 1.0, 1e-6) << prefix;
    for (const auto& v : r.villages) EXPECT_FALSE(v.shape.empty()) << v.code;
  }
}

TEST(Writer, GeoPackageRoundTripsNamesAndReprojects) {
  TempDir dir;
  LayerToWrite l;
  l.name = "villages";
  l.kind = GeometryKind::kPolygon;
  l.crs = CrsToWkt("EPSG:32647", "test");
  l.out_crs = CrsToWkt("EPSG:4326", "test");
  l.polygons = {{Polygon{{{500000, 3100000}, {501000, 3100000}, {501000, 3101000}}, {}}}};
  l.columns = {{"name", FieldType::kText, {"德钦县 Phường"}, {}, {}},
               {"pop", FieldType::kReal, {}, {std::nan("")}, {}}};
  WriteVectorFile(dir / "out.gpkg", {l});
  const VectorLayer back = ReadVectorLayer(dir / "out.gpkg", "villages");
  ASSERT_EQ(back.features.size(), 1u);
  EXPECT_EQ(back.features[0].values[0], "德钦县 Phường");
  EXPECT_TRUE(back.features[0].null_values[1]);
  EXPECT_NEAR(back.features[0].polygons[0].outer[0].x, 99.0, 1e-6);  // back in lon/lat
  // No temporary file is left beside it.
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir / "")) files += e.is_regular_file();
  EXPECT_EQ(files, 1u);
}

TEST(Generator, NestsExactlyAndKeepsPopulation) {
  CountyOptions o;
  o.villages = 300;
  o.group_grid = 2;
  const GeneratedCounty c = GenerateCounty(o);
  ASSERT_EQ(c.villages.size(), 300u);
  ASSERT_EQ(c.groups.size(), 1200u);
  // Areas nest: groups sum to villages, villages to townships and to the county.
  double villages = 0, groups = 0, townships = 0;
  for (const auto& v : c.villages) villages += Area(v.shape);
  for (const auto& g : c.groups) groups += Area(g.shape);
  for (const auto& t : c.townships) townships += Area(t.shape);
  EXPECT_NEAR(groups / villages, 1.0, 1e-9);
  EXPECT_NEAR(townships / villages, 1.0, 1e-9);
  EXPECT_NEAR(Area(c.county.shape) / villages, 1.0, 1e-9);
  EXPECT_NEAR(villages / 300 / 9e6, 1.0, 0.1) << "mean village area ~ (3 km)^2";
  // Populations nest too, and codes extend their parent's code.
  std::map<std::string, double> by_village;
  for (const auto& g : c.groups) {
    by_village[g.parent] += g.population;
    EXPECT_EQ(g.code.substr(0, g.parent.size()), g.parent);
  }
  double total = 0, largest = 0;
  for (const auto& v : c.villages) {
    EXPECT_DOUBLE_EQ(by_village[v.code], v.population) << v.code;
    EXPECT_EQ(v.code.substr(0, v.parent.size()), v.parent);
    total += v.population;
    largest = std::max(largest, v.population);
  }
  EXPECT_DOUBLE_EQ(total, c.county.population);
  EXPECT_GE(largest, 12000.0) << "a county seat of tens of thousands";
  EXPECT_EQ(c.gates.size(), 4u);
  for (const auto& g : c.gates) EXPECT_FALSE(Contains(c.county.shape, g));
  // Deterministic by seed; another seed gives another county.
  EXPECT_EQ(GenerateCounty(o).villages[7].shape[0].outer[2].x, c.villages[7].shape[0].outer[2].x);
  o.seed = 2;
  EXPECT_NE(GenerateCounty(o).villages[7].shape[0].outer[2].x, c.villages[7].shape[0].outer[2].x);
}

}  // namespace
}  // namespace cordon::data
