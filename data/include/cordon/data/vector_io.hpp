// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Reading any OGR vector source (GeoPackage, Shapefile, GeoJSON, KML, CSV
/// with WKT or x/y columns) into plain records, and moving them between
/// coordinate reference systems with PROJ (through GDAL's OSR).

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "cordon/base/error.hpp"
#include "cordon/data/geometry.hpp"

namespace cordon::data {

/// What a layer must hold.
enum class GeometryKind { kPolygon, kLine, kPoint, kAny };

/// One feature: attribute texts in field order and its geometry, split by kind.
struct Feature {
  long long fid = 0;
  std::vector<std::string> values;  ///< per field; "" when null
  std::vector<bool> null_values;    ///< per field: the value is null or unset
  MultiPolygon polygons;
  std::vector<LineString> lines;
  std::vector<Point2> points;
  bool has_z = false;  ///< the source geometry had Z (dropped)
};

/// A layer read into memory.
struct VectorLayer {
  std::string path;                 ///< the source as given
  std::string layer;                ///< layer name inside the source
  std::vector<std::string> fields;  ///< attribute field names
  std::string crs;                  ///< WKT of the coordinates' CRS; "" = none
  std::vector<Feature> features;
  int repaired = 0;  ///< invalid polygons repaired with MakeValid
  int empty = 0;     ///< features without geometry, skipped
  /// Per field: the first feature (index into features) whose text was not
  /// valid UTF-8 and had its bad bytes replaced by U+FFFD; -1 = none.
  std::vector<long long> not_utf8;

  /// Index of field `name`, or -1.
  int FieldIndex(const std::string& name) const;
  /// "path (layer L) feature FID" for messages.
  std::string Where(std::size_t feature) const;
};

/// How to read a layer.
struct ReadOptions {
  GeometryKind kind = GeometryKind::kAny;
  /// CRS to assume for the coordinates (the scenario's `crs` for the layer):
  /// any PROJ definition or "GCJ-02". Overrides the file's own CRS; required
  /// when the file has none.
  std::string assume_crs;
  /// Encoding of the attribute text when the file does not say (a Shapefile
  /// without .cpg), e.g. "CP936" (GBK); passed to GDAL as ENCODING. "" = the file's.
  std::string encoding;
};

/// `text` with every byte sequence that is not UTF-8 replaced by U+FFFD;
/// `changed` (when given) says whether anything was replaced.
std::string ValidUtf8(const std::string& text, bool* changed = nullptr);

/// Reads `layer` of `path` ("" = the only layer, or the first when there are
/// several). Polygons that are invalid are repaired with MakeValid and
/// counted in `repaired`; GCJ-02 coordinates are converted to WGS84.
/// Attribute text is always valid UTF-8 (see `not_utf8`).
/// Throws InputError naming the file and layer.
VectorLayer ReadVectorLayer(const std::string& path, const std::string& layer,
                            const ReadOptions& options = {});

/// Whether `path` (an OGR source) has a layer named `layer`; false when it cannot be opened.
bool HasLayer(const std::string& path, const std::string& layer);

/// One row of ReadTableRows: its feature id, the key field's text ("" when null) and the
/// number fields' values (NaN when null), valid during the call only.
using RowCallback = std::function<void(long long fid, const char* key, const double* numbers)>;

/// Reads layer or table `layer` of `path` ("" = the first) row by row, in file order, without
/// holding it: fn for every row. `number_fields` must be numeric (integer or real). For long
/// tables (a results.gpkg `daily`). Throws InputError naming the file, layer and field.
void ReadTableRows(const std::string& path, const std::string& layer, const std::string& key_field,
                   const std::vector<std::string>& number_fields, const RowCallback& fn);

/// Throws InputError (naming the file, feature and field) when field `field`
/// of `layer` held text that was not UTF-8: ids and codes with replaced
/// bytes could merge two records, so they must be read with the right encoding.
void RequireUtf8Field(const VectorLayer& layer, const std::string& field);

/// WKT of a CRS given as any PROJ/GDAL user input ("EPSG:4547", a PROJ
/// string, WKT). Throws InputError naming `what` when it is not understood.
std::string CrsToWkt(const std::string& definition, const std::string& what);

/// A Lambert azimuthal equal-area CRS centred on the middle of `layer`'s
/// extent (metres), for distances and areas over a county or province.
std::string LocalEqualAreaCrs(const VectorLayer& layer);

/// Reprojects every coordinate of `layer` into `to_wkt` and sets its crs.
/// Throws InputError naming the layer file (and feature) when it cannot.
void Reproject(VectorLayer& layer, const std::string& to_wkt);

/// Reprojects points from `from_wkt` to `to_wkt` in place; `what` names
/// them (their file) in messages.
void ReprojectPoints(std::vector<Point2>& points, const std::string& from_wkt,
                     const std::string& to_wkt, const std::string& what = "points");

/// GCJ-02 ("Mars coordinates" of Chinese web maps) <-> WGS84, degrees. The
/// forward offset is the published formula; the inverse iterates it to 1e-10 degrees.
Point2 Wgs84ToGcj02(Point2 lon_lat);
Point2 Gcj02ToWgs84(Point2 lon_lat);

}  // namespace cordon::data
