// SPDX-License-Identifier: Apache-2.0
// InputError says which input it is about as a SourceRef, not only in its text.
#include "cordon/base/error.hpp"

#include <gtest/gtest.h>

namespace cordon {
namespace {

TEST(SourceRef, DescribesEachKindOfPlace) {
  EXPECT_EQ((SourceRef{"s.yaml", 12, 3, "imports[0].to"}).Describe(), "s.yaml:12:3: imports[0].to");
  EXPECT_EQ((SourceRef{"od.csv", 4, 0, "column 'origin'"}).Describe(), "od.csv:4: column 'origin'");
  EXPECT_EQ((SourceRef{"od.csv", 4}).Describe(), "od.csv:4");
  EXPECT_EQ((SourceRef{"m.yaml"}).Describe(), "m.yaml");
  EXPECT_EQ((SourceRef{"s.yaml", 0, 0, "disease.r0", true}).Describe(),
            "s.yaml: disease.r0 (set on the command line)");
}

TEST(InputError, CarriesWhereItIs) {
  const InputError plain("village B: population must be >= 0");
  EXPECT_FALSE(plain.Where().has_value());

  const InputError at(SourceRef{"od.csv", 3, 0, "column 'destination'"}, "unknown village id 'Z'");
  EXPECT_STREQ(at.what(), "od.csv:3: column 'destination': unknown village id 'Z'");
  ASSERT_TRUE(at.Where().has_value());
  EXPECT_EQ(at.Where()->file, "od.csv");
  EXPECT_EQ(at.Where()->line, 3);

  // A layer's own form of place: the text as given, the file known.
  const InputError named =
      InputError::Named("v.gpkg", "v.gpkg (layer villages) feature 7: field 'pop' is empty");
  EXPECT_STREQ(named.what(), "v.gpkg (layer villages) feature 7: field 'pop' is empty");
  ASSERT_TRUE(named.Where().has_value());
  EXPECT_EQ(named.Where()->file, "v.gpkg");
}

}  // namespace
}  // namespace cordon
