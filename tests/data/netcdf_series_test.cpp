// SPDX-License-Identifier: Apache-2.0
// daily.nc's file format: what the writer puts in reads back (ids, UTF-8 names, positions,
// dates, every value), the file appears only when complete, and bad files are refused.
#include "cordon/data/netcdf_series.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "cordon/base/error.hpp"

namespace {

namespace fs = std::filesystem;
using cordon::data::ReadSeriesNetcdf;
using cordon::data::SeriesLayout;
using cordon::data::SeriesNetcdfWriter;

class NetcdfSeries : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cordon_netcdf_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Three villages, two variables (a state and a daily flow), days 0..4.
  static SeriesLayout Layout() {
    SeriesLayout l;
    l.ids = {"V1", "530101", "村3"};
    l.names = {"升平镇", "", "Bản Phùng"};
    l.lon = {98.91, 98.8, 105.1};
    l.lat = {28.48, 28.5, 21.0};
    l.variables = {{"S", "susceptible", "persons", false},
                   {"incidence", "incidence during the day", "persons", true}};
    l.days = 4;
    l.start_date = "2020-01-15";
    l.title = "test county";
    return l;
  }
  // Values no float rounds exactly: day d, variable v, village i.
  static double Value(int d, int v, int i) {
    return 1000.0 / 3.0 * (d + 1) + 7.1 * v + 0.3 * i + 0.01;
  }

  std::string Write(const SeriesLayout& layout, const std::string& name) {
    const std::string path = (dir_ / name).string();
    SeriesNetcdfWriter writer(path, layout);
    std::vector<double> day(layout.variables.size() * layout.ids.size());
    for (int d = 0; d <= layout.days; ++d) {
      for (std::size_t v = 0; v < layout.variables.size(); ++v)
        for (std::size_t i = 0; i < layout.ids.size(); ++i)
          day[v * layout.ids.size() + i] = Value(d, int(v), int(i));
      writer.AddDay(d, day.data());
    }
    writer.Commit();
    return path;
  }

  fs::path dir_;
};

TEST_F(NetcdfSeries, EverythingWrittenReadsBack) {
  const std::string path = Write(Layout(), "daily.nc");
  const cordon::data::SeriesFile f = ReadSeriesNetcdf(path);
  const SeriesLayout want = Layout();
  EXPECT_EQ(f.layout.ids, want.ids);
  EXPECT_EQ(f.layout.names, want.names);
  EXPECT_EQ(f.layout.lon, want.lon);
  EXPECT_EQ(f.layout.lat, want.lat);
  EXPECT_EQ(f.layout.days, 4);
  EXPECT_EQ(f.layout.start_date, "2020-01-15");
  EXPECT_EQ(f.layout.title, "test county");
  ASSERT_EQ(f.layout.variables.size(), 2u);
  EXPECT_EQ(f.layout.variables[1].name, "incidence");
  EXPECT_EQ(f.layout.variables[1].units, "persons");
  EXPECT_TRUE(f.layout.variables[1].daily_sum);
  EXPECT_FALSE(f.layout.variables[0].daily_sum);
  for (int d = 0; d <= 4; ++d)
    for (int v = 0; v < 2; ++v)
      for (int i = 0; i < 3; ++i)
        EXPECT_EQ(f.values[std::size_t((d * 2 + v) * 3 + i)], Value(d, v, i));  // doubles: exact
  // Nothing but the file itself is left in the folder.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

TEST_F(NetcdfSeries, SinglePrecisionHoldsEachValueAsTheNearestFloat) {
  SeriesLayout l = Layout();
  l.single_precision = true;
  l.deflate_level = 1;  // chunked, one day per chunk
  l.start_date.clear();
  l.names.clear();
  l.lon.clear();
  l.lat.clear();
  const cordon::data::SeriesFile f = ReadSeriesNetcdf(Write(l, "f.nc"));
  EXPECT_TRUE(f.layout.start_date.empty());
  EXPECT_TRUE(f.layout.names.empty());
  EXPECT_TRUE(f.layout.lon.empty());
  for (int d = 0; d <= 4; ++d)
    for (int v = 0; v < 2; ++v)
      for (int i = 0; i < 3; ++i) {
        const double got = f.values[std::size_t((d * 2 + v) * 3 + i)];
        EXPECT_EQ(got, double(float(Value(d, v, i))));
        EXPECT_NE(got, Value(d, v, i));
      }
}

TEST_F(NetcdfSeries, AFileAppearsOnlyWhenComplete) {
  const std::string path = (dir_ / "daily.nc").string();
  {
    SeriesNetcdfWriter writer(path, Layout());
    std::vector<double> day(6, 1.0);
    writer.AddDay(0, day.data());
    EXPECT_FALSE(fs::exists(path));
    EXPECT_THROW(writer.Commit(), cordon::Error);  // days 1..4 missing
  }
  // Destroyed unfinished: neither the file nor its temporary is left.
  EXPECT_TRUE(fs::is_empty(dir_));
}

// A model column named as a coordinate is refused up front, and nothing is left behind.
TEST_F(NetcdfSeries, AColumnNamedAsACoordinateIsRefused) {
  SeriesLayout l = Layout();
  l.variables[1].name = "day";
  try {
    SeriesNetcdfWriter writer((dir_ / "daily.nc").string(), l);
    FAIL() << "no error";
  } catch (const cordon::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("'day'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("simulation.daily: csv"), std::string::npos);
  }
  EXPECT_TRUE(fs::is_empty(dir_));
}

TEST_F(NetcdfSeries, ABadFileIsAnInputErrorNamingIt) {
  const std::string path = (dir_ / "not.nc").string();
  std::ofstream(path) << "day,id\n0,V1\n";
  try {
    ReadSeriesNetcdf(path);
    FAIL() << "no error";
  } catch (const cordon::InputError& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
  EXPECT_THROW(ReadSeriesNetcdf((dir_ / "missing.nc").string()), cordon::InputError);
}

}  // namespace
