// SPDX-License-Identifier: Apache-2.0
// OGR sources -> VectorLayer, and CRS handling through OSR (PROJ underneath).
#include "cordon/data/vector_io.hpp"

#include <cpl_error.h>
#include <cpl_vsi.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <memory>
#include <mutex>
#include <sstream>

#include "cordon/base/csv_table.hpp"
#include "gdal_session.hpp"
#include "ogr_convert.hpp"

namespace cordon::data {
namespace {

// A field as text; a date as YYYY-MM-DD (GDAL's own text for it is YYYY/MM/DD).
std::string FieldText(OGRFeature& feature, int i) {
  if (feature.GetFieldDefnRef(i)->GetType() == OFTDate) {
    int y = 0, m = 0, d = 0, hour = 0, minute = 0, tz = 0;
    float second = 0;
    if (feature.GetFieldAsDateTime(i, &y, &m, &d, &hour, &minute, &second, &tz)) {
      char text[16];
      std::snprintf(text, sizeof text, "%04d-%02d-%02d", y, m, d);
      return text;
    }
  }
  return feature.GetFieldAsString(i);
}

constexpr double kPi = 3.14159265358979323846;

bool IsGcj02(const std::string& crs) {
  std::string s;
  for (char c : crs)
    if (c != '-' && c != '_' && c != ' ') s += static_cast<char>(std::toupper(c));
  return s == "GCJ02";
}

const char* KindName(GeometryKind k) {
  switch (k) {
    case GeometryKind::kPolygon:
      return "polygon";
    case GeometryKind::kLine:
      return "line";
    case GeometryKind::kPoint:
      return "point";
    default:
      return "any";
  }
}

// `what` names whose CRS it is (a layer file) in messages.
std::unique_ptr<OGRSpatialReference> SrsFromWkt(const std::string& wkt, const std::string& what) {
  auto srs = std::make_unique<OGRSpatialReference>();
  if (srs->importFromWkt(wkt.c_str()) != OGRERR_NONE)
    throw InputError(SourceRef{what}, "cannot read CRS definition: " + wkt.substr(0, 80));
  srs->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  return srs;
}

std::unique_ptr<OGRCoordinateTransformation> MakeTransform(const std::string& from,
                                                           const std::string& to,
                                                           const std::string& what) {
  auto src = SrsFromWkt(from, what), dst = SrsFromWkt(to, what);
  std::unique_ptr<OGRCoordinateTransformation> t(
      OGRCreateCoordinateTransformation(src.get(), dst.get()));
  if (!t)
    throw InputError(SourceRef{what},
                     "PROJ cannot transform between these CRS: " + LastGdalError() + " (from " +
                         from.substr(0, 60) + "...)");
  return t;
}

// The error of coordinates PROJ cannot transform, at `where` (a layer's feature, or a caller's
// name).
InputError NotReprojectable(const std::string& where) {
  return InputError(SourceRef{where},
                    "coordinates cannot be reprojected (outside the CRS's area?)");
}

void TransformRing(OGRCoordinateTransformation& t, std::vector<Point2>& pts,
                   const std::string& where) {
  if (pts.empty()) return;
  std::vector<double> x(pts.size()), y(pts.size());
  for (std::size_t i = 0; i < pts.size(); ++i) x[i] = pts[i].x, y[i] = pts[i].y;
  if (!t.Transform(static_cast<int>(pts.size()), x.data(), y.data())) throw NotReprojectable(where);
  for (std::size_t i = 0; i < pts.size(); ++i) pts[i] = {x[i], y[i]};
}

template <typename Fn>
void ForEachCoordinateList(Feature& f, Fn&& fn) {
  for (auto& p : f.polygons) {
    fn(p.outer);
    for (auto& h : p.holes) fn(h);
  }
  for (auto& l : f.lines) fn(l);
  fn(f.points);
}

double GcjOffsetLat(double x, double y) {
  double r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * std::sqrt(std::abs(x));
  r += (20.0 * std::sin(6.0 * x * kPi) + 20.0 * std::sin(2.0 * x * kPi)) * 2.0 / 3.0;
  r += (20.0 * std::sin(y * kPi) + 40.0 * std::sin(y / 3.0 * kPi)) * 2.0 / 3.0;
  r += (160.0 * std::sin(y / 12.0 * kPi) + 320.0 * std::sin(y * kPi / 30.0)) * 2.0 / 3.0;
  return r;
}

double GcjOffsetLon(double x, double y) {
  double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * std::sqrt(std::abs(x));
  r += (20.0 * std::sin(6.0 * x * kPi) + 20.0 * std::sin(2.0 * x * kPi)) * 2.0 / 3.0;
  r += (20.0 * std::sin(x * kPi) + 40.0 * std::sin(x / 3.0 * kPi)) * 2.0 / 3.0;
  r += (150.0 * std::sin(x / 12.0 * kPi) + 300.0 * std::sin(x / 30.0 * kPi)) * 2.0 / 3.0;
  return r;
}

bool OutsideChina(Point2 p) {
  return p.x < 72.004 || p.x > 137.8347 || p.y < 0.8293 || p.y > 55.8271;
}

}  // namespace

int VectorLayer::FieldIndex(const std::string& name) const {
  for (std::size_t i = 0; i < fields.size(); ++i)
    if (fields[i] == name) return static_cast<int>(i);
  return -1;
}

std::string VectorLayer::Where(std::size_t feature) const {
  std::ostringstream s;
  s << path << " (layer " << layer << ") feature " << features.at(feature).fid;
  return s.str();
}

Point2 Wgs84ToGcj02(Point2 p) {
  if (OutsideChina(p)) return p;
  const double a = 6378245.0, ee = 0.00669342162296594323;
  double dlat = GcjOffsetLat(p.x - 105.0, p.y - 35.0);
  double dlon = GcjOffsetLon(p.x - 105.0, p.y - 35.0);
  const double radlat = p.y / 180.0 * kPi;
  double magic = std::sin(radlat);
  magic = 1 - ee * magic * magic;
  const double sqrtmagic = std::sqrt(magic);
  dlat = (dlat * 180.0) / ((a * (1 - ee)) / (magic * sqrtmagic) * kPi);
  dlon = (dlon * 180.0) / (a / sqrtmagic * std::cos(radlat) * kPi);
  return {p.x + dlon, p.y + dlat};
}

Point2 Gcj02ToWgs84(Point2 g) {
  Point2 w = g;
  for (int i = 0; i < 30; ++i) {
    const Point2 f = Wgs84ToGcj02(w);
    const double dx = f.x - g.x, dy = f.y - g.y;
    w = {w.x - dx, w.y - dy};
    if (std::abs(dx) < 1e-10 && std::abs(dy) < 1e-10) break;
  }
  return w;
}

std::string CrsToWkt(const std::string& definition, const std::string& what) {
  EnsureGdal();
  if (IsGcj02(definition)) return CrsToWkt("EPSG:4326", what);
  OGRSpatialReference srs;
  QuietGdal quiet;
  if (srs.SetFromUserInput(definition.c_str()) != OGRERR_NONE)
    throw InputError(SourceRef{what}, "unknown CRS '" + definition + "' (" + LastGdalError() + ")");
  char* wkt = nullptr;
  srs.exportToWkt(&wkt);
  std::string out = wkt ? wkt : "";
  CPLFree(wkt);
  return out;
}

namespace {

// The header row of a CSV file, read through GDAL's VSI (so /vsimem/ works too) and
// split by the one CSV reader.
std::vector<std::string> CsvHeader(const std::string& path) {
  VSILFILE* f = VSIFOpenL(path.c_str(), "rb");
  if (!f) return {};
  std::string line;
  char c = 0;
  bool quoted = false;
  while (line.size() < (1 << 20) && VSIFReadL(&c, 1, 1, f) == 1 && (quoted || c != '\n')) {
    if (c == '"') quoted = !quoted;
    line += c;
  }
  VSIFCloseL(f);
  return CsvTable::Parse(line + "\n", path).Columns();
}

// GDAL's CSV open options naming the x, y (or WKT) columns. The column is
// chosen here, one name each: GDAL 3.6 crashes when two columns match its
// X_POSSIBLE_NAMES (say x and lon, or lon twice).
std::vector<std::string> CsvOpenOptions(const std::string& path) {
  const std::vector<std::string> header = CsvHeader(path);
  auto pick = [&](const char* axis, std::initializer_list<const char*> candidates) {
    for (const char* want : candidates) {
      int found = 0;
      for (const auto& h : header) found += EQUAL(h.c_str(), want) ? 1 : 0;
      if (found > 1)
        throw InputError(SourceRef{path}, std::string("header: column '") + want + "' appears " +
                                              std::to_string(found) + " times; keep one " + axis +
                                              " column");
      if (found == 1) return std::string(want);
    }
    return std::string();
  };
  std::vector<std::string> o = {"GEOM_POSSIBLE_NAMES=wkt,WKT,geometry,geom",
                                "KEEP_GEOM_COLUMNS=NO"};
  const std::string x = pick("x", {"x", "lon", "longitude", "lng"});
  const std::string y = pick("y", {"y", "lat", "latitude"});
  if (!x.empty() && !y.empty()) {
    o.push_back("X_POSSIBLE_NAMES=" + x);
    o.push_back("Y_POSSIBLE_NAMES=" + y);
  }
  return o;
}

}  // namespace

void RequireUtf8Field(const VectorLayer& layer, const std::string& field) {
  const int f = layer.FieldIndex(field);
  if (f < 0 || layer.not_utf8[f] < 0) return;
  throw InputError::Named(
      layer.path,
      layer.Where(static_cast<std::size_t>(layer.not_utf8[f])) + ": field '" + field +
          "' is not UTF-8 text; give the layer's encoding (encoding: CP936 for GBK, ...)");
}

std::string ValidUtf8(const std::string& text, bool* changed) {
  std::string out;
  out.reserve(text.size());
  bool replaced = false;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned char c = p[i];
    // Length of the sequence c starts and the bounds of its second byte (RFC 3629, table 3-7).
    int len = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c < 0x80)
      len = 1;
    else if (c >= 0xC2 && c <= 0xDF)
      len = 2;
    else if (c == 0xE0)
      len = 3, lo = 0xA0;
    else if (c == 0xED)
      len = 3, hi = 0x9F;
    else if (c >= 0xE1 && c <= 0xEF)
      len = 3;
    else if (c == 0xF0)
      len = 4, lo = 0x90;
    else if (c == 0xF4)
      len = 4, hi = 0x8F;
    else if (c >= 0xF1 && c <= 0xF3)
      len = 4;
    bool ok = len > 0 && i + len <= n;
    for (int k = 1; ok && k < len; ++k) {
      const unsigned char b = p[i + k];
      ok = k == 1 ? (b >= lo && b <= hi) : (b >= 0x80 && b <= 0xBF);
    }
    if (ok) {
      out.append(text, i, len);
      i += len;
    } else {
      out += "\xEF\xBF\xBD";  // U+FFFD for the first byte; the rest is looked at afresh
      replaced = true;
      ++i;
    }
  }
  if (changed) *changed = replaced;
  return out;
}

// Throws InputError when `path` does not exist. GDAL's own stat: real files, and /vsimem/
// or /vsizip/ paths alike (a name too long to stat is "not found", not a crash).
void RequireFile(const std::string& path) {
  VSIStatBufL stat;
  if (path.empty() || path.size() > 4096 || VSIStatL(path.c_str(), &stat) != 0)
    throw InputError(SourceRef{path}, "file not found");
}

// Opens `path` as a vector source, read-only. Throws InputError naming it.
GDALDatasetUniquePtr OpenVectorSource(const std::string& path,
                                      std::vector<const char*> open_options) {
  RequireFile(path);
  if (open_options.empty() || open_options.back() != nullptr) open_options.push_back(nullptr);
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY,
                                            nullptr, open_options.data(), nullptr));
  if (!ds) throw InputError(SourceRef{path}, "cannot open as a vector source: " + LastGdalError());
  return ds;
}

// Layer `layer_name` of `ds` ("" = the first). Throws InputError listing the layers there are.
OGRLayer* FindLayer(GDALDataset& ds, const std::string& path, const std::string& layer_name) {
  if (layer_name.empty()) {
    if (ds.GetLayerCount() == 0) throw InputError(SourceRef{path}, "holds no vector layer");
    return ds.GetLayer(0);
  }
  OGRLayer* ogr = ds.GetLayerByName(layer_name.c_str());
  if (!ogr) {
    std::string names;
    for (auto* l : ds.GetLayers()) names += std::string(names.empty() ? "" : ", ") + l->GetName();
    throw InputError(SourceRef{path}, "no layer '" + layer_name + "' (layers: " + names + ")");
  }
  return ogr;
}

bool HasLayer(const std::string& path, const std::string& layer) {
  EnsureGdal();
  QuietGdal quiet;
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY,
                                            nullptr, nullptr, nullptr));
  return ds && ds->GetLayerByName(layer.c_str()) != nullptr;
}

VectorLayer ReadVectorLayer(const std::string& path, const std::string& layer_name,
                            const ReadOptions& options) {
  EnsureGdal();
  QuietGdal quiet;
  RequireFile(path);
  // CSV sources carry geometry as WKT or x/y columns; tell the driver which names to try.
  const std::string ext = std::filesystem::path(path).extension().string();
  std::vector<std::string> csv_options;
  if (ext == ".csv" || ext == ".CSV") csv_options = CsvOpenOptions(path);
  std::vector<const char*> open_options;
  for (const auto& o : csv_options) open_options.push_back(o.c_str());
  const std::string encoding = "ENCODING=" + options.encoding;
  if (!options.encoding.empty()) open_options.push_back(encoding.c_str());
  GDALDatasetUniquePtr ds = OpenVectorSource(path, open_options);
  OGRLayer* ogr = FindLayer(*ds, path, layer_name);

  VectorLayer out;
  out.path = path;
  out.layer = ogr->GetName();
  OGRFeatureDefn* defn = ogr->GetLayerDefn();
  for (int i = 0; i < defn->GetFieldCount(); ++i)
    out.fields.push_back(ValidUtf8(defn->GetFieldDefn(i)->GetNameRef()));
  out.not_utf8.assign(out.fields.size(), -1);

  const bool gcj = IsGcj02(options.assume_crs);
  if (!options.assume_crs.empty()) {
    out.crs = CrsToWkt(options.assume_crs, path + ": crs");
  } else if (const OGRSpatialReference* srs = ogr->GetSpatialRef()) {
    char* wkt = nullptr;
    srs->exportToWkt(&wkt);
    out.crs = wkt ? wkt : "";
    CPLFree(wkt);
  }

  ogr->ResetReading();
  for (auto&& feature : *ogr) {
    Feature f;
    f.fid = feature->GetFID();
    f.values.resize(out.fields.size());
    f.null_values.resize(out.fields.size());
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
      if (feature->IsFieldSetAndNotNull(i)) {
        bool changed = false;
        f.values[i] = ValidUtf8(FieldText(*feature, i), &changed);
        if (changed && out.not_utf8[i] < 0)
          out.not_utf8[i] = static_cast<long long>(out.features.size());
      } else
        f.null_values[i] = true;
    }
    const OGRGeometry* g = feature->GetGeometryRef();
    // MakeValid's result lives as long as this feature's record: `g` may point into it
    // when the geometry kind is reported below.
    std::unique_ptr<OGRGeometry> fixed;
    if (!g || g->IsEmpty()) {
      ++out.empty;
      if (options.kind != GeometryKind::kAny) continue;
    } else {
      f.has_z = g->Is3D();
      const OGRwkbGeometryType type = wkbFlatten(g->getGeometryType());
      if ((type == wkbPolygon || type == wkbMultiPolygon) && !g->IsValid()) {
        fixed.reset(g->MakeValid());
        if (!fixed)
          throw InputError::Named(out.path, out.path + " (layer " + out.layer + ") feature " +
                                                std::to_string(f.fid) +
                                                ": invalid polygon that MakeValid cannot repair");
        ++out.repaired;
        g = fixed.get();
      }
      SplitGeometry(g, f.polygons, f.lines, f.points);
    }
    const bool ok = options.kind == GeometryKind::kAny ||
                    (options.kind == GeometryKind::kPolygon && !f.polygons.empty()) ||
                    (options.kind == GeometryKind::kLine && !f.lines.empty()) ||
                    (options.kind == GeometryKind::kPoint && !f.points.empty());
    if (!ok)
      throw InputError::Named(out.path, out.path + " (layer " + out.layer + ") feature " +
                                            std::to_string(f.fid) + ": expected " +
                                            KindName(options.kind) + " geometry, got " +
                                            (g ? g->getGeometryName() : "none"));
    if (gcj)
      ForEachCoordinateList(f, [](std::vector<Point2>& pts) {
        for (auto& p : pts) p = Gcj02ToWgs84(p);
      });
    out.features.push_back(std::move(f));
  }
  return out;
}

std::string LocalEqualAreaCrs(const VectorLayer& layer) {
  Box box;
  for (const auto& f : layer.features) {
    box.Add(Bounds(f.polygons));
    for (const auto& l : f.lines) box.Add(Bounds(l));
    for (const auto& p : f.points) box.Add(p);
  }
  if (box.Empty())
    throw InputError(SourceRef{layer.path}, "no coordinates to centre a projection on");
  const std::string what = layer.path + " (layer " + layer.layer + ")";
  std::vector<Point2> centre{box.Center()};
  ReprojectPoints(centre, layer.crs, CrsToWkt("EPSG:4326", "WGS84"), what);
  if (!(std::abs(centre[0].y) <= 90.0 && std::abs(centre[0].x) <= 360.0)) {
    std::ostringstream why;
    why << what << ": the data's centre is at latitude " << centre[0].y << ", longitude "
        << centre[0].x << " in its CRS; are x and y swapped (latitude first), or is the CRS wrong?";
    throw InputError(why.str());
  }
  std::ostringstream s;
  s.precision(10);
  s << "+proj=laea +lat_0=" << centre[0].y << " +lon_0=" << centre[0].x
    << " +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs";
  return CrsToWkt(s.str(), what + ": local equal-area CRS");
}

void Reproject(VectorLayer& layer, const std::string& to_wkt) {
  if (layer.crs.empty())
    throw InputError::Named(layer.path,
                            layer.path + " (layer " + layer.layer +
                                "): has no CRS; name one in the scenario (crs: EPSG:4326, ...)");
  EnsureGdal();
  QuietGdal quiet;
  auto t = MakeTransform(layer.crs, to_wkt, layer.path + " (layer " + layer.layer + ")");
  // Coordinates go to PROJ in batches of whole features: a call per ring cost more than the
  // transform itself at 1e6 villages. A point that fails is traced to its feature.
  constexpr std::size_t kBatchPoints = std::size_t(1) << 16;
  std::vector<double> x, y;
  std::vector<int> ok;
  std::size_t first = 0;  // first feature of the batch
  auto flush = [&](std::size_t end) {
    ok.assign(x.size(), 0);
    if (!x.empty()) t->Transform(x.size(), x.data(), y.data(), nullptr, ok.data());
    std::size_t k = 0;
    for (std::size_t i = first; i < end; ++i)
      ForEachCoordinateList(layer.features[i], [&](std::vector<Point2>& pts) {
        for (auto& p : pts) {
          if (!ok[k]) throw NotReprojectable(layer.Where(i));
          p = {x[k], y[k]};
          ++k;
        }
      });
    x.clear();
    y.clear();
    first = end;
  };
  for (std::size_t i = 0; i < layer.features.size(); ++i) {
    ForEachCoordinateList(layer.features[i], [&](std::vector<Point2>& pts) {
      for (const auto& p : pts) {
        x.push_back(p.x);
        y.push_back(p.y);
      }
    });
    if (x.size() >= kBatchPoints) flush(i + 1);
  }
  flush(layer.features.size());
  layer.crs = to_wkt;
}

void ReprojectPoints(std::vector<Point2>& points, const std::string& from_wkt,
                     const std::string& to_wkt, const std::string& what) {
  EnsureGdal();
  QuietGdal quiet;
  auto t = MakeTransform(from_wkt, to_wkt, what);
  TransformRing(*t, points, what);
}

void ReadTableRows(const std::string& path, const std::string& layer, const std::string& key_field,
                   const std::vector<std::string>& number_fields, const RowCallback& fn) {
  EnsureGdal();
  QuietGdal quiet;
  GDALDatasetUniquePtr ds = OpenVectorSource(path, {});
  OGRLayer* ogr = FindLayer(*ds, path, layer);
  OGRFeatureDefn* defn = ogr->GetLayerDefn();
  const std::string where = path + " (layer " + ogr->GetName() + ")";
  auto index_of = [&](const std::string& name) {
    const int i = defn->GetFieldIndex(name.c_str());
    if (i < 0) throw InputError(SourceRef{where}, "no field '" + name + "'");
    return i;
  };
  const int key = index_of(key_field);
  std::vector<int> numbers;
  for (const auto& name : number_fields) {
    numbers.push_back(index_of(name));
    const OGRFieldType t = defn->GetFieldDefn(numbers.back())->GetType();
    if (t != OFTReal && t != OFTInteger && t != OFTInteger64)
      throw InputError(SourceRef{where}, "field '" + name + "' is not numeric");
  }
  // Fetch only the fields asked for: the rest (dates, geometry) cost time on long tables.
  std::vector<std::string> ignored;
  for (int i = 0; i < defn->GetFieldCount(); ++i)
    if (i != key && std::find(numbers.begin(), numbers.end(), i) == numbers.end())
      ignored.push_back(defn->GetFieldDefn(i)->GetNameRef());
  ignored.push_back("OGR_GEOMETRY");
  std::vector<const char*> list;
  for (const auto& name : ignored) list.push_back(name.c_str());
  list.push_back(nullptr);
  ogr->SetIgnoredFields(list.data());
  std::vector<double> values(numbers.size());
  ogr->ResetReading();
  for (auto&& feature : *ogr) {
    for (std::size_t n = 0; n < numbers.size(); ++n)
      values[n] = feature->IsFieldSetAndNotNull(numbers[n])
                      ? feature->GetFieldAsDouble(numbers[n])
                      : std::numeric_limits<double>::quiet_NaN();
    const char* text = feature->IsFieldSetAndNotNull(key) ? feature->GetFieldAsString(key) : "";
    fn(feature->GetFID(), text, values.data());
  }
}

}  // namespace cordon::data
