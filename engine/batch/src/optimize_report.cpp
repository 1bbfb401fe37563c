// SPDX-License-Identifier: Apache-2.0
#include "optimize_report.hpp"

#include <cstdio>
#include <filesystem>
#include <limits>

#include "cordon/base/atomic_file.hpp"
#include "cordon/base/csv_table.hpp"
#include "cordon/base/error.hpp"
#include "cordon/data/vector_writer.hpp"

namespace cordon::batch {
namespace {

namespace fs = std::filesystem;

// 1-based rank of each site in the greedy choice; 0 for sites not chosen.
std::vector<int> ChoiceRanks(const OptimizeReport& report, int sites) {
  std::vector<int> rank(sites, 0);
  for (std::size_t r = 0; r < report.chosen.size(); ++r)
    rank[report.chosen[r]] = static_cast<int>(r + 1);
  return rank;
}

// sites.csv: the chosen sites in choice order, then the others busiest first.
void WriteSitesCsv(const fs::path& dir, const OptimizeReport& report, const Candidates& candidates,
                   const sim::Network& net, const geo::Geography& geography) {
  const std::vector<int> rank = ChoiceRanks(report, candidates.sites);
  AtomicFile f((dir / "sites.csv").string());
  std::ostream& o = f.Stream();
  o << "rank,id,level,kind,border,staff,flow,gain,objective_after\n";
  std::vector<int> order = report.chosen;
  for (int k : candidates.by_flow)
    if (!rank[k]) order.push_back(k);
  for (int k : order) {
    const int checkpoint = candidates.checkpoints[k];
    const auto& c = net.checkpoints[checkpoint];
    o << rank[k] << ',' << CsvField(report.candidate_ids[k]) << ',' << CsvField(c.level) << ','
      << geography.checkpoint_kinds[checkpoint] << ','
      << (geography.checkpoint_on_border[checkpoint] ? 1 : 0) << ',' << FormatNumber(c.staff) << ','
      << FormatNumber(candidates.flow[k]) << ',';
    if (rank[k])
      o << FormatNumber(report.gain[rank[k] - 1]) << ',' << FormatNumber(report.curve[rank[k]]);
    else
      o << ',';
    o << '\n';
  }
  f.Commit();
}

// sites.gpkg: layer "chosen" (in choice order) and layer "sites" (every site), source CRS.
void WriteSitesGpkg(const fs::path& dir, const OptimizeReport& report, const Candidates& candidates,
                    const geo::Geography& geography) {
  const std::vector<int> rank = ChoiceRanks(report, candidates.sites);
  data::LayerToWrite layer;
  layer.name = "sites";
  layer.kind = data::GeometryKind::kPoint;
  layer.crs = geography.region.crs;
  layer.out_crs = geography.region.source_crs;
  data::Column id{"id", data::FieldType::kText, {}, {}, {}},
      r{"rank", data::FieldType::kInteger, {}, {}, {}};
  data::Column fl{"flow", data::FieldType::kReal, {}, {}, {}},
      gn{"gain", data::FieldType::kReal, {}, {}, {}};
  for (int k = 0; k < candidates.sites; ++k) {
    layer.points.push_back(geography.checkpoint_points[candidates.checkpoints[k]]);
    id.text.push_back(report.candidate_ids[k]);
    r.integer.push_back(rank[k]);
    fl.real.push_back(candidates.flow[k]);
    gn.real.push_back(rank[k] ? report.gain[rank[k] - 1]
                              : std::numeric_limits<double>::quiet_NaN());
  }
  layer.columns = {id, r, fl, gn};
  data::LayerToWrite chosen_layer = layer;
  chosen_layer.name = "chosen";
  chosen_layer.points.clear();
  for (auto& c : chosen_layer.columns) c.text.clear(), c.real.clear(), c.integer.clear();
  for (int k : report.chosen) {
    chosen_layer.points.push_back(geography.checkpoint_points[candidates.checkpoints[k]]);
    chosen_layer.columns[0].text.push_back(report.candidate_ids[k]);
    chosen_layer.columns[1].integer.push_back(rank[k]);
    chosen_layer.columns[2].real.push_back(candidates.flow[k]);
    chosen_layer.columns[3].real.push_back(report.gain[rank[k] - 1]);
  }
  data::WriteVectorFile((dir / "sites.gpkg").string(), {chosen_layer, layer});
}

// curve.csv: the objective after k = 0.. chosen sites, and the site added at k.
void WriteCurveCsv(const fs::path& dir, const OptimizeReport& report) {
  AtomicFile f((dir / "curve.csv").string());
  f.Stream() << "k,site," << report.objective_name << '\n';
  for (std::size_t k = 0; k < report.curve.size(); ++k)
    f.Stream() << k << ',' << (k == 0 ? "" : CsvField(report.candidate_ids[report.chosen[k - 1]]))
               << ',' << FormatNumber(report.curve[k]) << '\n';
  f.Commit();
}

// placements.csv and placements.md: each placement's sites, staff and objective.
void WritePlacements(const fs::path& dir, const OptimizeReport& report,
                     const Candidates& candidates, int runs) {
  const std::string& name = report.objective_name;
  AtomicFile csv((dir / "placements.csv").string());
  AtomicFile md((dir / "placements.md").string());
  csv.Stream() << "placement,sites,staff_per_day," << name << "," << name << "_mean," << name
               << "_q05," << name << "_q95,site_ids\n";
  md.Stream() << "| placement | sites | staff/day | " << name << " (deterministic) | " << name
              << " over " << runs << " runs [90%] |\n|---|---:|---:|---:|---:|\n";
  for (const auto& p : report.placements) {
    std::string site_ids;
    for (int k : p.sites) site_ids += (site_ids.empty() ? "" : " ") + candidates.ids[k];
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

}  // namespace

std::vector<std::string> WriteOptimizeOutputs(const std::string& out_dir,
                                              const OptimizeReport& report,
                                              const Candidates& candidates, const sim::Network& net,
                                              const geo::Geography& geography, int runs) {
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) throw Error(out_dir + ": cannot create output folder: " + ec.message());
  const fs::path dir(out_dir);
  WriteSitesCsv(dir, report, candidates, net, geography);
  WriteSitesGpkg(dir, report, candidates, geography);
  WriteCurveCsv(dir, report);
  WritePlacements(dir, report, candidates, runs);
  return {"sites.csv", "sites.gpkg", "curve.csv", "placements.csv", "placements.md"};
}

}  // namespace cordon::batch
