// SPDX-License-Identifier: Apache-2.0
#include "cordon/base/csv_table.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "cordon/base/error.hpp"

namespace cordon {
namespace {

std::string Trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

}  // namespace

CsvTable CsvTable::Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(SourceRef{path}, "cannot open file");
  std::ostringstream text;
  text << in.rdbuf();
  return Parse(text.str(), path);
}

CsvTable CsvTable::Parse(const std::string& text, const std::string& path) {
  CsvTable t;
  t.path_ = path;
  std::size_t pos = 0;
  // Skip a UTF-8 byte-order mark (spreadsheets write one).
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) pos = 3;
  int line = 1;
  std::vector<std::string> fields;
  std::string field;
  bool first_row = true;
  while (pos < text.size()) {
    const int row_line = line;
    fields.clear();
    field.clear();
    bool quoted_field = false;
    bool end_of_row = false;
    while (!end_of_row) {
      if (pos >= text.size()) {
        end_of_row = true;
      } else if (text[pos] == '"' && Trim(field).empty() && !quoted_field) {
        // Quoted field: read to the closing quote; "" is an escaped quote.
        field.clear();
        quoted_field = true;
        ++pos;
        for (;;) {
          if (pos >= text.size()) throw InputError(SourceRef{path, row_line}, "unterminated quote");
          if (text[pos] == '"') {
            if (pos + 1 < text.size() && text[pos + 1] == '"') {
              field += '"';
              pos += 2;
              continue;
            }
            ++pos;
            break;
          }
          if (text[pos] == '\n') ++line;
          field += text[pos++];
        }
      } else if (text[pos] == ',') {
        fields.push_back(quoted_field ? field : Trim(field));
        field.clear();
        quoted_field = false;
        ++pos;
      } else if (text[pos] == '\n' || text[pos] == '\r') {
        if (text[pos] == '\r' && pos + 1 < text.size() && text[pos + 1] == '\n') ++pos;
        ++pos;
        ++line;
        end_of_row = true;
      } else {
        if (!quoted_field) field += text[pos];
        ++pos;
      }
    }
    fields.push_back(quoted_field ? field : Trim(field));
    if (fields.size() == 1 && fields[0].empty()) continue;  // blank line
    if (first_row) {
      t.header_ = fields;
      first_row = false;
      continue;
    }
    if (fields.size() > t.header_.size()) {
      throw InputError(SourceRef{path, row_line}, std::to_string(fields.size()) +
                                                      " fields but the header has " +
                                                      std::to_string(t.header_.size()));
    }
    t.rows_.push_back(fields);
    t.lines_.push_back(row_line);
  }
  if (first_row) throw InputError(SourceRef{path}, "empty file, expected a header row");
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

const std::string& CsvTable::Text(std::size_t r, int c) const {
  static const std::string kEmpty;
  const auto& row = rows_[r];
  return c >= 0 && std::size_t(c) < row.size() ? row[c] : kEmpty;
}

SourceRef CsvTable::Ref(std::size_t r) const { return SourceRef{path_, lines_[r]}; }

SourceRef CsvTable::Ref(std::size_t r, int c) const {
  return SourceRef{path_, lines_[r], 0, "column '" + header_[c] + "'"};
}

std::optional<double> CsvTable::OptionalNumber(std::size_t r, int c) const {
  const std::string& s = Text(r, c);
  if (s.empty()) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || errno == ERANGE || !std::isfinite(v))
    throw InputError(Where(r, c) + ": '" + s + "' is not a number");
  return v;
}

double CsvTable::Number(std::size_t r, int c) const {
  auto v = OptionalNumber(r, c);
  if (!v) throw InputError(Where(r, c) + ": empty, expected a number");
  return *v;
}

std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
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
