// SPDX-License-Identifier: Apache-2.0
// Compiling a ModelSpec for one network: names resolved, expressions compiled,
// state blocks laid out. Evaluation is in model_rates.cpp.
#include "cordon/sim/model.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "cordon/base/error.hpp"
#include "cordon/sim/patch_chunks.hpp"

namespace cordon::sim {
namespace {

// Compiles `e`, turning an ExpressionError into an InputError at its file:line:col.
Program CompileAt(const Expression& e, const SymbolResolver& resolve) {
  try {
    return Program::Compile(e, resolve);
  } catch (const ExpressionError& err) {
    throw e.ErrorAt(err.offset, err.what());
  }
}

[[noreturn]] void FailAt(const Expression& e, const std::string& what) { throw e.ErrorAt(0, what); }

int IndexOf(const std::vector<std::string>& names, const std::string& name) {
  const auto it = std::find(names.begin(), names.end(), name);
  return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

std::string Range(const ParameterSpec& p) {
  std::ostringstream s;
  s << "must be between " << p.min << " and " << p.max << ", got " << p.value;
  return s.str();
}

}  // namespace

int ModelSpec::CompartmentIndex(const std::string& n) const {
  for (std::size_t c = 0; c < compartments.size(); ++c)
    if (compartments[c].name == n) return static_cast<int>(c);
  return -1;
}

int ModelSpec::ParameterIndex(const std::string& n) const {
  for (std::size_t p = 0; p < parameters.size(); ++p)
    if (parameters[p].name == n) return static_cast<int>(p);
  return -1;
}

int ModelSpec::FlowIndex(const std::string& n) const {
  for (std::size_t f = 0; f < flows.size(); ++f)
    if (flows[f].name == n) return static_cast<int>(f);
  return -1;
}

namespace {

std::vector<int> Where(const std::vector<CompartmentSpec>& compartments,
                       bool (*role)(const CompartmentSpec&)) {
  std::vector<int> out;
  for (std::size_t c = 0; c < compartments.size(); ++c)
    if (role(compartments[c])) out.push_back(static_cast<int>(c));
  return out;
}

}  // namespace

std::vector<int> ModelSpec::Infected() const {
  return Where(compartments, [](const CompartmentSpec& c) { return c.infected; });
}

std::vector<int> ModelSpec::Hospital() const {
  return Where(compartments, [](const CompartmentSpec& c) { return c.hospital; });
}

std::vector<int> ModelSpec::Isolated() const {
  return Where(compartments,
               [](const CompartmentSpec& c) { return c.isolation != Isolation::kNone; });
}

std::vector<int> ModelSpec::CentrallyIsolated() const {
  return Where(compartments,
               [](const CompartmentSpec& c) { return c.isolation == Isolation::kCentral; });
}

Model::Model(ModelSpec spec, ModelInputs data) : spec_(std::move(spec)), data_(std::move(data)) {
  Network& net = data_.network;
  if (net.route_offsets.empty()) SetEmptyRoutes(net);
  net.Validate();
  Validate();
  AddInfectionsFlow(spec_);  // every model with infection gets its attack rate
  initial_population_ = net.population;
  AddTracingMoves();
  Compile();
}

void Model::AddTracingMoves() {
  model_transitions_ = Transitions();
  const TracingPolicy& policy = data_.policies.tracing;
  if (!policy.enabled) {
    spec_.HideTracingFlows();  // a run that does not trace has no columns of zeros for it
    return;
  }
  if (!spec_.tracing.enabled) return;
  for (const auto& [from, to] : spec_.tracing.moves) {
    TransitionSpec t;
    t.from = from;
    t.to = to;
    t.rate.text = "contact tracing";
    spec_.transitions.push_back(std::move(t));
    move_infected_.push_back(spec_.compartments[std::size_t(from)].infected ? 1 : 0);
  }
  tracing_moves_ = static_cast<int>(spec_.tracing.moves.size());
  tracing_stages_ = policy.delay_days > 0.0 ? policy.delay_stages : 0;
  if (tracing_stages_ > 0) tracing_pass_on_ = double(tracing_stages_) / policy.delay_days;
}

void Model::Validate() const {
  if (spec_.compartments.empty())
    throw InputError(SourceRef{spec_.file}, "the model has no compartments");
  const int patches = Patches();
  for (const auto& m : data_.travellers)
    if (m.rows() != patches || m.cols() != patches)
      throw InternalError("travel matrix size does not match the patches");
  for (const auto& s : data_.seeds) {
    if (s.patch < 0 || s.patch >= patches) throw InternalError("seed patch out of range");
    for (const auto& [c, persons] : s.persons)
      if (c < 0 || c >= Compartments() || !(persons >= 0.0))
        throw InputError("seed_infections: village " + data_.network.ids[s.patch] +
                         ": seeds must name a compartment and be >= 0 persons");
  }
  ScenarioNeeds needs;
  needs.imports = !data_.imports.empty();
  needs.route_checkpoints = !data_.network.route_checkpoints.empty();
  needs.external_trips = data_.external.Enabled();
  needs.travel_reductions = !data_.policies.travel_reductions.empty();
  needs.tracing = data_.policies.tracing.enabled;
  const auto broken = Incompatibilities(spec_, needs);
  if (!broken.empty()) throw InputError(broken.front().key + ": " + broken.front().reason);
}

std::vector<std::string> Model::SeriesColumns() const {
  std::vector<std::string> columns;
  for (const auto& c : spec_.compartments) columns.push_back(c.name);
  if (HasPopulationState()) columns.push_back("N");
  for (const auto& f : spec_.flows)
    if (f.output) columns.push_back(f.name);
  return columns;
}

int Model::SeriesColumn(const std::string& name) const {
  const auto columns = SeriesColumns();
  return IndexOf(columns, name);
}

StateLayout Model::Layout() const {
  StateLayout l;
  l.patches = Patches();
  l.checkpoints = Checkpoints();
  l.blocks = per_patch_blocks_ + tracing_stages_;
  l.region_counters = Flows();
  return l;
}

void Model::Compile() {
  const ModelSpec& m = spec_;
  std::vector<std::string> scalar_names;
  auto scalar_only = [&](const std::string& name, Symbol& s) {
    s = {Symbol::Kind::kScalar, IndexOf(scalar_names, name)};
    return s.slot >= 0;
  };
  // Parameters (a default given as an expression is computed from earlier ones), derived.
  for (const auto& p : m.parameters) {
    double v = p.value;
    computed_.emplace_back();
    if (p.computed.root >= 0 && !p.set) {
      computed_.back() = CompileAt(p.computed, scalar_only);
      v = computed_.back().Scalar({constants_.data(), nullptr});
      if (!(v >= p.min && v <= p.max)) {
        ParameterSpec shown = p;
        shown.value = v;
        FailAt(p.computed, p.name + " = " + p.computed.text + ": " + Range(shown));
      }
    } else if (!(v >= p.min && v <= p.max)) {
      throw InputError(SourceRef{m.file}, "disease." + p.name + ": " + Range(p));
    }
    scalar_names.push_back(p.name);
    constants_.push_back(v);
  }
  for (const auto& d : m.derived) {
    derived_.push_back(CompileAt(d.value, scalar_only));
    constants_.push_back(derived_.back().Scalar({constants_.data(), nullptr}));
    scalar_names.push_back(d.name);
  }
  time_slot_ = static_cast<int>(scalar_names.size());
  for (const char* name : {"t", "admit", "central_open"}) scalar_names.push_back(name);

  std::vector<std::string> force_names;
  for (const auto& f : m.forces) force_names.push_back(f.name);
  const bool commuting = m.mobility.kind == MobilityKind::kCommuting;
  // Names a rate may use; forces resolve to what a (non-)travelling compartment feels.
  bool reads_population = false;
  auto resolver = [&](bool travelling) -> SymbolResolver {
    return [&, travelling](const std::string& name, Symbol& s) {
      if (scalar_only(name, s)) return true;
      s.kind = Symbol::Kind::kPatchArray;
      if ((s.slot = m.CompartmentIndex(name)) >= 0) return true;
      if (name == "N") {
        reads_population = true;
        return (s.slot = PopulationSlot()), true;
      }
      if (name == "contact") return (s.slot = ContactSlot()), true;
      if (name == "screening") return (s.slot = ScreeningSlot()), true;
      const int f = IndexOf(force_names, name);
      if (f < 0) return false;
      s.slot = ForceSlot(f, travelling && commuting);
      return true;
    };
  };
  CompileForces(scalar_only, resolver);
  for (const auto& t : m.transitions) {
    if (rates_.size() >= std::size_t(model_transitions_)) {  // a tracing move: no program
      rates_.emplace_back();
      rate_per_patch_.push_back(1);
      continue;
    }
    rates_.push_back(CompileAt(t.rate, resolver(m.compartments[t.from].travels)));
    const Program& p = rates_.back();
    rate_per_patch_.push_back(p.PerPatch() ? 1 : 0);
    if (!p.PerPatch()) {
      // A rate of parameters alone must not be negative at t = 0, beds and places free or not.
      std::vector<double> scalars = constants_;
      scalars.resize(std::size_t(time_slot_) + 3, 0.0);
      double lowest = 1e300;
      for (double flag : {0.0, 1.0}) {
        scalars[std::size_t(time_slot_) + 1] = scalars[std::size_t(time_slot_) + 2] = flag;
        lowest = std::min(lowest, p.Scalar({scalars.data(), nullptr}));
      }
      if (lowest < 0.0)
        FailAt(t.rate, "a rate must be >= 0 per day, got " + std::to_string(lowest) +
                           " with the model's parameters");
    }
  }
  hospital_ = m.Hospital();
  infected_ = m.Infected();
  central_ = m.CentrallyIsolated();
  for (int c = 0; c < Compartments(); ++c)
    if (m.compartments[c].travels && m.mobility.kind != MobilityKind::kNone)
      travelling_.push_back(c);
  if (m.screening.compartment >= 0) {
    screening_share_ = CompileAt(m.screening.share, scalar_only);
    const double share = screening_share_.Scalar({constants_.data(), nullptr});
    if (!(share >= 0.0 && share <= 1.0))
      FailAt(m.screening.share,
             "the screened share must be in [0, 1], got " + std::to_string(share));
  }
  CompileFlows();
  CompileTracingFeeds();
  CompileMobility(scalar_only, resolver(false));
  if (tracing_moves_ > 0) {
    // The policy's lookback and contacts per case after t, admit and central_open.
    for (const char* name : {"lookback_days", "contacts_per_case"}) scalar_names.push_back(name);
    tracing_infected_ = CompileAt(m.tracing.infected_per_case, resolver(false));
    if (const std::string problem = m.TracingCasesProblem(); !problem.empty())
      throw InputError(SourceRef{m.file}, "tracing.cases: " + problem);
  }
  // N as the sum of the compartments, made every stage only when something reads it: a
  // program, a force with no `present:` (its pool is N), or contact tracing.
  sums_population_ = !HasPopulationState() &&
                     (reads_population || tracing_moves_ > 0 ||
                      std::any_of(forces_.begin(), forces_.end(),
                                  [](const CompiledForce& f) { return f.present.empty(); }));
  if (m.mobility.kind == MobilityKind::kCommuting) commuting_ = Commuting(data_.network.trips);
  // Whatever the mobility: TravellersAtCheckpoints counts the trips' routes of any model
  // with route checkpoints and a screened compartment.
  route_counters_ = RouteCounters(data_.network);
  interventions_ =
      Interventions(data_.network, data_.policies, data_.imports, scale_, data_.external);
}

void Model::CompileForces(const SymbolResolver& scalars,
                          const std::function<SymbolResolver(bool)>& resolver) {
  const bool commuting = spec_.mobility.kind == MobilityKind::kCommuting;
  auto weight = [&](const Expression& e) {
    for (const auto& name : e.Names())
      weights_read_flags_ = weights_read_flags_ || name == "admit" || name == "central_open";
    Program p = CompileAt(e, scalars);
    if (p.PerPatch()) FailAt(e, "a weight must not depend on compartments");
    return p;
  };
  for (const auto& f : spec_.forces) {
    CompiledForce cf;
    cf.rate = CompileAt(f.rate, resolver(false));
    if (f.outside.root >= 0) {
      cf.outside = CompileAt(f.outside, scalars);
      cf.has_outside = true;
      if (cf.outside.PerPatch()) FailAt(f.outside, "outside must not depend on compartments");
    }
    // Travelling infectious first: they mix through the trip matrix, the rest add on top.
    for (int pass = 0; pass < 2; ++pass)
      for (const auto& [c, w] : f.infectious)
        if ((commuting && spec_.compartments[c].travels) == (pass == 0))
          cf.infectious.emplace_back(c, weight(w));
    // Consecutive compartments with the same weight share one product.
    for (std::size_t n = 0; n < f.present.size(); ++n) {
      const auto& [c, w] = f.present[n];
      const bool same = n > 0 && f.present[n - 1].second.text == w.text &&
                        (commuting && spec_.compartments[f.present[n - 1].first].travels) ==
                            (commuting && spec_.compartments[c].travels);
      if (same)
        cf.present.back().first.push_back(c);
      else
        cf.present.emplace_back(std::vector<int>{c}, weight(w));
    }
    forces_.push_back(std::move(cf));
  }
}

void Model::CompileFlows() {
  const ModelSpec& m = spec_;
  per_patch_blocks_ = Compartments() + (HasPopulationState() ? 1 : 0);
  transition_flows_.assign(m.transitions.size(), {});
  arrival_flows_.assign(kNumArrivalCategories, {});
  for (int f = 0; f < Flows(); ++f) {
    const FlowSpec& flow = m.flows[std::size_t(f)];
    flow_block_.push_back(flow.per_patch ? per_patch_blocks_++ : -1);
    for (const auto& [from, to] : flow.pairs) {
      bool found = false;
      for (std::size_t n = 0; n < std::size_t(model_transitions_); ++n)
        if (m.transitions[n].from == from && m.transitions[n].to == to) {
          transition_flows_[n].push_back(f);
          found = true;
        }
      if (!found)
        throw InputError(SourceRef{m.file}, "flows." + flow.name + ": no transition goes from " +
                                                m.compartments[from].name + " to " +
                                                m.compartments[to].name);
    }
    for (FlowSource source : flow.sources) {
      if (source == FlowSource::kTracingTraced) {
        tracing_traced_flows_.push_back(f);
        continue;
      }
      if (source == FlowSource::kTracingQuarantined || source == FlowSource::kTracingInfected) {
        for (int move = 0; move < tracing_moves_; ++move)
          if (source == FlowSource::kTracingQuarantined || move_infected_[std::size_t(move)])
            transition_flows_[std::size_t(model_transitions_ + move)].push_back(f);
        continue;
      }
      if (source == FlowSource::kCheckpointsTurnedBack) {
        checkpoint_flows_.push_back(f);
        continue;
      }
      for (int c = 0; c < kNumArrivalCategories; ++c) {
        const bool entered = c != kArrivalTurnedBack;
        const bool detected = c == kArrivalDetectedAdmitted || c == kArrivalDetectedOverflow;
        if ((source == FlowSource::kArrivalsEntered && entered) ||
            (source == FlowSource::kArrivalsTurnedBack && !entered) ||
            (source == FlowSource::kArrivalsDetected && detected) ||
            (source == FlowSource::kArrivalsOverflow && c == kArrivalDetectedOverflow))
          arrival_flows_[std::size_t(c)].push_back(f);
      }
    }
  }
}

void Model::CompileTracingFeeds() {
  feeds_tracing_.assign(spec_.transitions.size(), 0);
  arrival_feeds_tracing_.assign(kNumArrivalCategories, 0);
  tracing_block_ = per_patch_blocks_;
  if (tracing_moves_ == 0) return;
  const int cases = spec_.tracing.cases;
  auto has = [cases](const std::vector<int>& flows) {
    return std::find(flows.begin(), flows.end(), cases) != flows.end();
  };
  for (int n = 0; n < model_transitions_; ++n)
    feeds_tracing_[std::size_t(n)] = has(transition_flows_[std::size_t(n)]) ? 1 : 0;
  for (int c = 0; c < kNumArrivalCategories; ++c)
    arrival_feeds_tracing_[std::size_t(c)] = has(arrival_flows_[std::size_t(c)]) ? 1 : 0;
}

void Model::CompileMobility(const SymbolResolver& scalars, const SymbolResolver& patch) {
  const MobilitySpec& mob = spec_.mobility;
  if (mob.kind == MobilityKind::kNone) return;
  if (mob.scale.root >= 0) {
    scale_program_ = CompileAt(mob.scale, scalars);
    scale_ = scale_program_.Scalar({constants_.data(), nullptr});
    if (!(scale_ >= 0.0)) FailAt(mob.scale, "mobility.scale must be >= 0");
  }
  const Network& net = data_.network;
  if (mob.kind == MobilityKind::kCommuting) {
    // p_ii >= 0 must hold for every switch state; pass <= 1, so check it with pass = 1.
    for (int i = 0; i < net.Patches(); ++i) {
      const double away = scale_ * (net.trips.row(i).sum() + data_.external.per_day);
      if (away > 1.0 + 1e-12) {
        std::ostringstream msg;
        msg << "village " << net.ids[i] << ": visit_days * trips per person per day"
            << (data_.external.Enabled() ? " (external trips included)" : "") << " = " << away
            << " > 1, so the share of time at home p_ii would be negative";
        throw InputError(msg.str());
      }
    }
    return;
  }
  if (mob.denominator.root >= 0) denominator_ = CompileAt(mob.denominator, patch);
  relocation_ = Relocation(std::move(data_.travellers), data_.travellers_first_day, net);
}

State Model::InitialState(bool round) const {
  State y(Layout());
  const Eigen::ArrayXd& population = data_.network.population;
  y.Compartment(spec_.initial) = round ? Eigen::ArrayXd(population.round()) : population;
  for (const auto& s : data_.seeds)
    for (const auto& [c, persons] : s.persons) {
      const double want = round ? std::round(persons) : persons;
      const double moved = std::min(want, y.Compartment(spec_.initial)[s.patch]);
      y.Compartment(spec_.initial)[s.patch] -= moved;
      y.Compartment(c)[s.patch] += moved;
    }
  if (HasPopulationState()) y.Compartment(PopulationBlock()) = population;
  return y;
}

Eigen::ArrayXd Model::SeededPerPatch() const {
  Eigen::ArrayXd seeded(Patches());
  Prevalence(InitialState(), seeded);
  return seeded;
}

void Model::Prevalence(const State& y, Eigen::ArrayXd& out) const {
  out.setZero(Patches());
  for (int c : infected_) out += y.Compartment(c);
}

Workspace Model::MakeWorkspace() const {
  const int p = Patches();
  Workspace ws;
  ws.seg = interventions_.MakeSegment(data_.network);
  ws.scalars = constants_;
  // t, admit, central_open, then the tracing policy's lookback and contacts per case.
  ws.scalars.resize(std::size_t(time_slot_) + 5, 0.0);
  ws.scalars[std::size_t(time_slot_) + 3] = interventions_.Policy().tracing.lookback_days;
  ws.scalars[std::size_t(time_slot_) + 4] = interventions_.Policy().tracing.contacts_per_case;
  ws.tracing = Eigen::ArrayXXd::Zero(tracing_moves_ > 0 ? p : 0, tracing_moves_ + 1);
  ws.traced_cases = Eigen::ArrayXd::Zero(tracing_moves_ > 0 ? p : 0);
  ws.scale = scale_;
  ws.arrays.assign(std::size_t(ForceSlot(static_cast<int>(forces_.size()), false)), nullptr);
  ws.total = ws.flow = ws.infectious = ws.pool = ws.denominator = Eigen::ArrayXd::Zero(p);
  ws.free_detectable = Eigen::ArrayXXd::Zero(2, p);
  ws.force = Eigen::ArrayXXd::Zero(p, 2 * std::max<Eigen::Index>(1, Eigen::Index(forces_.size())));
  ws.rates = Eigen::ArrayXXd::Zero(p, std::max(1, Transitions()));
  ws.scalar_rates.assign(std::size_t(Transitions()), 0.0);
  ws.rate_of.assign(std::size_t(Transitions()), nullptr);
  const Eigen::Index columns = std::max<Eigen::Index>(2, Eigen::Index(travelling_.size()));
  ws.shares = ws.mixed = Eigen::MatrixXd::Zero(p, columns);
  ws.force_shares = Eigen::ArrayXXd::Zero(2 * Eigen::Index(forces_.size()),
                                          spec_.mobility.kind == MobilityKind::kCommuting ? p : 0);
  ws.arrivals = Eigen::ArrayXXd::Zero(p, kNumArrivalCategories);
  ws.checkpoint_rates = Eigen::ArrayXXd::Zero(Checkpoints(), kNumCheckpointCounters);
  for (std::size_t f = 0; f < forces_.size(); ++f) {
    ws.arrays[ForceSlot(int(f), false)] = &ws.force(0, Eigen::Index(2 * f));
    ws.arrays[ForceSlot(int(f), true)] = &ws.force(0, Eigen::Index(2 * f + 1));
  }
  return ws;
}

std::vector<double> Model::ParameterValues() const {
  return {constants_.begin(), constants_.begin() + std::ptrdiff_t(spec_.parameters.size())};
}

void Model::SetParameters(const std::vector<double>& values, Workspace& ws) const {
  const std::size_t n = spec_.parameters.size();
  if (values.size() != n) throw InternalError("SetParameters: one value per parameter expected");
  const ProgramInputs in{ws.scalars.data(), nullptr};
  for (std::size_t p = 0; p < n; ++p) {
    if (!std::isnan(values[p]))
      ws.scalars[p] = values[p];
    else if (!computed_[p].Constant())
      ws.scalars[p] = computed_[p].Scalar(in);  // recomputed from earlier parameters
    else
      ws.scalars[p] = constants_[p];
  }
  for (std::size_t d = 0; d < derived_.size(); ++d) ws.scalars[n + d] = derived_[d].Scalar(in);
  if (spec_.mobility.scale.root < 0) return;
  ws.scale = scale_program_.Scalar(in);
  if (spec_.mobility.kind == MobilityKind::kCommuting && ws.scale != scale_)
    throw InputError(SourceRef{spec_.file},
                     "mobility.scale (visit days) cannot vary between runs of "
                     "one compiled model; keep the parameters it reads fixed");
}

void Model::AfterStep(State& y) const {
  if (!HasPopulationState() || spec_.mobility.floor <= 0.0) return;
  auto n = y.Compartment(PopulationBlock());
  n = n.max(spec_.mobility.floor * initial_population_);
}

}  // namespace cordon::sim
