// SPDX-License-Identifier: Apache-2.0
#pragma once
/// A small RFC 4180 CSV reader for the network-only inputs (villages, OD,
/// checkpoints, routes). Every value it hands out knows its file, line and
/// column, so errors can name them. And the two helpers every CSV writer
/// uses, so that all outputs spell numbers alike.
///
/// The table keeps the file's text and a (start, length) span per cell: an
/// OD table of 800,000 rows is its 19 MB of text and 38 MB of spans, not
/// millions of strings. Quoted cells are unescaped in place.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cordon/base/source_ref.hpp"

namespace cordon {

/// A whole CSV file: a header row and data rows of strings.
class CsvTable {
 public:
  /// Reads `path`. Throws InputError when it cannot be opened, a quote is
  /// unterminated, or a row has more fields than the header. A large file without
  /// quotes is split at line ends and parsed on `threads` threads (same table).
  static CsvTable Read(const std::string& path, int threads = 1);
  /// Parses CSV text; `path` is only used in messages.
  static CsvTable Parse(std::string text, const std::string& path, int threads = 1);

  const std::string& Path() const { return path_; }
  std::size_t Rows() const { return lines_.size(); }
  /// The header's column names, in order.
  const std::vector<std::string>& Columns() const { return header_; }
  /// Column index of `name`, or -1.
  int Find(const std::string& name) const;
  /// Column index of `name`; throws InputError naming the file when it is missing.
  int Require(const std::string& name) const;

  /// Text of row r, column c ("" when the row is short); valid while the table lives.
  std::string_view Text(std::size_t r, int c) const {
    const std::size_t first = row_start_[r], cells = row_start_[r + 1] - first;
    if (c < 0 || std::size_t(c) >= cells) return {};
    const Cell& cell = cells_[first + std::size_t(c)];
    return {text_.data() + cell.start, cell.size};
  }
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
  /// A cell's bytes in text_.
  struct Cell {
    std::size_t start = 0;
    std::uint32_t size = 0;
  };
  /// Cells and rows of one stretch of the text; lines counted from the stretch's start
  /// (from 1 for the first stretch).
  struct Stretch {
    std::vector<Cell> cells;
    std::vector<std::size_t> row_start;  ///< first cell of each row
    std::vector<int> lines;              ///< line of each row, 0 = the stretch's first
    int line_breaks = 0;                 ///< lines the stretch ends
  };
  /// Appends the rows of text_[begin, end) (whole lines) to `out`; quoted cells are
  /// unescaped in place. Throws InputError at an unterminated quote.
  void ParseStretch(std::size_t begin, std::size_t end, int first_line, Stretch& out);

  std::string path_;
  std::string text_;  ///< the file; quoted cells unescaped in place
  std::vector<std::string> header_;
  std::vector<Cell> cells_;
  std::vector<std::size_t> row_start_;  ///< first cell of each data row, then cells_.size()
  std::vector<int> lines_;              ///< 1-based line of each data row
};

/// A CSV field, quoted when it holds a comma, quote or newline.
std::string CsvField(std::string_view text);
/// A number as every CSV of cordon writes it: whole numbers below 1e15 in full, others
/// in the shortest form that reads back to the same double ("" for NaN, "0" for -0).
std::string FormatNumber(double v);
/// Bytes WriteNumber may write.
inline constexpr int kNumberChars = 32;
/// FormatNumber into `out` (kNumberChars bytes), without allocating; returns the end.
char* WriteNumber(double v, char* out);

}  // namespace cordon
