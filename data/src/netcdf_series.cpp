// SPDX-License-Identifier: Apache-2.0
#include "cordon/data/netcdf_series.hpp"

#include <fcntl.h>
#include <netcdf.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <mutex>

#include "cordon/base/atomic_file.hpp"
#include "cordon/base/error.hpp"

namespace cordon::data {

namespace {

// The netCDF library (and HDF5 under it, as Debian builds it) keeps global state without
// locks: two runs of the Python package on two threads would corrupt it. One lock for
// every call of this module, the only one that uses the library.
std::mutex& LibraryLock() {
  static std::mutex lock;
  return lock;
}

template <typename E>
void Check(int status, const std::string& path, const std::string& what) {
  if (status != NC_NOERR) throw E(path + ": " + what + ": " + nc_strerror(status));
}

void PutText(int nc, int var, const char* key, const std::string& value, const std::string& path) {
  if (value.empty()) return;
  Check<Error>(nc_put_att_text(nc, var, key, value.size(), value.c_str()), path,
               std::string("cannot write attribute ") + key);
}

// Ids and names as CF character arrays (dimension `name`_strlen, the longest in bytes,
// `_Encoding` utf-8, which xarray decodes to text): netCDF-4's variable-length strings take
// 0.7 s to write for 1e5 villages, these a few milliseconds.
int DefineStrings(int nc, int dim, const char* name, const std::vector<std::string>& values,
                  const std::string& path) {
  std::size_t width = 1;
  for (const std::string& v : values) width = std::max(width, v.size());
  int dims[2] = {dim, 0};
  Check<Error>(nc_def_dim(nc, (std::string(name) + "_strlen").c_str(), width, &dims[1]), path,
               std::string("cannot define ") + name);
  int var = 0;
  Check<Error>(nc_def_var(nc, name, NC_CHAR, 2, dims, &var), path,
               std::string("cannot define ") + name);
  PutText(nc, var, "_Encoding", "utf-8", path);
  return var;
}

void PutStrings(int nc, int var, const std::vector<std::string>& values, const std::string& path) {
  int dims[2];
  nc_inq_vardimid(nc, var, dims);
  std::size_t width = 0;
  nc_inq_dimlen(nc, dims[1], &width);
  std::vector<char> text(values.size() * width, '\0');
  for (std::size_t i = 0; i < values.size(); ++i)
    std::copy(values[i].begin(), values[i].end(), text.begin() + std::ptrdiff_t(i * width));
  if (!values.empty())
    Check<Error>(nc_put_var_text(nc, var, text.data()), path, "cannot write text");
}

int DefineDoubles(int nc, int dim, const char* name, const char* units, const char* standard,
                  const std::string& path) {
  int var = 0;
  Check<Error>(nc_def_var(nc, name, NC_DOUBLE, 1, &dim, &var), path,
               std::string("cannot define ") + name);
  PutText(nc, var, "units", units, path);
  PutText(nc, var, "standard_name", standard, path);
  return var;
}

}  // namespace

struct SeriesNetcdfWriter::Open {
  std::string path, temp;
  int nc = -1;
  std::size_t places = 0;
  std::vector<int> vars;
  int time_var = -1, day_var = -1;
  int days = 0, written = 0;
  bool single = false;
  std::vector<float> floats;  // a variable's day as stored, single precision
  bool committed = false;
  // The temporary file, read-only, to start the disk's writeback of each day as it is
  // written: Commit's sync then waits for the last days only, not for hundreds of MB
  // (0.14 s of a 1e5-village run's serial end).
  int writeback = -1;

  Open() = default;
  Open(const Open&) = delete;
  Open& operator=(const Open&) = delete;
  // Unless committed: the file closed and its temporary removed, also when the writer's
  // constructor fails half way (a member's destructor runs then, the writer's does not).
  ~Open() {
    if (writeback >= 0) ::close(writeback);
    if (committed) return;
    const std::lock_guard<std::mutex> hold(LibraryLock());
    if (nc >= 0) nc_close(nc);
    if (!temp.empty()) std::remove(temp.c_str());
  }
};

SeriesNetcdfWriter::SeriesNetcdfWriter(const std::string& path, const SeriesLayout& layout)
    : open_(std::make_unique<Open>()) {
  Open& o = *open_;
  o.path = path;
  // The coordinates' names are taken: a model column of that name would fail half way.
  for (const SeriesVariable& v : layout.variables)
    for (const char* taken : {"time", "day", "village", "name", "lon", "lat"})
      if (v.name == taken)
        throw InputError(
            SourceRef{path},
            "the column '" + v.name +
                "' has the name of a coordinate of daily.nc (time, day, village, name, "
                "lon, lat); write daily.csv instead (simulation.daily: csv)");
  o.temp = TempPathFor(path);
  o.places = layout.ids.size();
  o.days = layout.days;
  o.single = layout.single_precision;
  if (o.single) o.floats.resize(o.places);
  const std::lock_guard<std::mutex> hold(LibraryLock());
  Check<Error>(nc_create(o.temp.c_str(), NC_NETCDF4 | NC_CLOBBER, &o.nc), path, "cannot create");
  // A hint only: where it cannot be opened, Commit's sync does all the work.
  o.writeback = ::open(o.temp.c_str(), O_RDONLY | O_CLOEXEC);
  const int nc = o.nc;
  int time_dim = 0, place_dim = 0;
  Check<Error>(nc_def_dim(nc, "time", std::size_t(layout.days) + 1, &time_dim), path, "time");
  // Length 0 is NC_UNLIMITED to the library: a region without villages still makes a file.
  Check<Error>(nc_def_dim(nc, "village", o.places, &place_dim), path, "village");
  PutText(nc, NC_GLOBAL, "Conventions", "CF-1.8", path);
  PutText(nc, NC_GLOBAL, "featureType", "timeSeries", path);
  PutText(nc, NC_GLOBAL, "title", layout.title, path);
  PutText(nc, NC_GLOBAL, "source", layout.source, path);

  Check<Error>(nc_def_var(nc, "time", NC_INT, 1, &time_dim, &o.time_var), path, "time");
  PutText(nc, o.time_var, "axis", "T", path);
  if (!layout.start_date.empty()) {
    PutText(nc, o.time_var, "standard_name", "time", path);
    PutText(nc, o.time_var, "units", "days since " + layout.start_date, path);
    PutText(nc, o.time_var, "calendar", "standard", path);
    // Day d holds the states at t = d and the flows of (d - 1, d] (docs/model.md).
    PutText(nc, o.time_var, "long_name",
            "date of the day (its states at the end, its flows over it)", path);
  } else {
    PutText(nc, o.time_var, "long_name", "day number (0: the initial state)", path);
    PutText(nc, o.time_var, "units", "1", path);
  }
  Check<Error>(nc_def_var(nc, "day", NC_INT, 1, &time_dim, &o.day_var), path, "day");
  PutText(nc, o.day_var, "long_name", "day number (0: the initial state)", path);
  PutText(nc, o.day_var, "units", "1", path);

  const int id_var = DefineStrings(nc, place_dim, "village", layout.ids, path);
  PutText(nc, id_var, "cf_role", "timeseries_id", path);
  PutText(nc, id_var, "long_name", "village id", path);
  int name_var = -1, lon_var = -1, lat_var = -1;
  if (!layout.names.empty()) {
    name_var = DefineStrings(nc, place_dim, "name", layout.names, path);
    PutText(nc, name_var, "long_name", "village name", path);
  }
  std::string coordinates = "village";
  if (!layout.lon.empty()) {
    lon_var = DefineDoubles(nc, place_dim, "lon", "degrees_east", "longitude", path);
    lat_var = DefineDoubles(nc, place_dim, "lat", "degrees_north", "latitude", path);
    coordinates += " lon lat";
  }
  if (name_var >= 0) coordinates += " name";

  const int dims[2] = {time_dim, place_dim};
  const std::size_t chunk[2] = {1, o.places > 0 ? o.places : 1};
  for (const SeriesVariable& v : layout.variables) {
    int var = 0;
    Check<Error>(nc_def_var(nc, v.name.c_str(), layout.single_precision ? NC_FLOAT : NC_DOUBLE, 2,
                            dims, &var),
                 path, "cannot define variable '" + v.name + "'");
    // Uncompressed variables are contiguous: a day is one run of bytes all the same, and the
    // library then holds nothing per day (chunked, it kept 70% of what was written: 200 MB
    // at 1e5 villages, whatever the chunk cache) and writes twice as fast. Deflated ones
    // need chunks: one day each.
    if (o.places > 0 && layout.deflate_level > 0) {
      Check<Error>(nc_def_var_chunking(nc, var, NC_CHUNKED, chunk), path, v.name);
      Check<Error>(nc_def_var_deflate(nc, var, 1, 1, layout.deflate_level), path, v.name);
    } else if (o.places > 0) {  // (no villages: an unlimited dimension, chunked by default)
      Check<Error>(nc_def_var_chunking(nc, var, NC_CONTIGUOUS, nullptr), path, v.name);
    }
    // Every value is written: the library need not prefill.
    Check<Error>(nc_def_var_fill(nc, var, NC_NOFILL, nullptr), path, v.name);
    PutText(nc, var, "long_name", v.long_name, path);
    PutText(nc, var, "units", v.units, path);
    PutText(nc, var, "coordinates", coordinates, path);
    if (v.daily_sum) PutText(nc, var, "cell_methods", "time: sum", path);
    o.vars.push_back(var);
  }
  Check<Error>(nc_enddef(nc), path, "cannot finish the header");

  PutStrings(nc, id_var, layout.ids, path);
  if (name_var >= 0) PutStrings(nc, name_var, layout.names, path);
  if (lon_var >= 0) {
    Check<Error>(nc_put_var_double(nc, lon_var, layout.lon.data()), path, "lon");
    Check<Error>(nc_put_var_double(nc, lat_var, layout.lat.data()), path, "lat");
  }
}

SeriesNetcdfWriter::~SeriesNetcdfWriter() = default;  // Open's destructor cleans up

void SeriesNetcdfWriter::AddDay(int day, const double* values) {
  Open& o = *open_;
  const std::lock_guard<std::mutex> hold(LibraryLock());
  const std::size_t at = std::size_t(day);
  Check<Error>(nc_put_var1_int(o.nc, o.time_var, &at, &day), o.path, "cannot write day");
  Check<Error>(nc_put_var1_int(o.nc, o.day_var, &at, &day), o.path, "cannot write day");
  if (o.places == 0) {
    ++o.written;
    return;
  }
  const std::size_t start[2] = {at, 0}, count[2] = {1, o.places};
  for (std::size_t v = 0; v < o.vars.size(); ++v) {
    const double* from = values + v * o.places;
    int status = 0;
    if (o.single) {  // converted here: the library's conversion keeps its buffers (200 MB)
      std::copy(from, from + o.places, o.floats.begin());
      status = nc_put_vara_float(o.nc, o.vars[v], start, count, o.floats.data());
    } else {
      status = nc_put_vara_double(o.nc, o.vars[v], start, count, from);
    }
    Check<Error>(status, o.path, "cannot write day " + std::to_string(day));
  }
  ++o.written;
  if (o.writeback >= 0) ::sync_file_range(o.writeback, 0, 0, SYNC_FILE_RANGE_WRITE);
}

void SeriesNetcdfWriter::Commit() {
  Open& o = *open_;
  if (o.written != o.days + 1)
    throw InternalError(o.path + ": " + std::to_string(o.written) + " days written of " +
                        std::to_string(o.days + 1));
  {
    const std::lock_guard<std::mutex> hold(LibraryLock());
    const int status = nc_close(o.nc);
    o.nc = -1;
    Check<Error>(status, o.path, "cannot close");
  }
  CommitFinishedFile(o.temp, o.path);
  o.committed = true;
}

namespace {

std::string TextAttribute(int nc, int var, const char* key) {
  std::size_t len = 0;
  if (nc_inq_attlen(nc, var, key, &len) != NC_NOERR) return {};
  std::string text(len, '\0');
  if (nc_get_att_text(nc, var, key, text.data()) != NC_NOERR) return {};
  return text;
}

// A text variable over the places: a character array (what the writer writes) or
// netCDF-4 strings.
std::vector<std::string> ReadStrings(int nc, int var, int place_dim, std::size_t n,
                                     const std::string& path) {
  nc_type type = 0;
  int ndims = 0, dims[NC_MAX_VAR_DIMS];
  Check<InputError>(nc_inq_var(nc, var, nullptr, &type, &ndims, dims, nullptr), path,
                    "cannot read a text variable");
  if (ndims < 1 || dims[0] != place_dim)
    throw InputError(SourceRef{path}, "a text variable is not over the dimension 'village'");
  std::vector<std::string> out(n);
  if (type == NC_CHAR && ndims == 2) {
    std::size_t width = 0;
    nc_inq_dimlen(nc, dims[1], &width);
    std::vector<char> text(n * width);
    if (!text.empty())
      Check<InputError>(nc_get_var_text(nc, var, text.data()), path, "cannot read text");
    for (std::size_t i = 0; i < n; ++i) {
      const char* begin = text.data() + i * width;
      out[i].assign(begin, std::find(begin, begin + width, '\0'));
    }
    return out;
  }
  if (type != NC_STRING || ndims != 1)
    throw InputError(SourceRef{path}, "a text variable is not text");
  std::vector<char*> text(n, nullptr);
  Check<InputError>(nc_get_var_string(nc, var, text.data()), path, "cannot read strings");
  for (std::size_t i = 0; i < n; ++i) out[i] = text[i] ? text[i] : "";
  nc_free_string(n, text.data());
  return out;
}

}  // namespace

SeriesFile ReadSeriesNetcdf(const std::string& path) {
  const std::lock_guard<std::mutex> hold(LibraryLock());
  int nc = 0;
  Check<InputError>(nc_open(path.c_str(), NC_NOWRITE, &nc), path, "cannot open");
  struct Closer {
    int nc;
    ~Closer() { nc_close(nc); }
  } closer{nc};
  int time_dim = 0, place_dim = 0;
  Check<InputError>(nc_inq_dimid(nc, "time", &time_dim), path, "no dimension 'time'");
  Check<InputError>(nc_inq_dimid(nc, "village", &place_dim), path, "no dimension 'village'");
  std::size_t times = 0, places = 0;
  nc_inq_dimlen(nc, time_dim, &times);
  nc_inq_dimlen(nc, place_dim, &places);
  if (times == 0) throw InputError(SourceRef{path}, "no days (dimension 'time' is empty)");

  SeriesFile file;
  SeriesLayout& layout = file.layout;
  layout.days = int(times) - 1;
  int var = 0;
  if (nc_inq_varid(nc, "village", &var) == NC_NOERR)
    layout.ids = ReadStrings(nc, var, place_dim, places, path);
  else
    throw InputError(SourceRef{path}, "no variable 'village' (the village ids)");
  if (nc_inq_varid(nc, "name", &var) == NC_NOERR)
    layout.names = ReadStrings(nc, var, place_dim, places, path);
  int lat_var = 0;
  // lon and lat over the villages alone (a grid of another shape is not ours to read).
  auto over_places = [&](int v) {
    int ndims = 0, dims[NC_MAX_VAR_DIMS];
    return nc_inq_var(nc, v, nullptr, nullptr, &ndims, dims, nullptr) == NC_NOERR && ndims == 1 &&
           dims[0] == place_dim;
  };
  if (nc_inq_varid(nc, "lon", &var) == NC_NOERR && nc_inq_varid(nc, "lat", &lat_var) == NC_NOERR &&
      over_places(var) && over_places(lat_var)) {
    layout.lon.resize(places);
    layout.lat.resize(places);
    Check<InputError>(nc_get_var_double(nc, var, layout.lon.data()), path, "lon");
    Check<InputError>(nc_get_var_double(nc, lat_var, layout.lat.data()), path, "lat");
  }
  if (nc_inq_varid(nc, "time", &var) == NC_NOERR) {
    const std::string units = TextAttribute(nc, var, "units");
    if (units.rfind("days since ", 0) == 0) layout.start_date = units.substr(11, 10);
  }
  layout.title = TextAttribute(nc, NC_GLOBAL, "title");
  layout.source = TextAttribute(nc, NC_GLOBAL, "source");

  // The data variables: every (time, village) variable, in the file's order.
  int nvars = 0;
  nc_inq_nvars(nc, &nvars);
  std::vector<int> data_vars;
  for (int v = 0; v < nvars; ++v) {
    int ndims = 0, dims[NC_MAX_VAR_DIMS];
    char name[NC_MAX_NAME + 1];
    nc_inq_var(nc, v, name, nullptr, &ndims, dims, nullptr);
    if (ndims != 2 || dims[0] != time_dim || dims[1] != place_dim) continue;
    SeriesVariable sv;
    sv.name = name;
    sv.long_name = TextAttribute(nc, v, "long_name");
    sv.units = TextAttribute(nc, v, "units");
    sv.daily_sum = TextAttribute(nc, v, "cell_methods") == "time: sum";
    layout.variables.push_back(sv);
    data_vars.push_back(v);
  }
  const std::size_t day_size = layout.variables.size() * places;
  file.values.reset(new double[times * day_size]);
  std::vector<double> column(times * places);
  for (std::size_t k = 0; k < data_vars.size(); ++k) {
    if (places == 0) break;
    Check<InputError>(nc_get_var_double(nc, data_vars[k], column.data()), path,
                      "cannot read '" + layout.variables[k].name + "'");
    for (std::size_t d = 0; d < times; ++d)
      std::copy(column.begin() + std::ptrdiff_t(d * places),
                column.begin() + std::ptrdiff_t((d + 1) * places),
                file.values.get() + d * day_size + k * places);
  }
  return file;
}

}  // namespace cordon::data
