// SPDX-License-Identifier: Apache-2.0
#pragma once
// The admin units of the synthetic county: populations, codes and names of
// its townships, villages and village groups, on the shapes of its layout.
#include <cstdint>
#include <vector>

#include "cordon/data/county_generator.hpp"
#include "county_tessellation.hpp"

namespace cordon::data {

/// Persons per village: the county seat tens of thousands, township seats
/// thousands, hamlets hundreds (lognormal around 600, 150 .. 4,000).
std::vector<double> VillagePopulations(const CountyLayout& layout, std::uint64_t seed);

/// The townships: code = county code + number, population = sum of their
/// villages' `village_pop` (persons), shape = `outlines` moved by `shift` (metres).
std::vector<AdminUnit> TownshipUnits(const CountyOptions& options, const CountyLayout& layout,
                                     const std::vector<double>& village_pop,
                                     std::vector<MultiPolygon> outlines, Point2 shift);

/// The villages, numbered within their township, on their cells moved by `shift` (metres).
std::vector<AdminUnit> VillageUnits(const CountyOptions& options, const CountyLayout& layout,
                                    const std::vector<double>& village_pop,
                                    const std::vector<AdminUnit>& townships, Point2 shift);

/// The village groups and where their lanes start.
struct Groups {
  std::vector<AdminUnit> units;  ///< g x g per village, row by row, village by village
  std::vector<Point2> centre;    ///< per group: its cell's centroid (metres, moved by `shift`)
};

/// The g x g groups of every village (g = group_grid > 1), persons shared out
/// by random weights, on their cells moved by `shift` (metres).
Groups GroupUnits(const CountyOptions& options, const CountyLayout& layout,
                  const std::vector<AdminUnit>& villages, Point2 shift);

}  // namespace cordon::data
