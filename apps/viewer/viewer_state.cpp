// SPDX-License-Identifier: Apache-2.0
#include "viewer/viewer_state.hpp"

namespace cordon::viewer {

bool DayClock::Advance(double seconds, int last_day) {
  if (!playing) return false;
  carry_days += seconds * days_per_second;
  if (carry_days < 1) return false;
  const int step = static_cast<int>(carry_days);
  carry_days -= step;
  day = day + step > last_day ? 0 : day + step;
  return true;
}

scenario::ScenarioEdits Plan::Edits() const {
  scenario::ScenarioEdits edits;
  edits.checkpoints = checkpoints;
  for (const auto& [level, on] : level_on)
    if (!on) edits.levels_off.insert(level);
  return edits;
}

bool ViewerState::Open(const std::string& path) {
  if (!background_.Open(path)) return false;
  path_ = path;
  return true;
}

scenario::Scenario ViewerState::EditedScenario() const {
  return scenario::EditScenario(path_, plan.Edits(), run_->geography->region.crs);
}

void ViewerState::ReRun() {
  if (background_.Running() || !run_ || !run_->geography) return;
  // The snapshot is made here, on the UI thread: the worker gets a value and never reads the
  // plan, which the panels keep changing while it runs.
  try {
    background_.RunScenario(EditedScenario());
  } catch (const std::exception& e) {
    status = e.what();
  }
}

void ViewerState::Save() {
  if (!run_ || !run_->geography) return;
  try {
    status =
        "wrote " + scenario::SaveEditedScenario(path_, plan.Edits(), run_->geography->region.crs);
  } catch (const std::exception& e) {
    status = e.what();
  }
}

Arrival ViewerState::TakeFinished() {
  Arrival arrival;
  if (auto run = background_.Take()) {
    if (!run->geography) {
      status = "this scenario has no village layer to map";
      return arrival;
    }
    arrival.adopted = true;
    arrival.rerun = run_ && run_->scenario.file == run->scenario.file;
    if (arrival.rerun) {
      previous_ = std::move(run_);
    } else {
      previous_.reset();
      map.difference = false;
      plan.checkpoints.clear();
      plan.level_on.clear();
      pick.selected = -1;
    }
    run_ = std::move(run);
    for (const auto& c : run_->scenario.geo.cordons) plan.level_on.emplace(c.level, true);
    if (start_day >= 0) clock.day = start_day;
    status = run_->scenario.name;
    ++runs_adopted_;
  }
  // Reported once: the status line holds it afterwards.
  if (std::string error = background_.Error();
      !error.empty() && !background_.Running() && status != error) {
    status = error;
    arrival.error = std::move(error);
  }
  return arrival;
}

void ViewerState::AddCheckpoint(data::Point2 at) {
  scenario::CheckpointEdit e;
  e.at = SnapToRoad(*run_->geography, at);
  e.id = "user-" + std::to_string(plan.checkpoints.size() + 1);
  plan.checkpoints.push_back(e);
  plan.add_mode = false;
}

void ViewerState::MoveCheckpoint(int k, data::Point2 at) {
  plan.checkpoints.at(std::size_t(k)).at = SnapToRoad(*run_->geography, at);
}

int ViewerState::VillageAt(data::Point2 p) const {
  const auto& shapes = run_->geography->region.shapes;
  for (std::size_t k = 0; k < shapes.size(); ++k) {
    // The bounding box first: most villages are far from the pointer.
    const auto b = data::Bounds(shapes[k]);
    if (p.x < b.min_x || p.x > b.max_x || p.y < b.min_y || p.y > b.max_y) continue;
    if (data::Contains(shapes[k], p)) return static_cast<int>(k);
  }
  return -1;
}

bool ChartColumnShownByDefault(const engine::DisplayRun& run, int column) {
  const sim::ModelSpec& spec = run.scenario.model_spec;
  const std::string& name = run.result.columns.at(std::size_t(column));
  // The model's per-village flows but the infections (the map shows where they went).
  const int infections = spec.InfectionsFlow(), first = spec.FirstInfectionsFlow();
  for (int f = 0; f < int(spec.flows.size()); ++f)
    if (spec.flows[f].name == name) return spec.flows[f].per_patch && f != infections && f != first;
  return false;
}

namespace {

// A unit's name for people: a labelled unit's (region.labels), a village's, or its code.
std::string UnitName(const geo::Geography& geo, const std::string& code) {
  if (code == "outside") return "outside the region";
  for (const auto& label : geo.labels)
    if (label.code == code) return label.text;
  const auto& region = geo.region;
  for (int i = 0; i < region.Patches(); ++i)
    if (region.ids[std::size_t(i)] == code && !region.names[std::size_t(i)].empty())
      return region.names[std::size_t(i)];
  return code;
}

}  // namespace

std::string BorderInWords(const geo::Geography& geo, const std::string& id) {
  const std::size_t bar = id.find('|');
  const std::size_t colon = bar == std::string::npos ? bar : id.rfind(':', bar);
  if (colon == std::string::npos) return {};
  const std::string a = id.substr(colon + 1, bar - colon - 1);
  const std::string b = id.substr(bar + 1, id.find('#', bar) - bar - 1);
  return UnitName(geo, a) + " - " + UnitName(geo, b);
}

double AttackRate(const engine::DisplayRun& run) {
  double people = 0, ill = 0;
  for (int i = 0; i < run.network.Patches(); ++i) {
    people += run.network.population[i];
    ill += run.result.attack_rate[i] * run.network.population[i];
  }
  return people > 0 ? ill / people : 0.0;
}

data::Point2 SnapToRoad(const geo::Geography& geo, data::Point2 p) {
  data::Point2 best = p;
  double best_d = 1e300;
  for (const auto& e : geo.graph.edges) {
    const auto a = geo.graph.nodes[e.from], b = geo.graph.nodes[e.to];
    double t = 0;
    const double d = data::SegmentDistance(p, a, b, &t);
    if (d < best_d) best_d = d, best = {a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)};
  }
  return best;
}

}  // namespace cordon::viewer
