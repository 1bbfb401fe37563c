// SPDX-License-Identifier: Apache-2.0
#pragma once
// GDAL process set-up and error capture shared by the data module's sources.
#include <cpl_error.h>
#include <gdal.h>

#include <mutex>
#include <string>

namespace cordon::data {

/// Registers GDAL's drivers once per process.
inline void EnsureGdal() {
  static std::once_flag once;
  std::call_once(once, [] { GDALAllRegister(); });
}

/// While alive, GDAL messages go to its last-error slot instead of stderr.
class QuietGdal {
 public:
  QuietGdal() {
    CPLErrorReset();
    CPLPushErrorHandler(CPLQuietErrorHandler);
  }
  ~QuietGdal() { CPLPopErrorHandler(); }
  QuietGdal(const QuietGdal&) = delete;
  QuietGdal& operator=(const QuietGdal&) = delete;
};

/// GDAL's last error message, or "unknown GDAL error".
inline std::string LastGdalError() {
  const char* msg = CPLGetLastErrorMsg();
  return msg && *msg ? msg : "unknown GDAL error";
}

}  // namespace cordon::data
