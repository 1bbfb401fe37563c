// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Calendar dates of simulation days, and cordon's version.

#include <string>

namespace cordon::engine {

/// "YYYY-MM-DD" of `start_date` + `day` days ("" when start_date is empty).
std::string DateAfter(const std::string& start_date, int day);

/// The cordon version string ("0.1.0").
const char* Version();

}  // namespace cordon::engine
