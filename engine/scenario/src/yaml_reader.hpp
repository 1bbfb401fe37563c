// SPDX-License-Identifier: Apache-2.0
#pragma once
// The one YAML reader of cordon's input files (scenario, sweep): loading
// with syntax errors at FILE:LINE:COL, and typed values out of the tree,
// each error naming file:line:col and the dotted key path.
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <filesystem>
#include <initializer_list>
#include <limits>
#include <sstream>
#include <string>

#include "cordon/base/error.hpp"
#include "cordon/base/source_ref.hpp"
#include "cordon/base/text_file.hpp"
#include "cordon/sim/time_window.hpp"

namespace cordon::scenario {

/// Parses YAML text; a syntax error is an InputError at "path:line:col".
YAML::Node LoadYaml(const std::string& text, const std::string& path);

/// Applies one `--set` assignment "key.path[i].key=value" to a scenario tree. Throws
/// InputError for a bad path or value.
void ApplyOverride(YAML::Node root, const std::string& assignment);

/// The YAML text of a value as `--set` takes it (scalars as they are, the rest in flow style).
std::string ValueText(const YAML::Node& node);

/// Reads values out of the YAML tree, naming file:line:col and key path in every error.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  SourceRef Ref(const YAML::Node& node, const std::string& key) const {
    SourceRef r{file_, 0, 0, key, true};  // no mark: a value --set put in the tree
    const YAML::Mark m = node.Mark();
    if (!m.is_null() && m.line >= 0) {
      r.line = m.line + 1;
      r.column = m.column + 1;
      r.command_line = false;
    }
    return r;
  }

  [[noreturn]] void Fail(const YAML::Node& node, const std::string& key,
                         const std::string& what) const {
    throw InputError(Ref(node, key), what);
  }

  void RequireMap(const YAML::Node& node, const std::string& key) const {
    if (!node.IsMap()) Fail(node, key, "expected a mapping ({key: value, ...})");
  }
  void RequireList(const YAML::Node& node, const std::string& key) const {
    if (!node.IsSequence()) Fail(node, key, "expected a list");
  }

  // Every key of `map` must be in `allowed`.
  void CheckKeys(const YAML::Node& map, const std::string& path,
                 std::initializer_list<const char*> allowed) const {
    RequireMap(map, path);
    for (const auto& kv : map) {
      const std::string k = kv.first.Scalar();
      bool ok = false;
      for (const char* a : allowed) ok = ok || k == a;
      if (!ok) {
        std::string list;
        for (const char* a : allowed) list += std::string(list.empty() ? "" : ", ") + a;
        Fail(kv.first, Join(path, k), "unknown key '" + k + "' (expected one of: " + list + ")");
      }
    }
  }

  static std::string Join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }

  /// The finite number at `n`; `key` is its full key path, for messages.
  double Value(const YAML::Node& n, const std::string& key) const {
    if (!n.IsScalar()) Fail(n, key, "expected a number");
    double v = 0;
    try {
      v = n.as<double>();
    } catch (const YAML::Exception&) {
      Fail(n, key, "'" + n.Scalar() + "' is not a number");
    }
    if (!std::isfinite(v)) Fail(n, key, "must be a finite number, got " + n.Scalar());
    return v;
  }

  /// map[key] as a number in [min, max], or `fallback` when the key is absent.
  double Number(const YAML::Node& map, const char* key, const std::string& path, double fallback,
                double min = -std::numeric_limits<double>::infinity(),
                double max = std::numeric_limits<double>::infinity()) const {
    const YAML::Node n = map[key];
    if (!n) return fallback;
    const std::string full = Join(path, key);
    const double v = Value(n, full);
    if (v < min || v > max) {
      std::ostringstream what;
      what << "must be between " << min << " and " << max << ", got " << n.Scalar();
      Fail(n, full, what.str());
    }
    return v;
  }

  double Share(const YAML::Node& map, const char* key, const std::string& path,
               double fallback) const {
    return Number(map, key, path, fallback, 0.0, 1.0);
  }

  /// map[key] as true or false, or `fallback` when the key is absent.
  bool Flag(const YAML::Node& map, const char* key, const std::string& path, bool fallback) const {
    const YAML::Node n = map[key];
    if (!n) return fallback;
    if (n.IsScalar() && (n.Scalar() == "true" || n.Scalar() == "false"))
      return n.Scalar() == "true";
    Fail(n, Join(path, key), "expected true or false");
  }

  std::string Text(const YAML::Node& map, const char* key, const std::string& path,
                   const std::string& fallback = {}) const {
    const YAML::Node n = map[key];
    if (!n) return fallback;
    if (!n.IsScalar()) Fail(n, Join(path, key), "expected a text value");
    return n.Scalar();
  }

  std::string RequiredText(const YAML::Node& map, const char* key, const std::string& path) const {
    if (!map[key]) Fail(map, Join(path, key), "missing required key '" + std::string(key) + "'");
    return Text(map, key, path);
  }

  // map[key]: a path relative to the file being read (every YAML file cordon reads), which
  // must name a file (or, with `folder_ok`, a folder: a GIS data source); normalized.
  std::string ExistingPath(const YAML::Node& map, const char* key, const std::string& path,
                           bool folder_ok = false) const {
    std::filesystem::path p(RequiredText(map, key, path));
    if (p.is_relative()) p = std::filesystem::path(file_).parent_path() / p;
    std::error_code ec;  // a name too long to stat is "not found", not a crash
    const bool found =
        folder_ok ? std::filesystem::exists(p, ec) : std::filesystem::is_regular_file(p, ec);
    if (!found) Fail(map[key], Join(path, key), "file not found: " + p.string());
    return p.lexically_normal().string();
  }

  // A csv table's path (key `csv`), relative to the file being read; must exist.
  std::string CsvPath(const YAML::Node& map, const std::string& path) const {
    return ExistingPath(map, "csv", path);
  }

  // start/end of a switchable item: start default 0, end default never.
  sim::TimeWindow Window(const YAML::Node& map, const std::string& path) const {
    sim::TimeWindow w;
    w.start_day = Number(map, "start", path, 0.0);
    w.end_day = Number(map, "end", path, std::numeric_limits<double>::infinity());
    if (map["end"] && map["end"].IsNull()) w.end_day = std::numeric_limits<double>::infinity();
    if (w.end_day <= w.start_day) Fail(map["end"], Join(path, "end"), "must be after start");
    return w;
  }

  const std::string& File() const { return file_; }

 private:
  std::string file_;
};

}  // namespace cordon::scenario
