// SPDX-License-Identifier: Apache-2.0
#include "cordon/base/csv_table.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "cordon/base/error.hpp"
#include "cordon/base/threads.hpp"

namespace cordon {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

// Texts smaller than this are parsed on one thread whatever the caller asks.
constexpr std::size_t kParallelBytes = std::size_t(1) << 20;

}  // namespace

CsvTable CsvTable::Read(const std::string& path, int threads) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw InputError(SourceRef{path}, "cannot open file");
  std::string text;
  // One read into a buffer of the file's size (a stream would grow it by doubling).
  struct stat st {};
  if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode)) text.resize(std::size_t(st.st_size));
  std::size_t got = std::fread(text.data(), 1, text.size(), f);
  text.resize(got);
  char buffer[65536];  // a pipe, or a file that grew since fstat
  while ((got = std::fread(buffer, 1, sizeof buffer, f)) > 0) text.append(buffer, got);
  const bool failed = std::ferror(f);
  std::fclose(f);
  if (failed) throw InputError(SourceRef{path}, "cannot read file");
  return Parse(std::move(text), path, threads);
}

// Rows of text_[begin, end), which starts a line and ends one (or the text). Unquoted cells
// lose their leading and trailing blanks; a quote after blanks opens a quoted cell, read to
// its closing quote ("" is a quote) and unescaped in place; what follows a closing quote up
// to the comma is dropped. A row that is one empty cell is a blank line and skipped.
void CsvTable::ParseStretch(std::size_t begin, std::size_t end, int first_line, Stretch& out) {
  char* const text = text_.data();
  auto CellSize = [&](std::size_t bytes, int row_line) {
    if (bytes > UINT32_MAX) throw InputError(SourceRef{path_, row_line}, "a cell over 4 GB");
    return std::uint32_t(bytes);
  };
  std::size_t pos = begin;
  int line = first_line;
  while (pos < end) {
    const int row_line = line;
    const std::size_t row_first = out.cells.size();
    bool end_of_row = false;
    while (!end_of_row) {
      std::size_t start = pos;
      while (start < end && IsBlank(text[start])) ++start;
      Cell cell{start, 0};
      if (start < end && text[start] == '"') {
        std::size_t write = start, read = start + 1;
        for (;;) {
          if (read >= end) throw InputError(SourceRef{path_, row_line}, "unterminated quote");
          const char c = text[read];
          if (c == '"') {
            if (read + 1 < end && text[read + 1] == '"') {
              text[write++] = '"';
              read += 2;
              continue;
            }
            ++read;
            break;
          }
          if (c == '\n') ++line;
          text[write++] = c;
          ++read;
        }
        cell.size = CellSize(write - start, row_line);
        pos = read;
        while (pos < end && text[pos] != ',' && text[pos] != '\n' && text[pos] != '\r') ++pos;
      } else {
        pos = start;
        while (pos < end && text[pos] != ',' && text[pos] != '\n' && text[pos] != '\r') ++pos;
        std::size_t stop = pos;
        while (stop > start && IsBlank(text[stop - 1])) --stop;
        cell.size = CellSize(stop - start, row_line);
      }
      out.cells.push_back(cell);
      if (pos >= end) {
        end_of_row = true;
      } else if (text[pos] == ',') {
        ++pos;
      } else {  // \n, \r\n or a lone \r
        if (text[pos] == '\r' && pos + 1 < end && text[pos + 1] == '\n') ++pos;
        ++pos;
        ++line;
        end_of_row = true;
      }
    }
    if (out.cells.size() == row_first + 1 && out.cells.back().size == 0) {  // a blank line
      out.cells.pop_back();
      continue;
    }
    out.row_start.push_back(row_first);
    out.lines.push_back(row_line);
  }
  out.line_breaks = line - first_line;
}

CsvTable CsvTable::Parse(std::string text, const std::string& path, int threads) {
  CsvTable t;
  t.path_ = path;
  t.text_ = std::move(text);
  // Skip a UTF-8 byte-order mark (spreadsheets write one).
  const std::size_t begin = t.text_.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  const std::size_t size = t.text_.size();
  // Without quotes every line end ends a row: stretches split at line ends parse alone.
  std::vector<std::size_t> cuts{begin};
  if (threads > 1 && size - begin >= kParallelBytes &&
      t.text_.find('"', begin) == std::string::npos) {
    const std::size_t pieces = std::size_t(threads) * 4;
    for (std::size_t k = 1; k < pieces; ++k) {
      const std::size_t at =
          t.text_.find('\n', std::max(cuts.back(), begin + (size - begin) * k / pieces));
      if (at == std::string::npos || at + 1 >= size) break;
      cuts.push_back(at + 1);
    }
  }
  cuts.push_back(size);
  std::vector<Stretch> stretches(cuts.size() - 1);
  // Each cell ends at a comma or a line end, each row at a line end: bounds that let every
  // vector be sized once (a table of 800,000 rows would otherwise be copied as it grows).
  struct Bound {
    std::size_t cells = 0, rows = 0;
  };
  std::vector<Bound> bounds(stretches.size());
  ParallelFor(static_cast<long long>(stretches.size()), threads, [&](long long k) {
    const char* from = t.text_.data() + cuts[std::size_t(k)];
    const char* to = t.text_.data() + cuts[std::size_t(k) + 1];
    const auto rows = std::size_t(std::count(from, to, '\n')) + 1;
    bounds[std::size_t(k)] = {std::size_t(std::count(from, to, ',')) + rows, rows};
  });
  // The first stretch's vectors become the table's: they hold room for all.
  Bound all;
  for (const Bound& b : bounds) all.cells += b.cells, all.rows += b.rows;
  for (std::size_t k = 0; k < stretches.size(); ++k) {
    const Bound& b = k == 0 ? all : bounds[k];
    stretches[k].cells.reserve(b.cells);
    stretches[k].row_start.reserve(b.rows + 1);
    stretches[k].lines.reserve(b.rows);
  }
  ParallelFor(static_cast<long long>(stretches.size()), threads, [&](long long k) {
    t.ParseStretch(cuts[std::size_t(k)], cuts[std::size_t(k) + 1], k == 0 ? 1 : 0,
                   stretches[std::size_t(k)]);
  });
  // Join the stretches: lines run on across them, and the first row is the header.
  t.cells_ = std::move(stretches.front().cells);
  t.row_start_ = std::move(stretches.front().row_start);
  t.lines_ = std::move(stretches.front().lines);
  int line_offset = 1 + stretches.front().line_breaks;  // the first stretch counted from 1
  for (std::size_t k = 1; k < stretches.size(); ++k) {
    Stretch& s = stretches[k];
    const std::size_t shift = t.cells_.size();
    t.cells_.insert(t.cells_.end(), s.cells.begin(), s.cells.end());
    for (std::size_t r = 0; r < s.lines.size(); ++r) {
      t.row_start_.push_back(s.row_start[r] + shift);
      t.lines_.push_back(s.lines[r] + line_offset);
    }
    line_offset += s.line_breaks;
    s = Stretch{};
  }
  if (t.lines_.empty()) throw InputError(SourceRef{path}, "empty file, expected a header row");
  t.row_start_.push_back(t.cells_.size());
  const std::size_t header_cells = t.row_start_[1];
  for (std::size_t c = 0; c < header_cells; ++c) {
    const Cell& cell = t.cells_[c];
    t.header_.emplace_back(t.text_.data() + cell.start, cell.size);
  }
  t.row_start_.erase(t.row_start_.begin());
  t.lines_.erase(t.lines_.begin());
  for (std::size_t r = 0; r < t.lines_.size(); ++r) {
    const std::size_t fields = t.row_start_[r + 1] - t.row_start_[r];
    if (fields > header_cells)
      throw InputError(
          SourceRef{path, t.lines_[r]},
          std::to_string(fields) + " fields but the header has " + std::to_string(header_cells));
  }
  return t;
}

int CsvTable::Find(const std::string& name) const {
  for (std::size_t c = 0; c < header_.size(); ++c)
    if (header_[c] == name) return static_cast<int>(c);
  return -1;
}

int CsvTable::Require(const std::string& name) const {
  const int c = Find(name);
  if (c < 0) throw InputError(SourceRef{path_, 1}, "missing column '" + name + "'");
  return c;
}

SourceRef CsvTable::Ref(std::size_t r) const { return SourceRef{path_, lines_[r]}; }

SourceRef CsvTable::Ref(std::size_t r, int c) const {
  return SourceRef{path_, lines_[r], 0, "column '" + header_[c] + "'"};
}

std::optional<double> CsvTable::OptionalNumber(std::size_t r, int c) const {
  const std::string_view s = Text(r, c);
  if (s.empty()) return std::nullopt;
  // Plain decimals by from_chars; anything else (a sign +, hex, an overflow) as strtod reads
  // it, so that both accept the same texts.
  double v = 0.0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) {
    const std::string copy(s);
    errno = 0;
    char* stop = nullptr;
    v = std::strtod(copy.c_str(), &stop);
    if (stop != copy.c_str() + copy.size() || errno == ERANGE)
      throw InputError(Where(r, c) + ": '" + copy + "' is not a number");
  }
  if (!std::isfinite(v))
    throw InputError(Where(r, c) + ": '" + std::string(s) + "' is not a number");
  return v;
}

double CsvTable::Number(std::size_t r, int c) const {
  auto v = OptionalNumber(r, c);
  if (!v) throw InputError(Where(r, c) + ": empty, expected a number");
  return *v;
}

std::string CsvField(std::string_view text) {
  if (text.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

char* WriteNumber(double v, char* out) {
  if (std::isnan(v)) return out;
  if (v == 0.0) {  // also folds -0
    *out = '0';
    return out + 1;
  }
  // Whole numbers in full (1000000, not 1e+06), the rest in the shortest text that reads
  // back exactly (std::to_chars).
  if (v == std::trunc(v) && std::abs(v) < 1e15)
    return std::to_chars(out, out + kNumberChars, v, std::chars_format::fixed).ptr;
  return std::to_chars(out, out + kNumberChars, v).ptr;
}

std::string FormatNumber(double v) {
  char buf[kNumberChars];
  return std::string(buf, WriteNumber(v, buf));
}

}  // namespace cordon
