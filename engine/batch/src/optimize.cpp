// SPDX-License-Identifier: Apache-2.0
#include "cordon/batch/optimize.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <limits>
#include <mutex>
#include <queue>
#include <set>
#include <thread>

#include "cordon/base/atomic_file.hpp"
#include "cordon/base/error.hpp"
#include "cordon/base/threads.hpp"
#include "cordon/data/vector_writer.hpp"
#include "cordon/engine/dates.hpp"
#include "cordon/engine/metrics.hpp"
#include "cordon/engine/model_build.hpp"
#include "cordon/engine/outputs.hpp"
#include "cordon/geo/geography.hpp"
#include "cordon/sim/ensemble.hpp"

namespace cordon::engine {
namespace {

constexpr const char* kSitePrefix = "site:";
// The region-border crossings, for the naive "seal the border" placement.
constexpr const char* kBorderPrefix = "border-site:";

// Evaluates placements: candidate sites outside the selection are switched off.
class Evaluator {
 public:
  Evaluator(const sim::ModelInputs& inputs, std::vector<int> candidates, sim::RunSettings settings,
            Objective objective, std::vector<int> protect)
      : inputs_(inputs),
        candidates_(std::move(candidates)),
        settings_(settings),
        objective_(objective),
        protect_(std::move(protect)) {}

  /// The objective of one run of `selection` (run 0 deterministic unless settings say otherwise).
  double Value(const std::vector<int>& selection, const sim::RunSettings& settings, int run) const {
    sim::ModelInputs in = inputs_;
    std::vector<bool> on(candidates_.size(), false);
    for (int s : selection) on[s] = true;
    for (std::size_t k = 0; k < candidates_.size(); ++k)
      if (!on[k]) {
        sim::Checkpoint& c = in.network.checkpoints[candidates_[k]];
        c.block = c.screen = c.isolate = 0.0;
      }
    const sim::Model model(std::move(in));
    const sim::RunResult r = sim::Simulate(model, settings, run);
    const RunMetrics m = MeasureRun(model, r, protect_);
    switch (objective_) {
      case Objective::kPeakHospital:
        return m.values[MetricIndex("peak_H")];
      case Objective::kArrival: {
        double sum = 0;
        for (double d : m.arrival) sum += std::isnan(d) ? settings.days + 1 : d;
        return sum / std::max<std::size_t>(1, m.arrival.size());
      }
      default:
        return m.values[MetricIndex("attack_rate")];
    }
  }
  double Deterministic(const std::vector<int>& selection) const {
    ++evaluations_;
    return Value(selection, settings_, 0);
  }
  int Evaluations() const { return evaluations_; }

 private:
  const sim::ModelInputs& inputs_;
  std::vector<int> candidates_;  // checkpoint index of each candidate
  sim::RunSettings settings_;
  Objective objective_;
  std::vector<int> protect_;
  mutable std::atomic<int> evaluations_{0};
};

std::string ObjectiveName(Objective o) {
  switch (o) {
    case Objective::kPeakHospital:
      return "peak_H";
    case Objective::kArrival:
      return "arrival_day";
    default:
      return "attack_rate";
  }
}

}  // namespace

OptimizeReport RunOptimize(const OptimizeConfig& config, const OptimizeProgress& progress) {
  Scenario s = LoadScenario(config.scenario, config.overrides);
  if (!s.geo.enabled)
    throw InputError(s.file +
                     ": optimize needs a scenario with a village layer (region.villages.path), "
                     "so that candidate sites can be placed on its roads");
  if (config.budget < 1) throw InputError("--budget must be at least 1");
  sim::Checkpoint defaults;
  defaults.block = config.block;
  defaults.screen = config.screen;
  defaults.isolate = config.isolate;
  defaults.staff = config.staff;
  defaults.active.start_day = config.start;
  if (config.sites.rfind("cordon:", 0) == 0) {
    CordonSpec c;
    c.level = config.sites.substr(7);
    c.defaults = defaults;
    c.defaults.level = c.level;
    c.where = {"--sites", 0, 0, "cordon"};
    c.id_prefix = kSitePrefix;
    s.geo.cordons.push_back(c);
  } else {
    CheckpointLayerSpec c;
    c.layer.path = config.sites;
    c.layer.layer = config.sites_layer;
    c.layer.where = {"--sites", 0, 0, "sites"};
    c.defaults = defaults;
    c.id_prefix = kSitePrefix;
    s.geo.checkpoint_layers.push_back(c);
  }
  // Every road crossing of the region border, whatever the candidates are.
  {
    CordonSpec border;
    border.level = s.geo.fields.parent.empty() ? s.geo.fields.level : s.geo.fields.parent.front();
    border.defaults = defaults;
    border.defaults.level = border.level;
    border.where = {"--sites", 0, 0, "border"};
    border.id_prefix = kBorderPrefix;
    s.geo.cordons.push_back(border);
  }
  const int threads = ResolveThreads(config.threads).count;
  std::optional<Geography> geography;
  sim::ModelInputs inputs = BuildScenarioInputs(s, threads, &geography);
  // Border sites only serve the border placement; internal crossings of that cordon are dropped.
  std::vector<int> border_sites;
  for (int c = 0; c < static_cast<int>(inputs.network.checkpoints.size()); ++c) {
    sim::Checkpoint& cp = inputs.network.checkpoints[c];
    if (cp.id.rfind(kBorderPrefix, 0) != 0) continue;
    if (geography->checkpoint_on_border[c])
      border_sites.push_back(c);
    else
      cp.block = cp.screen = cp.isolate = 0.0;
  }
  const sim::Network& net = inputs.network;
  std::vector<int> candidates;  // checkpoint indices: the sites, then the border sites
  for (int c = 0; c < static_cast<int>(net.checkpoints.size()); ++c)
    if (net.checkpoints[c].id.rfind(kSitePrefix, 0) == 0) candidates.push_back(c);
  const int n = static_cast<int>(candidates.size());
  candidates.insert(candidates.end(), border_sites.begin(), border_sites.end());
  if (n == 0)
    throw InputError("--sites " + config.sites + ": no candidate sites found on the roads");
  if (config.budget > n)
    throw InputError("--budget " + std::to_string(config.budget) + " is larger than the " +
                     std::to_string(n) + " candidate sites of " + config.sites);
  std::vector<int> protect;
  for (const auto& id : config.protect) {
    const auto it = std::find(net.ids.begin(), net.ids.end(), id);
    if (it == net.ids.end())
      throw InputError(s.file + ": --protect " + id + ": no village with this id");
    protect.push_back(static_cast<int>(it - net.ids.begin()));
  }
  if (config.objective == Objective::kArrival && protect.empty())
    throw InputError("--objective arrival needs --protect VILLAGE (one or more)");

  OptimizeReport report;
  report.objective_name = ObjectiveName(config.objective);
  report.minimize = config.objective != Objective::kArrival;
  const double sign = report.minimize ? 1.0 : -1.0;  // losses are minimized

  // Flow interception: trips per day whose route passes each site, plus arrivals through it.
  const int all = static_cast<int>(candidates.size());
  std::vector<int> candidate_of(net.checkpoints.size(), -1);
  for (int k = 0; k < all; ++k) candidate_of[candidates[k]] = k;
  std::vector<double> flow(all, 0.0);
  for (int i = 0; i < net.Patches(); ++i)
    for (int p = net.trips.outerIndexPtr()[i]; p < net.trips.outerIndexPtr()[i + 1]; ++p)
      for (int q = net.route_offsets[p]; q < net.route_offsets[p + 1]; ++q)
        if (const int k = candidate_of[net.route_checkpoints[q]]; k >= 0)
          flow[k] += net.population[i] * net.trips.valuePtr()[p];
  for (const auto& stream : inputs.imports)
    for (std::size_t r = 0; r + 1 < stream.gate_offsets.size(); ++r)
      for (int q = stream.gate_offsets[r]; q < stream.gate_offsets[r + 1]; ++q)
        if (const int k = candidate_of[stream.gate_checkpoints[q]]; k >= 0)
          flow[k] += stream.per_day[r];
  std::vector<int> by_flow(n);
  for (int k = 0; k < n; ++k) by_flow[k] = k;
  std::stable_sort(by_flow.begin(), by_flow.end(), [&](int a, int b) { return flow[a] > flow[b]; });
  std::vector<std::string> ids(all);
  for (int k = 0; k < all; ++k) {
    const std::string& id = net.checkpoints[candidates[k]].id;
    ids[k] = id.substr(std::string(k < n ? kSitePrefix : kBorderPrefix).size());
  }
  report.candidate_ids.assign(ids.begin(), ids.begin() + n);
  report.candidate_flow.assign(flow.begin(), flow.begin() + n);

  sim::RunSettings deterministic = s.simulation;
  deterministic.mode = sim::Mode::kDeterministic;
  deterministic.runs = 1;
  const Evaluator eval(inputs, candidates, deterministic, config.objective, protect);
  auto staff_of = [&](int k) { return net.checkpoints[candidates[k]].staff; };
  auto affordable = [&](double used, int k) {
    return config.staff_budget <= 0 || used + staff_of(k) <= config.staff_budget + 1e-9;
  };

  // Greedy with lazy re-evaluation (CELF) over the shortlist.
  const int shortlist = config.shortlist > 0 ? std::min(config.shortlist, n) : n;
  const long long expected = 1 + shortlist + 4LL * config.budget + 8;
  std::atomic<long long> done{0};
  auto tick = [&] {
    if (progress) progress(++done, expected);
  };
  const double base_loss = sign * eval.Deterministic({});
  tick();
  report.curve.push_back(sign * base_loss);
  std::vector<double> first_gain(shortlist);
  ParallelFor(shortlist, threads, [&](int i) {
    first_gain[i] = base_loss - sign * eval.Deterministic({by_flow[i]});
    tick();
  });
  // (priority, candidate, round the gain was measured in); with a staff budget, gain per staff.
  using Entry = std::tuple<double, int, int>;
  auto priority = [&](double gain, int k) {
    return config.staff_budget > 0 ? gain / std::max(staff_of(k), 1e-9) : gain;
  };
  std::priority_queue<Entry> heap;
  std::vector<double> latest_gain(n, 0.0);
  for (int i = 0; i < shortlist; ++i) {
    latest_gain[by_flow[i]] = first_gain[i];
    heap.push({priority(first_gain[i], by_flow[i]), -by_flow[i], 0});
  }
  std::vector<int> chosen;
  double loss = base_loss, staff_used = 0.0;
  int round = 0;
  std::vector<int> last_alternatives;
  while (static_cast<int>(chosen.size()) < config.budget && !heap.empty()) {
    auto [prio, neg_k, measured] = heap.top();
    heap.pop();
    const int k = -neg_k;
    if (!affordable(staff_used, k)) continue;
    if (measured != round) {
      std::vector<int> with = chosen;
      with.push_back(k);
      latest_gain[k] = loss - sign * eval.Deterministic(with);
      tick();
      heap.push({priority(latest_gain[k], k), -k, round});
      continue;
    }
    if (latest_gain[k] <= 0) break;  // no site improves the objective any further
    // Runners-up for the last pick: the next best fresh-enough entries.
    if (static_cast<int>(chosen.size()) + 1 == config.budget) {
      auto copy = heap;
      while (!copy.empty() && last_alternatives.size() < 2) {
        const int alt = -std::get<1>(copy.top());
        copy.pop();
        if (affordable(staff_used, alt)) last_alternatives.push_back(alt);
      }
    }
    chosen.push_back(k);
    report.gain.push_back(sign * latest_gain[k]);
    loss -= latest_gain[k];
    staff_used += staff_of(k);
    report.curve.push_back(sign * loss);
    ++round;
  }
  report.chosen = chosen;

  // Placements to compare.
  auto staff_sum = [&](const std::vector<int>& set) {
    double t = 0;
    for (int k : set) t += staff_of(k);
    return t;
  };
  auto take = [&](const std::vector<int>& order, auto&& keep) {
    std::vector<int> set;
    double used = 0;
    for (int k : order) {
      if (static_cast<int>(set.size()) >= config.budget) break;
      if (!keep(k) || !affordable(used, k)) continue;
      set.push_back(k);
      used += staff_of(k);
    }
    return set;
  };
  report.placements.push_back({"greedy", chosen, 0, 0, 0, 0, 0});
  for (std::size_t a = 0; a < last_alternatives.size() && !chosen.empty(); ++a) {
    std::vector<int> set(chosen.begin(), chosen.end() - 1);
    set.push_back(last_alternatives[a]);
    report.placements.push_back({"runner-up-" + std::to_string(a + 1), set, 0, 0, 0, 0, 0});
  }
  // Naive 1: a checkpoint on every road crossing of the region border.
  std::vector<int> border_set;
  for (int k = n; k < all; ++k) border_set.push_back(k);
  report.placements.push_back({"border-only", border_set, 0, 0, 0, 0, 0});
  report.placements.push_back(
      {"busiest-roads", take(by_flow, [](int) { return true; }), 0, 0, 0, 0, 0});
  report.placements.push_back({"none", {}, 0, 0, 0, 0, 0});

  // Each placement: one deterministic run and a stochastic ensemble.
  sim::RunSettings stochastic = s.simulation;
  stochastic.mode = sim::Mode::kStochastic;
  const int runs = std::max(0, config.runs);
  for (auto& p : report.placements) {
    p.staff_per_day = staff_sum(p.sites);
    p.objective = eval.Deterministic(p.sites);
    tick();
    std::vector<double> values(runs);
    ParallelFor(runs, threads, [&](int r) { values[r] = eval.Value(p.sites, stochastic, r); });
    p.mean = std::numeric_limits<double>::quiet_NaN();
    p.q05 = p.q95 = p.mean;
    if (runs > 0) {
      p.mean = 0;
      for (double v : values) p.mean += v / runs;
      p.q05 = sim::Quantile(values, 0.05);
      p.q95 = sim::Quantile(values, 0.95);
    }
  }
  report.evaluations = eval.Evaluations();

  // Outputs.
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(config.out_dir, ec);
  if (ec) throw Error(config.out_dir + ": cannot create output folder: " + ec.message());
  const fs::path dir(config.out_dir);
  std::vector<int> rank(n, 0);
  for (std::size_t r = 0; r < chosen.size(); ++r) rank[chosen[r]] = static_cast<int>(r + 1);
  std::vector<data::Point2> where(n);
  for (int k = 0; k < n; ++k) where[k] = geography->checkpoint_points[candidates[k]];
  {
    AtomicFile f((dir / "sites.csv").string());
    std::ostream& o = f.Stream();
    o << "rank,id,level,kind,border,staff,flow,gain,objective_after\n";
    std::vector<int> order = chosen;
    for (int k : by_flow)
      if (!rank[k]) order.push_back(k);
    for (int k : order) {
      const auto& c = net.checkpoints[candidates[k]];
      o << rank[k] << ',' << CsvField(report.candidate_ids[k]) << ',' << CsvField(c.level) << ','
        << geography->checkpoint_kinds[candidates[k]] << ','
        << (geography->checkpoint_on_border[candidates[k]] ? 1 : 0) << ',' << FormatNumber(c.staff)
        << ',' << FormatNumber(flow[k]) << ',';
      if (rank[k])
        o << FormatNumber(report.gain[rank[k] - 1]) << ',' << FormatNumber(report.curve[rank[k]]);
      else
        o << ',';
      o << '\n';
    }
    f.Commit();
  }
  {
    data::LayerToWrite layer;
    layer.name = "sites";
    layer.kind = data::GeometryKind::kPoint;
    layer.crs = geography->region.crs;
    layer.out_crs = geography->region.source_crs;
    data::Column id{"id", data::FieldType::kText, {}, {}, {}},
        r{"rank", data::FieldType::kInteger, {}, {}, {}};
    data::Column fl{"flow", data::FieldType::kReal, {}, {}, {}},
        gn{"gain", data::FieldType::kReal, {}, {}, {}};
    for (int k = 0; k < n; ++k) {
      layer.points.push_back(where[k]);
      id.text.push_back(report.candidate_ids[k]);
      r.integer.push_back(rank[k]);
      fl.real.push_back(flow[k]);
      gn.real.push_back(rank[k] ? report.gain[rank[k] - 1]
                                : std::numeric_limits<double>::quiet_NaN());
    }
    layer.columns = {id, r, fl, gn};
    data::LayerToWrite chosen_layer = layer;
    chosen_layer.name = "chosen";
    chosen_layer.points.clear();
    for (auto& c : chosen_layer.columns) c.text.clear(), c.real.clear(), c.integer.clear();
    for (int k : chosen) {
      chosen_layer.points.push_back(where[k]);
      chosen_layer.columns[0].text.push_back(report.candidate_ids[k]);
      chosen_layer.columns[1].integer.push_back(rank[k]);
      chosen_layer.columns[2].real.push_back(flow[k]);
      chosen_layer.columns[3].real.push_back(report.gain[rank[k] - 1]);
    }
    data::WriteVectorFile((dir / "sites.gpkg").string(), {chosen_layer, layer});
  }
  {
    AtomicFile f((dir / "curve.csv").string());
    f.Stream() << "k,site," << report.objective_name << '\n';
    for (std::size_t k = 0; k < report.curve.size(); ++k)
      f.Stream() << k << ',' << (k == 0 ? "" : CsvField(report.candidate_ids[chosen[k - 1]])) << ','
                 << FormatNumber(report.curve[k]) << '\n';
    f.Commit();
  }
  {
    AtomicFile csv((dir / "placements.csv").string());
    AtomicFile md((dir / "placements.md").string());
    csv.Stream() << "placement,sites,staff_per_day," << report.objective_name << ","
                 << report.objective_name << "_mean," << report.objective_name << "_q05,"
                 << report.objective_name << "_q95,site_ids\n";
    md.Stream() << "| placement | sites | staff/day | " << report.objective_name
                << " (deterministic) | " << report.objective_name << " over " << runs
                << " runs [90%] |\n|---|---:|---:|---:|---:|\n";
    for (const auto& p : report.placements) {
      std::string site_ids;
      for (int k : p.sites) site_ids += (site_ids.empty() ? "" : " ") + ids[k];
      csv.Stream() << p.name << ',' << p.sites.size() << ',' << FormatNumber(p.staff_per_day) << ','
                   << FormatNumber(p.objective) << ',' << FormatNumber(p.mean) << ','
                   << FormatNumber(p.q05) << ',' << FormatNumber(p.q95) << ',' << CsvField(site_ids)
                   << '\n';
      char buf[160];
      std::snprintf(buf, sizeof buf, "| %s | %zu | %.0f | %.6g | %.6g [%.6g, %.6g] |\n",
                    p.name.c_str(), p.sites.size(), p.staff_per_day, p.objective, p.mean, p.q05,
                    p.q95);
      md.Stream() << buf;
    }
    csv.Commit();
    md.Commit();
  }
  report.outputs = {"sites.csv", "sites.gpkg", "curve.csv", "placements.csv", "placements.md"};
  return report;
}

}  // namespace cordon::engine
