// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: any bytes as a GIS layer (GeoJSON, KML, CSV with WKT or
// x/y, GeoPackage, Shapefile) must be read, centred and reprojected, or give
// a cordon::Error, never a crash, a hang or another exception. Files live in
// GDAL's /vsimem/, so nothing is written to disk.
//
// The first byte picks the format: 'k' KML, 'c' CSV, 'g' GeoPackage,
// 's' Shapefile (then two 16-bit little-endian lengths of the .shp and .shx
// parts; the rest is the .dbf), anything else GeoJSON (that byte dropped).
#include <cpl_vsi.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cordon/base/error.hpp"
#include "cordon/data/vector_io.hpp"

namespace {

// Puts `bytes` at `path` in /vsimem/ (a copy GDAL owns).
void Put(const std::string& path, const std::uint8_t* bytes, std::size_t size) {
  auto* copy = static_cast<GByte*>(VSIMalloc(size ? size : 1));
  for (std::size_t k = 0; k < size; ++k) copy[k] = bytes[k];
  VSIFCloseL(VSIFileFromMemBuffer(path.c_str(), copy, size, TRUE));
}

// Writes the input's files; returns the path to open ("" when the input is too short).
std::string Stage(const std::uint8_t* data, std::size_t size, std::vector<std::string>& files) {
  if (size == 0) return "";
  const char kind = static_cast<char>(data[0]);
  const std::uint8_t* body = data + 1;
  std::size_t rest = size - 1;
  auto add = [&](const std::string& path, const std::uint8_t* bytes, std::size_t n) {
    Put(path, bytes, n);
    files.push_back(path);
    return path;
  };
  if (kind == 'k') return add("/vsimem/fuzz/in.kml", body, rest);
  if (kind == 'c') return add("/vsimem/fuzz/in.csv", body, rest);
  if (kind == 'g') return add("/vsimem/fuzz/in.gpkg", body, rest);
  if (kind == 's') {
    if (rest < 4) return "";
    const std::size_t shp = std::min<std::size_t>(body[0] | body[1] << 8, rest - 4);
    const std::size_t shx = std::min<std::size_t>(body[2] | body[3] << 8, rest - 4 - shp);
    const std::uint8_t* p = body + 4;
    add("/vsimem/fuzz/in.shx", p + shp, shx);
    add("/vsimem/fuzz/in.dbf", p + shp + shx, rest - 4 - shp - shx);
    return add("/vsimem/fuzz/in.shp", p, shp);
  }
  return add("/vsimem/fuzz/in.geojson", body, rest);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> files;
  const std::string path = Stage(data, size, files);
  if (!path.empty()) {
    try {
      cordon::data::VectorLayer layer = cordon::data::ReadVectorLayer(path, "");
      if (layer.crs.empty()) layer.crs = cordon::data::CrsToWkt("EPSG:4326", "fuzz");
      if (!layer.features.empty())
        cordon::data::Reproject(layer, cordon::data::LocalEqualAreaCrs(layer));
    } catch (const cordon::Error&) {
      // Expected for bad input.
    }
  }
  for (const auto& f : files) VSIUnlink(f.c_str());
  return 0;
}
