// SPDX-License-Identifier: Apache-2.0
#include "cordon/data/vector_writer.hpp"

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <memory>

#include "cordon/base/atomic_file.hpp"
#include "gdal_session.hpp"
#include "ogr_convert.hpp"

namespace cordon::data {
namespace {

std::string DriverFor(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(c));
  if (ext == ".gpkg") return "GPKG";
  if (ext == ".geojson" || ext == ".json") return "GeoJSON";
  if (ext == ".kml") return "KML";
  if (ext == ".fgb") return "FlatGeobuf";
  throw InputError(path.string() + ": cannot tell the output format from the extension '" + ext +
                   "'");
}

std::unique_ptr<OGRGeometry> MakeGeometry(const LayerToWrite& l, std::size_t row) {
  switch (l.kind) {
    case GeometryKind::kPolygon:
      return ToOgr(l.polygons[row]);
    case GeometryKind::kLine: {
      auto line = std::make_unique<OGRLineString>();
      for (const auto& p : l.lines[row]) line->addPoint(p.x, p.y);
      return line;
    }
    case GeometryKind::kPoint:
      return std::make_unique<OGRPoint>(l.points[row].x, l.points[row].y);
    default:
      return nullptr;
  }
}

OGRwkbGeometryType OgrType(GeometryKind k) {
  switch (k) {
    case GeometryKind::kPolygon:
      return wkbMultiPolygon;
    case GeometryKind::kLine:
      return wkbLineString;
    case GeometryKind::kPoint:
      return wkbPoint;
    default:
      return wkbNone;
  }
}

void Check(bool ok, const std::string& what) {
  if (!ok) throw std::runtime_error(what + ": " + LastGdalError());
}

// The field types and the (optional) reprojection of a layer being written.
struct OpenLayer {
  OGRLayer* layer = nullptr;
  std::unique_ptr<OGRCoordinateTransformation> transform;
};

void CheckColumns(const LayerToWrite& l, const std::string& path) {
  const std::size_t rows = l.Rows();
  for (const auto& c : l.columns)
    if (c.Size() != rows)
      throw InputError(SourceRef{path}, "layer " + l.name + ": column " + c.name + " has " +
                                            std::to_string(c.Size()) + " values for " +
                                            std::to_string(rows) + " rows");
}

OpenLayer CreateLayer(GDALDataset& ds, const LayerToWrite& l, const std::string& path) {
  OpenLayer out;
  std::unique_ptr<OGRSpatialReference> srs;
  if (l.kind != GeometryKind::kAny && !l.crs.empty()) {
    srs = std::make_unique<OGRSpatialReference>();
    srs->importFromWkt((l.out_crs.empty() ? l.crs : l.out_crs).c_str());
    srs->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    if (!l.out_crs.empty() && l.out_crs != l.crs) {
      OGRSpatialReference from;
      from.importFromWkt(l.crs.c_str());
      from.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
      out.transform.reset(OGRCreateCoordinateTransformation(&from, srs.get()));
      Check(out.transform != nullptr, path + ": layer " + l.name + ": reprojection");
    }
  }
  const char* options[] = {"SPATIAL_INDEX=YES", nullptr};
  out.layer =
      ds.CreateLayer(l.name.c_str(), srs.get(), OgrType(l.kind), const_cast<char**>(options));
  Check(out.layer != nullptr, path + ": cannot create layer " + l.name);
  for (const auto& c : l.columns) {
    const OGRFieldType t = c.type == FieldType::kText      ? OFTString
                           : c.type == FieldType::kDate    ? OFTDate
                           : c.type == FieldType::kInteger ? OFTInteger64
                                                           : OFTReal;
    OGRFieldDefn field(c.name.c_str(), t);
    Check(out.layer->CreateField(&field) == OGRERR_NONE,
          path + ": layer " + l.name + ": field " + c.name);
  }
  return out;
}

void AddRows(const OpenLayer& open, const LayerToWrite& l, const std::string& path) {
  CheckColumns(l, path);
  OGRLayer* layer = open.layer;
  OGRFeatureDefn* defn = layer->GetLayerDefn();
  if (defn->GetFieldCount() != int(l.columns.size()))
    throw InputError(SourceRef{path}, "layer " + l.name + ": rows with " +
                                          std::to_string(l.columns.size()) + " columns for " +
                                          std::to_string(defn->GetFieldCount()) + " fields");
  // Without a transaction GeoPackage commits every feature: 100x slower.
  const bool transaction = layer->StartTransaction() == OGRERR_NONE;
  const std::size_t rows = l.Rows();
  // One feature reused for every row: a new one per row costs more than the insert.
  OGRFeature feature(defn);
  for (std::size_t r = 0; r < rows; ++r) {
    feature.SetFID(OGRNullFID);
    for (std::size_t c = 0; c < l.columns.size(); ++c) {
      const Column& col = l.columns[c];
      const int i = static_cast<int>(c);
      if (col.type == FieldType::kText || col.type == FieldType::kDate)
        feature.SetField(i, col.text[r].c_str());  // OGR parses a date field's YYYY-MM-DD
      else if (col.type == FieldType::kInteger)
        feature.SetField(i, static_cast<GIntBig>(col.integer[r]));
      else if (std::isnan(col.real[r]))
        feature.SetFieldNull(i);
      else
        feature.SetField(i, col.real[r]);
    }
    if (auto g = MakeGeometry(l, r)) {
      if (open.transform)
        Check(g->transform(open.transform.get()) == OGRERR_NONE, path + ": reprojection");
      Check(feature.SetGeometryDirectly(g.release()) == OGRERR_NONE, path + ": geometry");
    }
    Check(layer->CreateFeature(&feature) == OGRERR_NONE,
          path + ": layer " + l.name + ": row " + std::to_string(r));
  }
  if (transaction) Check(layer->CommitTransaction() == OGRERR_NONE, path + ": layer " + l.name);
}

}  // namespace

std::size_t Column::Size() const {
  switch (type) {
    case FieldType::kText:
    case FieldType::kDate:
      return text.size();
    case FieldType::kInteger:
      return integer.size();
    default:
      return real.size();
  }
}

std::size_t LayerToWrite::Rows() const {
  switch (kind) {
    case GeometryKind::kPolygon:
      return polygons.size();
    case GeometryKind::kLine:
      return lines.size();
    case GeometryKind::kPoint:
      return points.size();
    default:
      return columns.empty() ? 0 : columns.front().Size();
  }
}

struct VectorFileWriter::Impl {
  std::string path, temp;
  GDALDatasetUniquePtr ds;
  std::map<std::string, OpenLayer> layers;
};

VectorFileWriter::VectorFileWriter(const std::string& path) : impl_(nullptr) {
  EnsureGdal();
  QuietGdal quiet;
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  const std::string driver_name = DriverFor(std::filesystem::path(path));
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name.c_str());
  Check(driver != nullptr, "GDAL has no " + driver_name + " driver");
  impl->temp = TempPathFor(path);
  std::filesystem::remove(impl->temp);
  impl->ds.reset(driver->Create(impl->temp.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  Check(impl->ds != nullptr, path + ": cannot create");
  impl_ = impl.release();
}

VectorFileWriter::~VectorFileWriter() {
  if (!impl_) return;
  {
    QuietGdal quiet;
    impl_->ds.reset();
  }
  std::error_code ec;
  std::filesystem::remove(impl_->temp, ec);
  delete impl_;
}

void VectorFileWriter::BeginLayer(const LayerToWrite& layer) {
  QuietGdal quiet;
  CheckColumns(layer, impl_->path);
  if (impl_->layers.count(layer.name))
    throw InputError(impl_->path + ": layer " + layer.name + " written twice");
  const OpenLayer& open = impl_->layers[layer.name] = CreateLayer(*impl_->ds, layer, impl_->path);
  if (layer.Rows() > 0) AddRows(open, layer, impl_->path);
}

void VectorFileWriter::WriteLayer(const LayerToWrite& layer) { BeginLayer(layer); }

void VectorFileWriter::AppendRows(const LayerToWrite& rows) {
  QuietGdal quiet;
  const auto it = impl_->layers.find(rows.name);
  if (it == impl_->layers.end())
    throw InputError(impl_->path + ": rows for layer " + rows.name + ", which was not begun");
  AddRows(it->second, rows, impl_->path);
}

void VectorFileWriter::Commit(const std::vector<std::string>& sql) {
  QuietGdal quiet;
  for (const auto& statement : sql) {
    CPLErrorReset();
    OGRLayer* result = impl_->ds->ExecuteSQL(statement.c_str(), nullptr, "SQLITE");
    if (result) impl_->ds->ReleaseResultSet(result);
    Check(CPLGetLastErrorType() < CE_Failure,
          impl_->path + ": " + statement.substr(0, 40) + "...: " + CPLGetLastErrorMsg());
  }
  impl_->layers.clear();
  impl_->ds.reset();                             // closes and flushes
  CommitFinishedFile(impl_->temp, impl_->path);  // after GDALClose: the file is complete on disk
  delete impl_;
  impl_ = nullptr;
}

void WriteVectorFile(const std::string& path, const std::vector<LayerToWrite>& layers,
                     const std::vector<std::string>& sql) {
  VectorFileWriter file(path);
  for (const auto& l : layers) file.WriteLayer(l);
  file.Commit(sql);
}

}  // namespace cordon::data
