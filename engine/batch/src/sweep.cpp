// SPDX-License-Identifier: Apache-2.0
#include "cordon/batch/sweep.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "cordon/base/atomic_file.hpp"
#include "cordon/base/csv_table.hpp"
#include "cordon/base/error.hpp"
#include "cordon/base/text_hash.hpp"
#include "cordon/base/threads.hpp"
#include "cordon/engine/dates.hpp"
#include "cordon/engine/metrics.hpp"
#include "cordon/engine/model_build.hpp"
#include "cordon/engine/outputs.hpp"
#include "cordon/scenario/scenario.hpp"
#include "cordon/sim/counter_rng.hpp"
#include "cordon/sim/ensemble.hpp"
#include "ranks.hpp"

namespace cordon::engine {
namespace {

namespace fs = std::filesystem;

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Where(const std::string& file, const YAML::Node& node, const std::string& key) {
  const YAML::Mark m = node.Mark();
  if (m.is_null() || m.line < 0) return file + ": " + key;
  return file + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1) + ": " + key;
}

// The YAML text of a value, as `--set` takes it.
std::string ValueText(const YAML::Node& node) {
  if (node.IsScalar()) return node.Scalar();
  YAML::Emitter e;
  e.SetMapFormat(YAML::Flow);
  e.SetSeqFormat(YAML::Flow);
  e << node;
  return e.c_str();
}

double Number(const std::string& file, const YAML::Node& n, const std::string& key) {
  try {
    const double v = n.as<double>();
    if (!std::isfinite(v)) throw YAML::Exception(n.Mark(), "not finite");
    return v;
  } catch (const YAML::Exception&) {
    throw InputError(Where(file, n, key) + ": expected a number");
  }
}

// The Latin-hypercube draws, keyed by (seed, stream, index).
double KeyedUniform(std::uint64_t seed, std::uint64_t stream, std::uint64_t index) {
  sim::CounterRng rng(seed, stream, index, 0);
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

// The row index point * runs + run of a sweep.csv line, or -1 when it does not start "point,run,".
long long RowIndex(const std::string& line, long long runs) {
  const char* p = line.c_str();
  char* end = nullptr;
  const long long point = std::strtoll(p, &end, 10);
  if (end == p || *end != ',') return -1;
  const char* q = end + 1;
  const long long run = std::strtoll(q, &end, 10);
  if (end == q || *end != ',') return -1;
  return point * runs + run;
}

// What identifies a sweep's rows: base scenario text, runs and every point.
std::string SweepHash(const SweepSpec& spec) {
  std::uint64_t h = Fnv1a(spec.base_text);
  h = Fnv1a("runs=" + std::to_string(spec.runs), h);
  for (const auto& p : spec.points)
    for (const auto& [k, v] : p.overrides) h = Fnv1a("\n" + k + "=" + v, h);
  return Hex(h);
}

std::string Header(const std::vector<std::string>& keys) {
  std::string h = "point,run";
  for (const auto& k : keys) h.append(",").append(CsvField(k));
  for (const auto& m : MetricNames()) h.append(",").append(m);
  return h;
}

// One row: point, run, the point's value of every key, the run's metrics.
std::string Row(const SweepSpec& spec, int point, int run, const std::vector<double>& metrics) {
  // append() rather than operator+ chains, which GCC 12 warns about falsely (-Wrestrict).
  std::string line = std::to_string(point);
  line.append(",").append(std::to_string(run));
  for (const auto& key : spec.keys) {
    std::string value;
    for (const auto& [k, v] : spec.points[point].overrides)
      if (k == key) value = v;
    line.append(",").append(CsvField(value));
  }
  for (double m : metrics) line.append(",").append(FormatNumber(m));
  return line;
}

// sweep.csv and sweep_points.csv from rows sorted by (point, run).
std::vector<std::string> WriteFinal(const std::string& dir, const std::string& header,
                                    const std::vector<std::string>& rows) {
  const fs::path out(dir);
  {
    AtomicFile f((out / "sweep.csv").string());
    f.Stream() << header << '\n';
    for (const auto& r : rows) f.Stream() << r << '\n';
    f.Commit();
  }
  // Per point: the key values, runs, then mean and 90% interval of every metric.
  std::string text = header + "\n";
  for (const auto& r : rows) text += r + "\n";
  const CsvTable t = CsvTable::Parse(text, (out / "sweep.csv").string());
  AtomicFile f((out / "sweep_points.csv").string());
  std::ostream& o = f.Stream();
  // Header: point, keys (the sweep.csv columns between run and the metrics), runs, metric stats.
  const std::vector<std::string>& columns = t.Columns();
  const int key_count = static_cast<int>(columns.size() - 2 - MetricNames().size());
  {
    o << "point";
    for (int k = 0; k < key_count; ++k) o << ',' << CsvField(columns[2 + k]);
    o << ",runs";
    for (const auto& m : MetricNames())
      for (const char* s : {"_mean", "_q05", "_q50", "_q95"}) o << ',' << m << s;
    o << '\n';
  }
  for (std::size_t r0 = 0; r0 < t.Rows();) {
    std::size_t r1 = r0;
    while (r1 < t.Rows() && t.Text(r1, 0) == t.Text(r0, 0)) ++r1;
    o << t.Text(r0, 0);
    for (int k = 0; k < key_count; ++k) o << ',' << CsvField(t.Text(r0, 2 + k));
    o << ',' << (r1 - r0);
    for (std::size_t m = 0; m < MetricNames().size(); ++m) {
      std::vector<double> v;
      for (std::size_t r = r0; r < r1; ++r)
        v.push_back(t.Number(r, 2 + key_count + static_cast<int>(m)));
      double mean = 0;
      for (double x : v) mean += x / double(v.size());
      o << ',' << FormatNumber(mean) << ',' << FormatNumber(sim::Quantile(v, 0.05)) << ','
        << FormatNumber(sim::Quantile(v, 0.5)) << ',' << FormatNumber(sim::Quantile(v, 0.95));
    }
    o << '\n';
    r0 = r1;
  }
  f.Commit();
  return {"sweep.csv", "sweep_points.csv"};
}

// Rows (by index) from partial files; complete lines only.
void ReadPartial(const fs::path& file, const std::string& header, int runs,
                 std::map<long long, std::string>& rows) {
  const std::string text = ReadText(file.string());
  std::size_t pos = 0;
  bool first = true;
  while (pos < text.size()) {
    const std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) break;  // a row cut short by a kill
    const std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    if (first) {
      if (line != header)
        throw InputError(file.string() +
                         ": was written by a different sweep (its header differs); remove it or "
                         "use another --out");
      first = false;
      continue;
    }
    if (const long long k = RowIndex(line, runs); k >= 0) rows[k] = line;
  }
}

// Partial files in `dir`: sweep.partial.csv and sweep.partial.rank-N.csv.
std::vector<fs::path> PartialFiles(const fs::path& dir) {
  std::vector<fs::path> files;
  if (!fs::is_directory(dir)) return files;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("sweep.partial", 0) == 0 && e.path().extension() == ".csv")
      files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

void WriteMeta(const fs::path& dir, const SweepSpec& spec, const std::string& hash, int shard,
               int shards, std::size_t rows) {
  nlohmann::ordered_json j;
  j["sweep"] = spec.file;
  j["base"] = spec.base;
  j["hash"] = hash;
  j["points"] = spec.points.size();
  j["runs"] = spec.runs;
  j["shard"] = shard;
  j["shards"] = shards;
  j["rows"] = rows;
  j["version"] = Version();
  WriteJsonFile((dir / "sweep.json").string(), j);
}

}  // namespace

SweepSpec LoadSweep(const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::Load(ReadText(path));
  } catch (const YAML::ParserException& e) {
    throw InputError(path + ":" + std::to_string(e.mark.line + 1) +
                     ": YAML syntax error: " + e.msg);
  }
  if (!root.IsMap()) throw InputError(path + ": expected a sweep mapping (base, runs, vary, ...)");
  for (const auto& kv : root) {
    const std::string k = kv.first.Scalar();
    if (k != "base" && k != "runs" && k != "vary" && k != "points" && k != "samples" && k != "name")
      throw InputError(Where(path, kv.first, k) +
                       ": unknown key (expected base, runs, vary, points, samples)");
  }
  SweepSpec spec;
  spec.file = path;
  if (!root["base"] || !root["base"].IsScalar())
    throw InputError(path + ": base: missing required key (the base scenario file)");
  fs::path base(root["base"].Scalar());
  if (base.is_relative()) base = fs::path(path).parent_path() / base;
  std::error_code exists_error;
  if (!fs::is_regular_file(base, exists_error))
    throw InputError(Where(path, root["base"], "base") + ": file not found: " + base.string());
  spec.base = base.lexically_normal().string();
  spec.base_text = ReadText(spec.base);
  const std::string& base_text = spec.base_text;
  const Scenario base_scenario = ParseScenario(base_text, spec.base);
  const bool stochastic = base_scenario.simulation.mode == sim::Mode::kStochastic;
  spec.runs = stochastic ? base_scenario.simulation.runs : 1;
  if (const YAML::Node runs = root["runs"]) {
    const double v = Number(path, runs, "runs");
    if (v < 1 || v != std::floor(v) || v > 1e7)
      throw InputError(Where(path, runs, "runs") + ": must be a whole number >= 1");
    if (v > 1 && !stochastic)
      throw InputError(Where(path, runs, "runs") +
                       ": runs > 1 needs a stochastic base (simulation.mode: stochastic)");
    spec.runs = static_cast<int>(v);
  }

  std::vector<std::string> where;  // per point, for messages
  auto note_key = [&](const std::string& k) {
    if (std::find(spec.keys.begin(), spec.keys.end(), k) == spec.keys.end()) spec.keys.push_back(k);
  };
  if (const YAML::Node vary = root["vary"]) {
    if (!vary.IsMap())
      throw InputError(Where(path, vary, "vary") + ": expected {key.path: [values]}");
    std::vector<std::pair<std::string, std::vector<std::string>>> axes;
    for (const auto& kv : vary) {
      const std::string key = kv.first.Scalar();
      const std::string at = "vary." + key;
      if (!kv.second.IsSequence())
        throw InputError(Where(path, kv.second, at) + ": expected a list of values");
      if (kv.second.size() == 0) throw InputError(Where(path, kv.second, at) + ": empty range");
      std::vector<std::string> values;
      for (const auto& v : kv.second) values.push_back(ValueText(v));
      axes.push_back({key, values});
      note_key(key);
    }
    // Cartesian product, first key slowest.
    std::vector<std::size_t> index(axes.size(), 0);
    while (true) {
      SweepPoint p;
      for (std::size_t a = 0; a < axes.size(); ++a)
        p.overrides.push_back({axes[a].first, axes[a].second[index[a]]});
      spec.points.push_back(p);
      where.push_back(Where(path, vary, "vary"));
      std::size_t a = axes.size();
      while (a > 0 && ++index[a - 1] == axes[a - 1].second.size()) index[--a] = 0;
      if (a == 0) break;
    }
  }
  if (const YAML::Node points = root["points"]) {
    if (!points.IsSequence()) throw InputError(Where(path, points, "points") + ": expected a list");
    for (std::size_t n = 0; n < points.size(); ++n) {
      const YAML::Node m = points[n];
      const std::string at = "points[" + std::to_string(n) + "]";
      if (!m.IsMap() || m.size() == 0)
        throw InputError(Where(path, m, at) + ": expected {key.path: value, ...}");
      SweepPoint p;
      for (const auto& kv : m) {
        p.overrides.push_back({kv.first.Scalar(), ValueText(kv.second)});
        note_key(kv.first.Scalar());
      }
      spec.points.push_back(p);
      where.push_back(Where(path, m, at));
    }
  }
  if (const YAML::Node samples = root["samples"]) {
    if (!samples.IsMap())
      throw InputError(Where(path, samples, "samples") + ": expected {n, seed, ranges}");
    for (const auto& kv : samples) {
      const std::string k = kv.first.Scalar();
      if (k != "n" && k != "seed" && k != "ranges")
        throw InputError(Where(path, kv.first, "samples." + k) +
                         ": unknown key (expected n, seed, ranges)");
    }
    if (!samples["n"])
      throw InputError(Where(path, samples, "samples.n") + ": missing required key");
    const double n = Number(path, samples["n"], "samples.n");
    if (n < 1 || n != std::floor(n) || n > 1e7)
      throw InputError(Where(path, samples["n"], "samples.n") + ": must be a whole number >= 1");
    const double seed = samples["seed"] ? Number(path, samples["seed"], "samples.seed") : 1.0;
    const YAML::Node ranges = samples["ranges"];
    if (!ranges || !ranges.IsMap() || ranges.size() == 0)
      throw InputError(Where(path, samples, "samples.ranges") +
                       ": expected {key.path: [low, high]}");
    std::vector<std::pair<std::string, std::pair<double, double>>> dims;
    for (const auto& kv : ranges) {
      const std::string at = "samples.ranges." + kv.first.Scalar();
      if (!kv.second.IsSequence() || kv.second.size() != 2)
        throw InputError(Where(path, kv.second, at) + ": expected [low, high]");
      const double lo = Number(path, kv.second[0], at), hi = Number(path, kv.second[1], at);
      if (!(hi > lo))
        throw InputError(Where(path, kv.second, at) + ": empty range (high must exceed low)");
      dims.push_back({kv.first.Scalar(), {lo, hi}});
      note_key(kv.first.Scalar());
    }
    // Latin hypercube: each dimension's n strata in a seeded random order, a uniform draw in each.
    const int count = static_cast<int>(n);
    const auto s = static_cast<std::uint64_t>(seed);
    std::vector<std::vector<int>> strata(dims.size());
    for (std::size_t d = 0; d < dims.size(); ++d) {
      std::vector<std::pair<double, int>> order;
      for (int i = 0; i < count; ++i) order.push_back({KeyedUniform(s, 2 * d, i), i});
      std::sort(order.begin(), order.end());
      for (const auto& o : order) strata[d].push_back(o.second);
    }
    for (int i = 0; i < count; ++i) {
      SweepPoint p;
      for (std::size_t d = 0; d < dims.size(); ++d) {
        const double u = (strata[d][i] + KeyedUniform(s, 2 * d + 1, i)) / count;
        const double lo = dims[d].second.first, hi = dims[d].second.second;
        p.overrides.push_back({dims[d].first, FormatNumber(lo + u * (hi - lo))});
      }
      spec.points.push_back(p);
      where.push_back(Where(path, samples, "samples"));
    }
  }
  if (spec.points.empty())
    throw InputError(path + ": nothing varies (give vary, points or samples)");

  // Every point must make a valid scenario.
  for (std::size_t p = 0; p < spec.points.size(); ++p) {
    std::vector<std::string> overrides;
    for (const auto& [k, v] : spec.points[p].overrides) overrides.push_back(k + "=" + v);
    try {
      const Scenario s = ParseScenario(base_text, spec.base, overrides);
      if (spec.runs > 1 && s.simulation.mode != sim::Mode::kStochastic)
        throw InputError("simulation.mode: runs > 1 needs stochastic runs");
    } catch (const InputError& e) {
      throw InputError(where[p] + ": point " + std::to_string(p) + ": " + e.what());
    }
  }
  return spec;
}

SweepReport RunSweep(const SweepConfig& config, const SweepProgress& progress) {
  const SweepSpec spec = LoadSweep(config.sweep);
  if (config.shards < 1 || config.shard < 1 || config.shard > config.shards)
    throw InputError("--shard " + std::to_string(config.shard) + "/" +
                     std::to_string(config.shards) + ": expected K/N with 1 <= K <= N");
  const std::string& base_text = spec.base_text;
  const std::string header = Header(spec.keys);
  const std::string hash = SweepHash(spec);
  const long long runs = spec.runs;
  const long long total = static_cast<long long>(spec.points.size()) * runs;

  std::unique_ptr<Ranks> ranks = JoinRanks();
  const int rank = ranks->Rank(), size = ranks->Size();
  SweepReport report;
  report.ranks = size;
  report.threads = ResolveThreads(config.threads).count;
  const fs::path dir(config.out_dir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error(config.out_dir + ": cannot create output folder: " + ec.message());

  // Finished rows from earlier attempts.
  std::map<long long, std::string> resumed;
  const auto partials = PartialFiles(dir);
  if (!partials.empty() && !config.resume)
    throw InputError(
        partials.front().string() +
        ": holds rows of an unfinished sweep; add --resume to continue it, or remove it");
  for (const auto& f : partials) ReadPartial(f, header, spec.runs, resumed);
  ranks->Barrier();  // everyone has read the partial files before anyone rewrites its own

  // This shard's rows, then this rank's share of them.
  std::vector<long long> mine;
  long long shard_rows = 0, position = 0;
  for (long long k = 0; k < total; ++k) {
    if (k % config.shards != config.shard - 1) continue;
    ++shard_rows;
    if (position++ % size != rank) continue;
    ++report.rows;
    if (resumed.count(k)) {
      ++report.resumed;
      continue;
    }
    mine.push_back(k);
  }
  report.done = report.resumed;

  // Our partial file holds complete rows only, header first; new rows are appended.
  const fs::path partial =
      dir / (size == 1 ? std::string("sweep.partial.csv")
                       : "sweep.partial.rank-" + std::to_string(rank) + ".csv");
  {
    std::map<long long, std::string> own;
    if (fs::exists(partial)) ReadPartial(partial, header, spec.runs, own);
    AtomicFile f(partial.string());
    f.Stream() << header << '\n';
    for (const auto& [k, line] : own) f.Stream() << line << '\n';
    f.Commit();
  }
  std::FILE* out = std::fopen(partial.c_str(), "a");
  if (!out) throw Error(partial.string() + ": cannot append");

  // Models are built once per point and dropped when its last run is done.
  std::vector<std::shared_ptr<const sim::Model>> models(spec.points.size());
  std::vector<sim::RunSettings> settings(spec.points.size());
  std::vector<int> remaining(spec.points.size(), 0);
  for (long long k : mine) ++remaining[k / runs];
  std::vector<std::mutex> point_mutex(spec.points.size());
  std::mutex out_mutex;
  std::map<long long, std::string> fresh;
  std::atomic<long long> done{report.done};
  const long long todo = report.rows;
  auto model_for = [&](int p) {
    std::lock_guard<std::mutex> lock(point_mutex[p]);
    if (!models[p]) {
      std::vector<std::string> overrides;
      for (const auto& [k, v] : spec.points[p].overrides) overrides.push_back(k + "=" + v);
      const Scenario s = ParseScenario(base_text, spec.base, overrides);
      settings[p] = s.simulation;
      models[p] = std::make_shared<const sim::Model>(BuildScenarioModel(s, 1));
    }
    return std::make_pair(models[p], settings[p]);
  };
  // Each row owns its line; rows are sorted by (point, run) when the files are finished.
  auto row = [&](long long i) {
    if (config.stop && config.stop->load()) return;
    const long long k = mine[i];
    const int p = static_cast<int>(k / runs), r = static_cast<int>(k % runs);
    const auto [model, run_settings] = model_for(p);
    const sim::RunResult result = sim::Simulate(*model, run_settings, r);
    const std::string line = Row(spec, p, r, MeasureRun(*model, result).values);
    {
      std::lock_guard<std::mutex> lock(out_mutex);
      std::fputs((line + "\n").c_str(), out);
      std::fflush(out);
      fresh[k] = line;
    }
    {
      std::lock_guard<std::mutex> lock(point_mutex[p]);
      if (--remaining[p] == 0) models[p].reset();
    }
    const long long d = ++done;
    if (progress) progress(d, todo);
  };
  try {
    ParallelFor(static_cast<long long>(mine.size()), report.threads, row);
  } catch (...) {
    std::fclose(out);
    throw;
  }
  std::fclose(out);
  report.done = done;
  const bool complete_here = report.done == report.rows;

  // Rank 0 joins everyone's new rows with the resumed ones.
  std::string text;
  for (const auto& [k, line] : fresh) text += line + "\n";
  text += complete_here ? "" : "#incomplete\n";
  const auto gathered = ranks->GatherToRoot(text);
  if (rank != 0) return report;
  std::map<long long, std::string> all = resumed;
  bool complete = true;
  for (const auto& t : gathered) {
    if (t.find("#incomplete\n") != std::string::npos) complete = false;
    std::size_t pos = 0;
    while (pos < t.size()) {
      const std::size_t end = t.find('\n', pos);
      const std::string line = t.substr(pos, end - pos);
      pos = end + 1;
      if (line.empty() || line[0] == '#') continue;
      all[RowIndex(line, runs)] = line;
    }
  }
  if (!complete || (config.stop && config.stop->load() && !complete_here)) {
    report.interrupted = true;
    return report;
  }
  std::vector<std::string> rows;
  for (long long k = 0; k < total; ++k) {
    if (k % config.shards != config.shard - 1) continue;
    const auto it = all.find(k);
    if (it == all.end()) {
      report.interrupted = true;
      return report;
    }
    rows.push_back(it->second);
  }
  report.outputs = WriteFinal(config.out_dir, header, rows);
  WriteMeta(dir, spec, hash, config.shard, config.shards, rows.size());
  report.outputs.push_back("sweep.json");
  for (const auto& f : PartialFiles(dir)) fs::remove(f, ec);
  return report;
}

std::vector<std::string> MergeSweeps(const std::vector<std::string>& shard_dirs,
                                     const std::string& out_dir) {
  if (shard_dirs.empty()) throw InputError("merge: no shard folders given");
  std::string header, hash;
  long long points = -1, runs = -1, shards = -1;
  std::set<long long> shard_seen;
  std::map<long long, std::string> rows;
  for (const auto& d : shard_dirs) {
    const fs::path dir(d);
    const std::string meta_path = (dir / "sweep.json").string();
    if (std::error_code ec; !fs::exists(meta_path, ec))
      throw InputError(meta_path + ": not found (is " + d +
                       " the --out folder of a finished shard?)");
    const YAML::Node meta = YAML::Load(ReadText(meta_path));  // JSON is YAML
    const std::string h = meta["hash"].as<std::string>();
    const long long p = meta["points"].as<long long>(), r = meta["runs"].as<long long>();
    const long long n = meta["shards"].as<long long>(), k = meta["shard"].as<long long>();
    if (hash.empty()) {
      hash = h, points = p, runs = r, shards = n;
    } else if (h != hash || p != points || r != runs || n != shards) {
      throw InputError(meta_path + ": belongs to a different sweep or shard count than " +
                       shard_dirs.front());
    }
    if (!shard_seen.insert(k).second)
      throw InputError(meta_path + ": shard " + std::to_string(k) + " given twice");
    const std::string text = ReadText((dir / "sweep.csv").string());
    std::size_t pos = 0;
    bool first = true;
    while (pos < text.size()) {
      const std::size_t end = text.find('\n', pos);
      const std::string line =
          text.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
      pos = end == std::string::npos ? text.size() : end + 1;
      if (first) {
        if (!header.empty() && line != header)
          throw InputError((dir / "sweep.csv").string() + ": header differs from the other shards");
        header = line;
        first = false;
        continue;
      }
      if (line.empty()) continue;
      const long long key = RowIndex(line, runs);
      if (key < 0)
        throw InputError((dir / "sweep.csv").string() + ": a row without point,run: " + line);
      if (!rows.emplace(key, line).second)
        throw InputError((dir / "sweep.csv").string() + ": row " + std::to_string(key / runs) +
                         "," + std::to_string(key % runs) +
                         " (point,run) also appears in another shard");
    }
  }
  if (static_cast<long long>(rows.size()) != points * runs) {
    std::string missing;
    for (long long s = 1; s <= shards; ++s)
      if (!shard_seen.count(s)) missing += (missing.empty() ? "" : ", ") + std::to_string(s);
    throw InputError(
        "merge: " + std::to_string(points * runs - static_cast<long long>(rows.size())) + " of " +
        std::to_string(points * runs) + " rows are missing" +
        (missing.empty() ? "" : " (shards not given: " + missing + ")"));
  }
  std::vector<std::string> lines;
  for (const auto& [k, line] : rows) lines.push_back(line);
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) throw Error(out_dir + ": cannot create output folder: " + ec.message());
  return WriteFinal(out_dir, header, lines);
}

}  // namespace cordon::engine
