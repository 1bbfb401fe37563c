// SPDX-License-Identifier: Apache-2.0
// The daily outputs' writer thread: every day reaches the file, in order, with the values
// given; a failure of the file stops the run at its next day and is not lost.
#include "day_writer.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace cordon::engine {
namespace {

TEST(DayWriter, WritesEveryDayInOrderWithItsValues) {
  std::vector<int> days;
  std::vector<double> sums;
  DayWriter writer(3, [&](int day, const double* v) {
    days.push_back(day);
    sums.push_back(v[0] + v[1] + v[2]);
  });
  for (int d = 0; d < 50; ++d) {
    const double values[3] = {double(d), 1.0, 2.0 * d};
    writer.Add(d, values);  // the caller's buffer may change as soon as Add returns
  }
  writer.Finish();
  ASSERT_EQ(days.size(), 50u);
  for (int d = 0; d < 50; ++d) {
    EXPECT_EQ(days[std::size_t(d)], d);
    EXPECT_EQ(sums[std::size_t(d)], 3.0 * d + 1.0);
  }
}

TEST(DayWriter, AFailureOfTheFileReachesTheRun) {
  DayWriter writer(1, [](int day, const double*) {
    if (day == 2) throw std::runtime_error("disk full");
  });
  const double v = 0;
  bool thrown = false;
  try {
    for (int d = 0; d < 100; ++d) writer.Add(d, &v);
    writer.Finish();
  } catch (const std::runtime_error& e) {
    thrown = true;
    EXPECT_STREQ(e.what(), "disk full");
  }
  EXPECT_TRUE(thrown);
}

}  // namespace
}  // namespace cordon::engine
