// SPDX-License-Identifier: Apache-2.0
#include "optimize_candidates.hpp"

#include <algorithm>

#include "cordon/base/error.hpp"

namespace cordon::batch {
namespace {

// Checkpoint ids of candidate sites and of region-border crossings start with these.
constexpr const char* kSitePrefix = "site:";
constexpr const char* kBorderPrefix = "border-site:";

// Switches off the border cordon's crossings inside the region; returns the
// checkpoint indices of those on the region border.
std::vector<int> KeepBorderCrossings(const geo::Geography& geography, sim::ModelInputs& inputs) {
  std::vector<int> border_sites;
  for (int c = 0; c < static_cast<int>(inputs.network.checkpoints.size()); ++c) {
    sim::Checkpoint& cp = inputs.network.checkpoints[c];
    if (cp.id.rfind(kBorderPrefix, 0) != 0) continue;
    if (geography.checkpoint_on_border[c])
      border_sites.push_back(c);
    else
      cp.block = cp.screen = cp.isolate = 0.0;
  }
  return border_sites;
}

// Trips per day (population x trip rate) whose route passes each candidate,
// plus imported arrivals per day through it.
std::vector<double> InterceptedFlow(const sim::ModelInputs& inputs,
                                    const std::vector<int>& checkpoints) {
  const sim::Network& net = inputs.network;
  std::vector<int> candidate_of(net.checkpoints.size(), -1);
  for (int k = 0; k < static_cast<int>(checkpoints.size()); ++k) candidate_of[checkpoints[k]] = k;
  std::vector<double> flow(checkpoints.size(), 0.0);
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
  return flow;
}

}  // namespace

void AddCandidateSpecs(const OptimizeConfig& config, scenario::Scenario& scenario) {
  sim::Checkpoint defaults;
  defaults.block = config.block;
  defaults.screen = config.screen;
  defaults.isolate = config.isolate;
  defaults.staff = config.staff;
  defaults.active.start_day = config.start;
  geo::GeoSpec& geo = scenario.geo;
  if (config.sites.rfind("cordon:", 0) == 0) {
    geo::CordonSpec c;
    c.level = config.sites.substr(7);
    c.defaults = defaults;
    c.defaults.level = c.level;
    c.where = {"--sites", 0, 0, "cordon"};
    c.id_prefix = kSitePrefix;
    geo.cordons.push_back(c);
  } else {
    geo::CheckpointLayerSpec c;
    c.layer.path = config.sites;
    c.layer.layer = config.sites_layer;
    c.layer.where = {"--sites", 0, 0, "sites"};
    c.defaults = defaults;
    c.id_prefix = kSitePrefix;
    geo.checkpoint_layers.push_back(c);
  }
  // Every road crossing of the region border, whatever the candidates are.
  geo::CordonSpec border;
  border.level = geo.fields.parent.empty() ? geo.fields.level : geo.fields.parent.front();
  border.defaults = defaults;
  border.defaults.level = border.level;
  border.where = {"--sites", 0, 0, "border"};
  border.id_prefix = kBorderPrefix;
  geo.cordons.push_back(border);
}

Candidates FindCandidates(const OptimizeConfig& config, const geo::Geography& geography,
                          sim::ModelInputs& inputs) {
  const std::vector<int> border_sites = KeepBorderCrossings(geography, inputs);
  const sim::Network& net = inputs.network;
  Candidates c;
  for (int k = 0; k < static_cast<int>(net.checkpoints.size()); ++k)
    if (net.checkpoints[k].id.rfind(kSitePrefix, 0) == 0) c.checkpoints.push_back(k);
  c.sites = static_cast<int>(c.checkpoints.size());
  c.checkpoints.insert(c.checkpoints.end(), border_sites.begin(), border_sites.end());
  if (c.sites == 0)
    throw InputError("--sites " + config.sites + ": no candidate sites found on the roads");
  if (config.budget > c.sites)
    throw InputError("--budget " + std::to_string(config.budget) + " is larger than the " +
                     std::to_string(c.sites) + " candidate sites of " + config.sites);
  c.flow = InterceptedFlow(inputs, c.checkpoints);
  c.by_flow.resize(c.sites);
  for (int k = 0; k < c.sites; ++k) c.by_flow[k] = k;
  std::stable_sort(c.by_flow.begin(), c.by_flow.end(),
                   [&](int a, int b) { return c.flow[a] > c.flow[b]; });
  for (int k = 0; k < c.Count(); ++k) {
    const sim::Checkpoint& cp = net.checkpoints[c.checkpoints[k]];
    c.ids.push_back(cp.id.substr(std::string(k < c.sites ? kSitePrefix : kBorderPrefix).size()));
    c.staff.push_back(cp.staff);
  }
  return c;
}

}  // namespace cordon::batch
