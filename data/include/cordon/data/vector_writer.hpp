// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Writing layers and plain tables to a GeoPackage (or any OGR format by
/// extension), atomically: the file is built under a temporary name beside
/// the target and renamed when complete.

#include <string>
#include <vector>

#include "cordon/data/geometry.hpp"
#include "cordon/data/vector_io.hpp"

namespace cordon::data {

/// kDate: a GeoPackage DATE (QGIS's temporal controller takes it), given as "YYYY-MM-DD"
/// in Column::text.
enum class FieldType { kText, kReal, kInteger, kDate };

/// One attribute column; only the vector matching `type` is used.
struct Column {
  std::string name;
  FieldType type = FieldType::kText;
  std::vector<std::string> text;  ///< kText, kDate ("YYYY-MM-DD")
  std::vector<double> real;       ///< NaN is written as null
  std::vector<long long> integer;

  std::size_t Size() const;
};

/// A layer to write: geometry of one kind (kAny = a table without geometry)
/// and attribute columns of equal length.
struct LayerToWrite {
  std::string name;
  GeometryKind kind = GeometryKind::kAny;
  std::string crs;      ///< WKT of the coordinates below
  std::string out_crs;  ///< WKT to write in; "" = crs
  std::vector<Column> columns;
  std::vector<MultiPolygon> polygons;  ///< kind kPolygon
  std::vector<LineString> lines;       ///< kind kLine
  std::vector<Point2> points;          ///< kind kPoint

  /// Number of rows (features).
  std::size_t Rows() const;
};

/// A file built layer by layer under a temporary name beside `path` (the driver chosen from
/// the extension, GeoPackage for .gpkg) and renamed into place by Commit(); destroyed
/// without Commit() it removes the temporary file and leaves any old file as it was.
/// Tables can be written in pieces (AppendRows), so a long one never sits in memory.
class VectorFileWriter {
 public:
  /// Creates the temporary file. Throws InputError for an unknown extension,
  /// std::runtime_error when the file cannot be created.
  explicit VectorFileWriter(const std::string& path);
  ~VectorFileWriter();
  VectorFileWriter(const VectorFileWriter&) = delete;
  VectorFileWriter& operator=(const VectorFileWriter&) = delete;

  /// Writes a whole layer. Throws InputError for inconsistent columns.
  void WriteLayer(const LayerToWrite& layer);
  /// Creates `layer` (its name, kind, CRS and column names and types) with the rows it holds,
  /// to be continued with AppendRows.
  void BeginLayer(const LayerToWrite& layer);
  /// Adds the rows of `rows` (the columns of the layer begun under the same name, in the same
  /// order) to that layer, in one transaction.
  void AppendRows(const LayerToWrite& rows);
  /// Runs `sql` (SQLite dialect, e.g. indexes and views of a GeoPackage), closes the file and
  /// renames it to `path`. Throws std::runtime_error naming the statement that failed.
  void Commit(const std::vector<std::string>& sql = {});

 private:
  struct Impl;
  Impl* impl_;
};

/// Writes the layers to a new file at `path` (GeoPackage for .gpkg; the
/// driver is chosen from the extension). Replaces an existing file only when
/// the new one is complete. Throws InputError for inconsistent layers,
/// std::runtime_error when the file cannot be written.
/// `sql`: statements run (SQLite dialect, e.g. indexes and views of a GeoPackage) after
/// the layers are written, before the file is renamed into place.
void WriteVectorFile(const std::string& path, const std::vector<LayerToWrite>& layers,
                     const std::vector<std::string>& sql = {});

}  // namespace cordon::data
