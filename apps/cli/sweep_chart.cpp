// SPDX-License-Identifier: Apache-2.0
#include "sweep_chart.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>

#include "cordon/base/csv_table.hpp"
#include "cordon/render/grid_chart.hpp"
#include "cordon/render/image.hpp"

namespace cordon::cli {
namespace {

// The distinct texts of column c, in order of first appearance.
std::vector<std::string> Distinct(const CsvTable& t, int c) {
  std::vector<std::string> out;
  for (std::size_t r = 0; r < t.Rows(); ++r)
    if (std::find(out.begin(), out.end(), t.Text(r, c)) == out.end())
      out.emplace_back(t.Text(r, c));
  return out;
}

}  // namespace

std::string WriteSweepGridChart(const std::string& dir) {
  const std::filesystem::path points = std::filesystem::path(dir) / "sweep_points.csv";
  if (!std::filesystem::exists(points)) return "";
  const CsvTable t = CsvTable::Read(points.string());
  // sweep_points.csv: point, the varied keys, runs, then METRIC_mean, _q05, _q50, _q95.
  const auto& header = t.Columns();
  const int runs = t.Find("runs");
  if (runs != 3 || t.Rows() == 0) return "";
  const std::string metric = t.Find("attack_rate_mean") >= 0 ? "attack_rate_mean"
                             : header.size() > 4             ? header[4]
                                                             : "";
  if (metric.size() < 5 || metric.substr(metric.size() - 5) != "_mean") return "";
  render::GridChart g;
  g.rows = Distinct(t, 1);
  g.columns = Distinct(t, 2);
  if (g.rows.size() * g.columns.size() != t.Rows()) return "";  // not one full grid
  g.values.assign(t.Rows(), std::numeric_limits<double>::quiet_NaN());
  const int value = t.Find(metric);
  for (std::size_t r = 0; r < t.Rows(); ++r) {
    const auto row = std::find(g.rows.begin(), g.rows.end(), t.Text(r, 1)) - g.rows.begin();
    const auto col =
        std::find(g.columns.begin(), g.columns.end(), t.Text(r, 2)) - g.columns.begin();
    double& cell = g.values[std::size_t(row) * g.columns.size() + std::size_t(col)];
    if (!std::isnan(cell)) return "";  // a pair twice: not a grid
    cell = t.OptionalNumber(r, value).value_or(std::numeric_limits<double>::quiet_NaN());
  }
  const std::string name = metric.substr(0, metric.size() - 5);
  g.row_key = header[1];
  g.column_key = header[2];
  g.value_label = name + " (mean over runs)";
  g.title = name + " over " + header[1] + " x " + header[2];
  const std::string file = "sweep_" + name + ".png";
  render::WritePng(render::PlotGrid(g), (std::filesystem::path(dir) / file).string());
  return file;
}

}  // namespace cordon::cli
