// SPDX-License-Identifier: Apache-2.0
// Network-only tables (villages, OD, checkpoints, routes) -> sim::ModelInputs.
#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "cordon/base/csv_table.hpp"
#include "cordon/base/error.hpp"
#include "cordon/geo/checkpoint_fields.hpp"
#include "cordon/scenario/scenario.hpp"
#include "cordon/scenario/scenario_inputs.hpp"

namespace cordon::scenario {
namespace {

void ReadVillages(const std::string& path, sim::Network& net, geo::IdIndex& index) {
  const CsvTable t = CsvTable::Read(path);
  const int id = t.Require("id");
  const int pop = t.Require("population");
  const int name = t.Find("name");
  if (t.Rows() == 0) throw InputError(SourceRef{path}, "no villages");
  net.population.resize(static_cast<Eigen::Index>(t.Rows()));
  for (std::size_t r = 0; r < t.Rows(); ++r) {
    const std::string v(t.Text(r, id));
    if (v.empty()) throw InputError(t.Ref(r, id), "empty village id");
    if (!index.emplace(v, static_cast<int>(r)).second)
      throw InputError(t.Ref(r, id), "duplicate village id '" + v + "'");
    const double p = t.Number(r, pop);
    if (p < 0)
      throw InputError(t.Ref(r, pop),
                       "population must be >= 0, got " + std::string(t.Text(r, pop)));
    net.ids.push_back(v);
    net.names.emplace_back(name >= 0 ? t.Text(r, name) : std::string_view());
    net.population[static_cast<Eigen::Index>(r)] = p;
  }
}

void ReadTrips(const std::string& path, const geo::IdIndex& index, sim::Network& net, int threads) {
  std::vector<Eigen::Triplet<double, int>> triplets;
  for (const geo::OdRate& od : geo::ReadOdTable(path, index, threads))
    if (od.rate > 0) triplets.emplace_back(od.origin, od.destination, od.rate);
  const int p = net.Patches();
  net.trips.resize(p, p);
  net.trips.setFromTriplets(triplets.begin(), triplets.end());
  net.trips.makeCompressed();
}

// The OD table as the model's mobility reads it: commuting trips per person per day (one
// matrix), or relocation travellers per day (one matrix per date).
void ReadMobility(const Scenario& s, const geo::IdIndex& villages, sim::ModelInputs& in,
                  int threads) {
  const int patches = in.network.Patches();
  in.network.trips.resize(patches, patches);
  const sim::MobilityKind kind = s.model_spec.mobility.kind;
  if (kind == sim::MobilityKind::kNone || s.geo.od_csv.empty()) return;
  geo::OdColumns columns = s.geo.od_columns;
  const bool relocation = kind == sim::MobilityKind::kRelocation;
  const geo::OdColumns plain;
  if (!relocation && columns.origin == plain.origin && columns.destination == plain.destination &&
      columns.value.empty() && columns.date.empty() && columns.day.empty())
    return ReadTrips(s.geo.od_csv, villages, in.network, threads);
  if (columns.value.empty()) columns.value = relocation ? "travellers" : "trips_per_person_per_day";
  geo::DatedOd od = ReadDatedOd(s.geo.od_csv, villages, patches, columns);
  if (!relocation) {
    if (od.days.size() > 1)
      throw InputError(SourceRef{s.geo.od_csv},
                       "a dated table (" + std::to_string(od.days.size()) +
                           " days) needs a relocation model; commuting uses one trip matrix");
    in.network.trips = std::move(od.days.front());
    return;
  }
  if (!s.start_date.empty() && !od.first_date.empty()) {
    // The travel of a date moves people on that day: a table starts on day 1 (the first
    // with flows) or day 0 (start_date, whose matrix then only seeds).
    const long first =
        geo::DayNumber(od.first_date).value_or(0) - geo::DayNumber(s.start_date).value_or(0);
    if (first != 0 && first != 1)
      throw InputError(SourceRef{s.geo.od_csv},
                       "the table starts on " + od.first_date + " but simulation.start_date is " +
                           s.start_date +
                           " (a dated table starts on day 0, the start date, or day 1)");
    in.travellers_first_day = static_cast<int>(first);
  }
  in.travellers = std::move(od.days);
  // Every pair that ever travels, so that route tables can put checkpoints on it.
  sim::TripMatrix pairs(patches, patches);
  for (const auto& day : in.travellers) pairs += day;
  pairs.makeCompressed();
  in.network.trips = std::move(pairs);
}

void ReadCheckpoints(const std::string& path, geo::IdIndex& index, sim::Network& net) {
  const CsvTable t = CsvTable::Read(path);
  const int id = t.Require("id");
  t.Require("block"), t.Require("screen");
  for (std::size_t r = 0; r < t.Rows(); ++r) {
    sim::Checkpoint c;
    c.id = t.Text(r, id);
    if (c.id.empty()) throw InputError(t.Ref(r, id), "empty checkpoint id");
    if (!index.emplace(c.id, static_cast<int>(net.checkpoints.size())).second)
      throw InputError(t.Ref(r, id), "duplicate checkpoint id '" + c.id + "'");
    geo::CheckpointRecord record;
    record.file = path;
    record.text = [&](const char* name) -> std::optional<std::string_view> {
      const int col = t.Find(name);
      if (col < 0 || t.Text(r, col).empty()) return std::nullopt;
      return t.Text(r, col);
    };
    record.where = [&](const char* name) { return t.Where(r, t.Find(name)); };
    c = geo::ReadCheckpointFields(record, c);
    net.checkpoints.push_back(c);
  }
}

// Checkpoints listed by `order`, per route (a trip pair, or a village's way in from a gate).
using OrderedCheckpoints = std::vector<std::pair<double, int>>;

// Row r's (order, checkpoint index). Throws for an unknown checkpoint id or a bad order.
std::pair<double, int> RowEntry(const CsvTable& t, std::size_t r, int order, int ck,
                                const geo::IdIndex& checkpoints) {
  const auto it = checkpoints.find(t.Text(r, ck));
  if (it == checkpoints.end())
    throw InputError(t.Ref(r, ck), "unknown checkpoint id '" + std::string(t.Text(r, ck)) + "'");
  return {t.Number(r, order), it->second};
}

// Adds row r's `entry` to the checkpoints of `route` (named in the message for an order given
// twice).
void AddOrdered(const CsvTable& t, std::size_t r, int order, const std::string& route,
                std::pair<double, int> entry, OrderedCheckpoints& list) {
  for (const auto& e : list)
    if (e.first == entry.first)
      throw InputError(t.Ref(r, order),
                       route + " has two checkpoints with order " + std::string(t.Text(r, order)));
  list.push_back(entry);
}

// Each route's checkpoints sorted by order, one after another: offsets (size lists + 1) and
// entries, as Network stores routes and gates.
void Flatten(std::vector<OrderedCheckpoints>& lists, std::vector<int>& offsets,
             std::vector<int>& entries) {
  offsets.assign(lists.size() + 1, 0);
  entries.clear();
  for (std::size_t p = 0; p < lists.size(); ++p) {
    std::sort(lists[p].begin(), lists[p].end());
    for (const auto& e : lists[p]) entries.push_back(e.second);
    offsets[p + 1] = static_cast<int>(entries.size());
  }
}

// Route tables: (origin, destination) -> ordered checkpoints, stored per trip non-zero.
void ReadRoutes(const std::vector<std::string>& paths, const geo::IdIndex& villages,
                const geo::IdIndex& checkpoints, sim::Network& net) {
  std::vector<OrderedCheckpoints> per_pair(std::size_t(net.trips.nonZeros()));
  for (const auto& path : paths) {
    const CsvTable t = CsvTable::Read(path);
    const int o = t.Require("origin"), d = t.Require("destination");
    const int order = t.Require("order"), ck = t.Require("checkpoint");
    for (std::size_t r = 0; r < t.Rows(); ++r) {
      const int i = geo::VillageIn(t, r, o, villages), j = geo::VillageIn(t, r, d, villages);
      const auto entry = RowEntry(t, r, order, ck, checkpoints);
      // Locate the pair among row i's stored non-zeros; a pair with no trips carries nobody.
      const int* begin = net.trips.innerIndexPtr() + net.trips.outerIndexPtr()[i];
      const int* end = net.trips.innerIndexPtr() + net.trips.outerIndexPtr()[i + 1];
      const int* hit = std::lower_bound(begin, end, j);
      if (hit == end || *hit != j) continue;
      AddOrdered(t, r, order,
                 "route " + std::string(t.Text(r, o)) + " -> " + std::string(t.Text(r, d)), entry,
                 per_pair[std::size_t(hit - net.trips.innerIndexPtr())]);
    }
  }
  Flatten(per_pair, net.route_offsets, net.route_checkpoints);
}

// Gate tables: village -> ordered checkpoints between the region border and it (on the way in).
void ReadGates(const std::vector<std::string>& paths, const geo::IdIndex& villages,
               const geo::IdIndex& checkpoints, sim::Network& net) {
  if (paths.empty()) return;
  std::vector<OrderedCheckpoints> per_village(std::size_t(net.Patches()));
  for (const auto& path : paths) {
    const CsvTable t = CsvTable::Read(path);
    const int v = t.Require("village"), order = t.Require("order"), ck = t.Require("checkpoint");
    for (std::size_t r = 0; r < t.Rows(); ++r) {
      const int i = geo::VillageIn(t, r, v, villages);
      AddOrdered(t, r, order, "the gate route of " + std::string(t.Text(r, v)),
                 RowEntry(t, r, order, ck, checkpoints), per_village[std::size_t(i)]);
    }
  }
  Flatten(per_village, net.gate_offsets, net.gate_checkpoints);
}

}  // namespace

sim::ModelInputs BuildNetworkInputs(const Scenario& s, int threads) {
  sim::ModelInputs in;
  sim::Network& net = in.network;
  geo::IdIndex villages, checkpoints;
  ReadVillages(s.villages_csv, net, villages);
  ReadMobility(s, villages, in, threads);
  for (const auto& path : s.checkpoint_csvs) ReadCheckpoints(path, checkpoints, net);
  if (!s.route_csvs.empty() && net.checkpoints.empty())
    throw InputError(SourceRef{s.route_csvs.front()},
                     "routes name checkpoints, but the scenario lists no "
                     "checkpoints table ({csv: checkpoints.csv})");
  ReadRoutes(s.route_csvs, villages, checkpoints, net);
  if (!s.gate_csvs.empty() && net.checkpoints.empty())
    throw InputError(SourceRef{s.gate_csvs.front()},
                     "gates name checkpoints, but the scenario lists no "
                     "checkpoints table ({csv: checkpoints.csv})");
  ReadGates(s.gate_csvs, villages, checkpoints, net);
  return in;
}

sim::ModelInputs BuildModelInputs(const Scenario& s, int threads) {
  sim::ModelInputs in = BuildNetworkInputs(s, threads);
  geo::IdIndex villages;
  for (int p = 0; p < in.network.Patches(); ++p) villages.emplace(in.network.ids[p], p);
  AddScenarioInputs(s, villages, in);
  return in;
}

}  // namespace cordon::scenario
