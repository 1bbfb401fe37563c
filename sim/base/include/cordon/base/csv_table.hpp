// SPDX-License-Identifier: Apache-2.0
#pragma once
/// A small RFC 4180 CSV reader for the network-only inputs (villages, OD,
/// checkpoints, routes). Every value it hands out knows its file, line and
/// column, so errors can name them. And the two helpers every CSV writer
/// uses, so that all outputs spell numbers alike.

#include <optional>
#include <string>
#include <vector>

#include "cordon/base/source_ref.hpp"

namespace cordon {

/// A whole CSV file: a header row and data rows of strings.
class CsvTable {
 public:
  /// Reads `path`. Throws InputError when it cannot be opened, a quote is
  /// unterminated, or a row has more fields than the header.
  static CsvTable Read(const std::string& path);
  /// Parses CSV text; `path` is only used in messages.
  static CsvTable Parse(const std::string& text, const std::string& path);

  const std::string& Path() const { return path_; }
  std::size_t Rows() const { return rows_.size(); }
  /// The header's column names, in order.
  const std::vector<std::string>& Columns() const { return header_; }
  /// Column index of `name`, or -1.
  int Find(const std::string& name) const;
  /// Column index of `name`; throws InputError naming the file when it is missing.
  int Require(const std::string& name) const;

  /// Text of row r, column c ("" when the row is short).
  const std::string& Text(std::size_t r, int c) const;
  /// Number in row r, column c; throws InputError "file:line: column 'x': 'abc' is not a number".
  double Number(std::size_t r, int c) const;
  /// Like Number, but std::nullopt for an empty cell.
  std::optional<double> OptionalNumber(std::size_t r, int c) const;
  /// "file:line" of data row r, for messages.
  std::string Where(std::size_t r) const { return Ref(r).Describe(); }
  /// "file:line: column 'name'" of data row r, column c, for messages.
  std::string Where(std::size_t r, int c) const { return Ref(r, c).Describe(); }
  /// Data row r as a SourceRef (an InputError's Where()).
  SourceRef Ref(std::size_t r) const;
  /// Data row r, column c as a SourceRef: key "column 'name'".
  SourceRef Ref(std::size_t r, int c) const;

 private:
  std::string path_;
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<int> lines_;  ///< 1-based line of each data row
};

/// A CSV field, quoted when it holds a comma, quote or newline.
std::string CsvField(const std::string& text);
/// A number as every CSV of cordon writes it: whole numbers below 1e15 in full, others
/// in the shortest form that reads back to the same double ("" for NaN, "0" for -0).
std::string FormatNumber(double v);
/// Bytes WriteNumber may write.
inline constexpr int kNumberChars = 32;
/// FormatNumber into `out` (kNumberChars bytes), without allocating; returns the end.
char* WriteNumber(double v, char* out);

}  // namespace cordon
