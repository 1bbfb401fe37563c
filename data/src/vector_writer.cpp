// SPDX-License-Identifier: Apache-2.0
#include "cordon/data/vector_writer.hpp"

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
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

void WriteLayer(GDALDataset& ds, const LayerToWrite& l, const std::string& path) {
  const std::size_t rows = l.Rows();
  for (const auto& c : l.columns)
    if (c.Size() != rows)
      throw InputError(path + ": layer " + l.name + ": column " + c.name + " has " +
                       std::to_string(c.Size()) + " values for " + std::to_string(rows) + " rows");
  std::unique_ptr<OGRSpatialReference> srs;
  std::unique_ptr<OGRCoordinateTransformation> transform;
  if (l.kind != GeometryKind::kAny && !l.crs.empty()) {
    srs = std::make_unique<OGRSpatialReference>();
    srs->importFromWkt((l.out_crs.empty() ? l.crs : l.out_crs).c_str());
    srs->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    if (!l.out_crs.empty() && l.out_crs != l.crs) {
      OGRSpatialReference from;
      from.importFromWkt(l.crs.c_str());
      from.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
      transform.reset(OGRCreateCoordinateTransformation(&from, srs.get()));
      Check(transform != nullptr, path + ": layer " + l.name + ": reprojection");
    }
  }
  const char* options[] = {"SPATIAL_INDEX=YES", nullptr};
  OGRLayer* layer =
      ds.CreateLayer(l.name.c_str(), srs.get(), OgrType(l.kind), const_cast<char**>(options));
  Check(layer != nullptr, path + ": cannot create layer " + l.name);
  for (const auto& c : l.columns) {
    const OGRFieldType t = c.type == FieldType::kText      ? OFTString
                           : c.type == FieldType::kInteger ? OFTInteger64
                                                           : OFTReal;
    OGRFieldDefn field(c.name.c_str(), t);
    Check(layer->CreateField(&field) == OGRERR_NONE,
          path + ": layer " + l.name + ": field " + c.name);
  }
  // Without a transaction GeoPackage commits every feature: 100x slower.
  const bool transaction = layer->StartTransaction() == OGRERR_NONE;
  OGRFeatureDefn* defn = layer->GetLayerDefn();
  for (std::size_t r = 0; r < rows; ++r) {
    OGRFeature feature(defn);
    for (std::size_t c = 0; c < l.columns.size(); ++c) {
      const Column& col = l.columns[c];
      const int i = static_cast<int>(c);
      if (col.type == FieldType::kText)
        feature.SetField(i, col.text[r].c_str());
      else if (col.type == FieldType::kInteger)
        feature.SetField(i, static_cast<GIntBig>(col.integer[r]));
      else if (std::isnan(col.real[r]))
        feature.SetFieldNull(i);
      else
        feature.SetField(i, col.real[r]);
    }
    if (auto g = MakeGeometry(l, r)) {
      if (transform) Check(g->transform(transform.get()) == OGRERR_NONE, path + ": reprojection");
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

void WriteVectorFile(const std::string& path, const std::vector<LayerToWrite>& layers,
                     const std::vector<std::string>& sql) {
  EnsureGdal();
  QuietGdal quiet;
  const std::filesystem::path target(path);
  const std::string driver_name = DriverFor(target);
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name.c_str());
  Check(driver != nullptr, "GDAL has no " + driver_name + " driver");
  const std::string temp = TempPathFor(path);
  std::filesystem::remove(temp);
  {
    GDALDatasetUniquePtr ds(driver->Create(temp.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    Check(ds != nullptr, path + ": cannot create");
    try {
      for (const auto& l : layers) WriteLayer(*ds, l, path);
      for (const auto& statement : sql) {
        CPLErrorReset();
        OGRLayer* result = ds->ExecuteSQL(statement.c_str(), nullptr, "SQLITE");
        if (result) ds->ReleaseResultSet(result);
        Check(CPLGetLastErrorType() < CE_Failure,
              path + ": " + statement.substr(0, 40) + "...: " + CPLGetLastErrorMsg());
      }
    } catch (...) {
      ds.reset();
      std::filesystem::remove(temp);
      throw;
    }
    ds.reset();  // closes and flushes
  }
  CommitFinishedFile(temp, path);  // after GDALClose: the file is complete on disk
}

}  // namespace cordon::data
