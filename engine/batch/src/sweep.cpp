// SPDX-License-Identifier: Apache-2.0
#include "cordon/batch/sweep.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>

#include "cordon/base/atomic_file.hpp"
#include "cordon/base/csv_table.hpp"
#include "cordon/base/error.hpp"
#include "cordon/base/progress.hpp"
#include "cordon/base/text_file.hpp"
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

namespace cordon::batch {
namespace {

namespace fs = std::filesystem;

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
std::string SweepHash(const scenario::SweepSpec& spec) {
  std::uint64_t h = Fnv1a(spec.base_text);
  h = Fnv1a("runs=" + std::to_string(spec.runs), h);
  for (const auto& p : spec.points)
    for (const auto& [k, v] : p.overrides) h = Fnv1a("\n" + k + "=" + v, h);
  return Hex(h);
}

// point, run, the varied keys, then the metrics of the sweep's model (engine/metrics.hpp).
std::string Header(const scenario::SweepSpec& spec) {
  std::string h = "point,run";
  for (const auto& k : spec.keys) h.append(",").append(CsvField(k));
  for (const auto& m : engine::MetricNames(spec.model)) h.append(",").append(CsvField(m));
  return h;
}

// A metric cell of sweep.csv: NaN when empty (a value the run did not have).
double MetricCell(const CsvTable& t, std::size_t r, int c) {
  const std::string text(t.Text(r, c));
  if (text.empty()) return std::numeric_limits<double>::quiet_NaN();
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0')
    throw InputError(
        t.Ref(r), "column '" + t.Columns()[std::size_t(c)] + "': '" + text + "' is not a number");
  return v;
}

// Mean and quantiles over the finite values of `v` (all NaN when there are none).
std::array<double, 4> Stats(std::vector<double> v) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return !std::isfinite(x); }), v.end());
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (v.empty()) return {nan, nan, nan, nan};
  double sum = 0;
  for (double x : v) sum += x;
  return {sum / double(v.size()), sim::Quantile(v, 0.05), sim::Quantile(v, 0.5),
          sim::Quantile(v, 0.95)};
}

// One row: point, run, the point's value of every key, the run's metrics.
std::string Row(const scenario::SweepSpec& spec, int point, int run,
                const std::vector<double>& metrics) {
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

// sweep.csv and sweep_points.csv from rows sorted by (point, run), the last `metrics`
// columns the metrics. Both are made in full before either appears.
std::vector<std::string> WriteFinal(const std::string& dir, const std::string& header,
                                    const std::vector<std::string>& rows, std::size_t metrics) {
  const fs::path out(dir);
  std::string text = header + "\n";
  for (const auto& r : rows) text += r + "\n";
  const CsvTable t = CsvTable::Parse(text, (out / "sweep.csv").string());
  // Per point: the key values, runs, then mean and 90% interval of every metric.
  AtomicFile points((out / "sweep_points.csv").string());
  std::ostream& o = points.Stream();
  // Header: point, keys (the sweep.csv columns between run and the metrics), runs, metric stats.
  const std::vector<std::string>& columns = t.Columns();
  const int key_count = static_cast<int>(columns.size() - 2 - metrics);
  o << "point";
  for (int k = 0; k < key_count; ++k) o << ',' << CsvField(columns[2 + k]);
  o << ",runs";
  for (std::size_t m = 0; m < metrics; ++m)
    for (const char* s : {"_mean", "_q05", "_q50", "_q95"})
      o << ',' << CsvField(columns[std::size_t(2 + key_count) + m] + s);
  o << '\n';
  for (std::size_t r0 = 0; r0 < t.Rows();) {
    std::size_t r1 = r0;
    while (r1 < t.Rows() && t.Text(r1, 0) == t.Text(r0, 0)) ++r1;
    o << t.Text(r0, 0);
    for (int k = 0; k < key_count; ++k) o << ',' << CsvField(t.Text(r0, 2 + k));
    o << ',' << (r1 - r0);
    for (std::size_t m = 0; m < metrics; ++m) {
      std::vector<double> v;
      for (std::size_t r = r0; r < r1; ++r)
        v.push_back(MetricCell(t, r, 2 + key_count + static_cast<int>(m)));
      for (double x : Stats(v)) o << ',' << FormatNumber(x);
    }
    o << '\n';
    r0 = r1;
  }
  AtomicFile all((out / "sweep.csv").string());
  all.Stream() << text;
  points.Commit();
  all.Commit();
  return {"sweep.csv", "sweep_points.csv"};
}

// Rows (by index) from partial files; complete lines only.
void ReadPartial(const fs::path& file, const std::string& header, int runs,
                 std::map<long long, std::string>& rows) {
  const std::string text = ReadTextFile(file.string(), "partial sweep rows");
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

void WriteMeta(const fs::path& dir, const scenario::SweepSpec& spec, const std::string& hash,
               int shard, int shards, std::size_t rows) {
  nlohmann::ordered_json j;
  j["sweep"] = spec.file;
  j["base"] = spec.base;
  j["hash"] = hash;
  j["points"] = spec.points.size();
  j["runs"] = spec.runs;
  j["model"] = spec.model.name;
  j["metrics"] = engine::MetricNames(spec.model);
  j["shard"] = shard;
  j["shards"] = shards;
  j["rows"] = rows;
  j["version"] = engine::Version();
  engine::WriteJsonFile((dir / "sweep.json").string(), j);
}

// Finished rows from earlier attempts, by row index, from every partial file
// in `dir`. Throws InputError when there are some but `resume` is off.
std::map<long long, std::string> ResumedRows(const fs::path& dir, const std::string& header,
                                             int runs, bool resume) {
  std::map<long long, std::string> resumed;
  const auto partials = PartialFiles(dir);
  if (!partials.empty() && !resume)
    throw InputError(
        partials.front().string() +
        ": holds rows of an unfinished sweep; add --resume to continue it, or remove it");
  for (const auto& f : partials) ReadPartial(f, header, runs, resumed);
  return resumed;
}

// The rows of one process: its shard's rows, dealt round-robin over the ranks.
struct RowShare {
  std::vector<long long> todo;  // row indices not finished yet, ascending
  long long rows = 0;           // this process's rows, resumed ones included
  long long resumed = 0;        // of those, finished in partial files
};

// This shard's rows (row index % shards == shard - 1), then this rank's share of them.
RowShare ShareRows(long long total, const SweepConfig& config, int rank, int size,
                   const std::map<long long, std::string>& resumed) {
  RowShare share;
  long long position = 0;
  for (long long k = 0; k < total; ++k) {
    if (k % config.shards != config.shard - 1) continue;
    if (position++ % size != rank) continue;
    ++share.rows;
    if (resumed.count(k)) {
      ++share.resumed;
      continue;
    }
    share.todo.push_back(k);
  }
  return share;
}

// Rewrites this rank's partial file to hold its complete rows only, header
// first, so that new rows can be appended; returns its path.
fs::path RewriteOwnPartial(const fs::path& dir, int rank, int size, const std::string& header,
                           int runs) {
  const fs::path partial =
      dir / (size == 1 ? std::string("sweep.partial.csv")
                       : "sweep.partial.rank-" + std::to_string(rank) + ".csv");
  std::map<long long, std::string> own;
  if (fs::exists(partial)) ReadPartial(partial, header, runs, own);
  AtomicFile f(partial.string());
  f.Stream() << header << '\n';
  for (const auto& [k, line] : own) f.Stream() << line << '\n';
  f.Commit();
  return partial;
}

// The model of each point, built on first use (one thread each) and dropped
// when its last row is done, so memory holds only the points in flight. Points
// whose overrides leave region, mobility and checkpoints alike share one network
// (read or routed once), held while one of them has rows left.
class PointModels {
 public:
  // `rows`: the row indices (point * runs + run) that will use the models.
  PointModels(const scenario::SweepSpec& spec, const std::vector<long long>& rows)
      : spec_(spec),
        models_(spec.points.size()),
        settings_(spec.points.size()),
        remaining_(spec.points.size(), 0),
        mutex_(spec.points.size()) {
    for (long long k : rows) ++remaining_[k / spec.runs];
    for (std::size_t p = 0; p < spec.points.size(); ++p) {
      network_key_.push_back(engine::NetworkKey(Overrides(int(p))));
      if (remaining_[p] > 0) networks_[network_key_.back()].points++;
    }
  }

  // Point p's model and run settings, built when not held yet.
  std::pair<std::shared_ptr<const sim::Model>, sim::RunSettings> Acquire(int p) {
    std::lock_guard<std::mutex> lock(mutex_[p]);
    if (!models_[p]) {
      const scenario::Scenario s =
          scenario::ParseScenario(spec_.base_text, spec_.base, Overrides(p));
      settings_[p] = s.simulation;
      models_[p] =
          std::make_shared<const sim::Model>(engine::BuildScenarioModel(s, *Network(p, s)));
    }
    return std::make_pair(models_[p], settings_[p]);
  }

  // One row of point p is done; the model goes with the point's last row, the network
  // with the last point that uses it.
  void Release(int p) {
    std::lock_guard<std::mutex> lock(mutex_[p]);
    if (--remaining_[p] > 0) return;
    models_[p].reset();
    SharedNetwork& n = networks_.at(network_key_[p]);
    std::lock_guard<std::mutex> network_lock(n.mutex);
    if (--n.points == 0) n.network.reset();
  }

 private:
  struct SharedNetwork {
    std::mutex mutex;
    std::shared_ptr<const engine::ScenarioNetwork> network;
    int points = 0;  // points with rows left
  };

  std::vector<std::string> Overrides(int p) const {
    std::vector<std::string> overrides;
    for (const auto& [k, v] : spec_.points[p].overrides) overrides.push_back(k + "=" + v);
    return overrides;
  }

  std::shared_ptr<const engine::ScenarioNetwork> Network(int p, const scenario::Scenario& s) {
    SharedNetwork& n = networks_.at(network_key_[p]);
    std::lock_guard<std::mutex> lock(n.mutex);
    if (!n.network)
      n.network =
          std::make_shared<const engine::ScenarioNetwork>(engine::BuildScenarioNetwork(s, 1));
    return n.network;
  }

  const scenario::SweepSpec& spec_;
  std::vector<std::shared_ptr<const sim::Model>> models_;
  std::vector<sim::RunSettings> settings_;
  std::vector<int> remaining_;  // rows of each point not done yet
  std::vector<std::mutex> mutex_;
  std::vector<std::string> network_key_;           // per point
  std::map<std::string, SharedNetwork> networks_;  // by key; the map itself never changes
};

// Runs the rows of `todo` on `threads` threads until done or config.stop,
// appending each finished line to `partial` (flushed, so a kill keeps it).
// `done` counts finished rows of the `rows` this process has for `progress`.
// Returns the new rows by row index.
std::map<long long, std::string> RunRows(const scenario::SweepSpec& spec,
                                         const std::vector<long long>& todo,
                                         const fs::path& partial, const SweepConfig& config,
                                         int threads, ProgressCounter& done, long long rows,
                                         const Progress& progress) {
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> out(std::fopen(partial.c_str(), "a"),
                                                            &std::fclose);
  if (!out) throw Error(partial.string() + ": cannot append");
  const long long runs = spec.runs;
  PointModels models(spec, todo);
  std::mutex out_mutex;
  std::map<long long, std::string> fresh;
  // Each row owns its line; rows are sorted by (point, run) when the files are finished.
  ParallelFor(static_cast<long long>(todo.size()), threads, [&](long long i) {
    if (config.stop && config.stop->load()) return;
    const long long k = todo[i];
    const int p = static_cast<int>(k / runs), r = static_cast<int>(k % runs);
    const auto [model, run_settings] = models.Acquire(p);
    const sim::RunResult result = sim::Simulate(*model, run_settings, r);
    const std::string line = Row(spec, p, r, engine::MeasureRun(*model, result).values);
    {
      std::lock_guard<std::mutex> lock(out_mutex);
      std::fputs((line + "\n").c_str(), out.get());
      std::fflush(out.get());
      fresh[k] = line;
    }
    models.Release(p);
    done.Tick([&](long long d) {
      if (progress) progress(d, rows);
    });
  });
  return fresh;
}

// Every rank's new rows joined with the resumed ones on rank 0 (nullopt on
// other ranks); `complete` says whether every rank finished its share.
std::optional<std::map<long long, std::string>> GatherRows(
    Ranks& ranks, const std::map<long long, std::string>& fresh, bool complete_here,
    const std::map<long long, std::string>& resumed, long long runs, bool& complete) {
  std::string text;
  for (const auto& [k, line] : fresh) text += line + "\n";
  text += complete_here ? "" : "#incomplete\n";
  const auto gathered = ranks.GatherToRoot(text);
  if (ranks.Rank() != 0) return std::nullopt;
  std::map<long long, std::string> all = resumed;
  complete = true;
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
  return all;
}

// The shard's rows in (point, run) order, or nullopt when one is missing.
std::optional<std::vector<std::string>> ShardRows(const std::map<long long, std::string>& all,
                                                  long long total, const SweepConfig& config) {
  std::vector<std::string> rows;
  for (long long k = 0; k < total; ++k) {
    if (k % config.shards != config.shard - 1) continue;
    const auto it = all.find(k);
    if (it == all.end()) return std::nullopt;
    rows.push_back(it->second);
  }
  return rows;
}

}  // namespace

SweepReport RunSweep(const SweepConfig& config, const Progress& progress) {
  const scenario::SweepSpec spec = scenario::LoadSweep(config.sweep);
  if (config.shards < 1 || config.shard < 1 || config.shard > config.shards)
    throw InputError("--shard " + std::to_string(config.shard) + "/" +
                     std::to_string(config.shards) + ": expected K/N with 1 <= K <= N");
  const std::string header = Header(spec);
  const long long total = static_cast<long long>(spec.points.size()) * spec.runs;

  std::unique_ptr<Ranks> ranks = JoinRanks();
  const int rank = ranks->Rank(), size = ranks->Size();
  SweepReport report;
  report.ranks = size;
  report.threads = ResolveThreads(config.threads).count;
  const fs::path dir(config.out_dir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error(config.out_dir + ": cannot create output folder: " + ec.message());

  const std::map<long long, std::string> resumed =
      ResumedRows(dir, header, spec.runs, config.resume);
  ranks->Barrier();  // everyone has read the partial files before anyone rewrites its own
  const RowShare share = ShareRows(total, config, rank, size, resumed);
  report.rows = share.rows;
  report.resumed = share.resumed;
  const fs::path partial = RewriteOwnPartial(dir, rank, size, header, spec.runs);
  ProgressCounter done(report.resumed);
  const auto fresh =
      RunRows(spec, share.todo, partial, config, report.threads, done, report.rows, progress);
  report.done = done.Done();
  const bool complete_here = report.done == report.rows;

  bool complete = true;
  const auto all = GatherRows(*ranks, fresh, complete_here, resumed, spec.runs, complete);
  if (!all) return report;  // rank 0 writes the files
  if (!complete || (config.stop && config.stop->load() && !complete_here)) {
    report.interrupted = true;
    return report;
  }
  const auto rows = ShardRows(*all, total, config);
  if (!rows) {
    report.interrupted = true;
    return report;
  }
  report.outputs =
      WriteFinal(config.out_dir, header, *rows, engine::MetricNames(spec.model).size());
  WriteMeta(dir, spec, SweepHash(spec), config.shard, config.shards, rows->size());
  report.outputs.push_back("sweep.json");
  for (const auto& f : PartialFiles(dir)) fs::remove(f, ec);
  return report;
}

std::vector<std::string> MergeSweeps(const std::vector<std::string>& shard_dirs,
                                     const std::string& out_dir) {
  if (shard_dirs.empty()) throw InputError("merge: no shard folders given");
  std::string header, hash;
  long long points = -1, runs = -1, shards = -1;
  std::size_t metrics = 0;
  std::set<long long> shard_seen;
  std::map<long long, std::string> rows;
  for (const auto& d : shard_dirs) {
    const fs::path dir(d);
    const std::string meta_path = (dir / "sweep.json").string();
    if (std::error_code ec; !fs::exists(meta_path, ec))
      throw InputError(meta_path + ": not found (is " + d +
                       " the --out folder of a finished shard?)");
    std::string h;
    long long p = 0, r = 0, n = 0, k = 0;
    try {
      const auto meta = nlohmann::json::parse(ReadTextFile(meta_path, "shard metadata"));
      h = meta.at("hash").get<std::string>();
      p = meta.at("points").get<long long>(), r = meta.at("runs").get<long long>();
      n = meta.at("shards").get<long long>(), k = meta.at("shard").get<long long>();
      metrics = meta.at("metrics").size();
    } catch (const nlohmann::json::exception& e) {
      throw InputError(meta_path + ": not a sweep.json of cordon: " + e.what());
    }
    if (hash.empty()) {
      hash = h, points = p, runs = r, shards = n;
    } else if (h != hash || p != points || r != runs || n != shards) {
      throw InputError(meta_path + ": belongs to a different sweep or shard count than " +
                       shard_dirs.front());
    }
    if (!shard_seen.insert(k).second)
      throw InputError(meta_path + ": shard " + std::to_string(k) + " given twice");
    const std::string text = ReadTextFile((dir / "sweep.csv").string(), "shard rows");
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
  return WriteFinal(out_dir, header, lines, metrics);
}

}  // namespace cordon::batch
