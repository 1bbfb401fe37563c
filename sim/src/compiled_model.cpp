// SPDX-License-Identifier: Apache-2.0
#include "cordon/sim/compiled_model.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "cordon/base/error.hpp"

namespace cordon::sim {
namespace {

// Compiles `e`, turning an ExpressionError into an InputError at its file:line:col.
Program CompileAt(const Expression& e, const SymbolResolver& resolve) {
  try {
    return Program::Compile(e, resolve);
  } catch (const ExpressionError& err) {
    throw InputError(e.Locate(err.offset) + ": " + err.what());
  }
}

[[noreturn]] void FailAt(const Expression& e, const std::string& what) {
  throw InputError(e.Locate(0) + ": " + what);
}

int IndexOf(const std::vector<std::string>& names, const std::string& name) {
  const auto it = std::find(names.begin(), names.end(), name);
  return it == names.end() ? -1 : static_cast<int>(it - names.begin());
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

CompiledModel::CompiledModel(ModelSpec spec, Network network, std::vector<TripMatrix> travellers,
                             std::vector<ModelSeed> seeds)
    : spec_(std::move(spec)),
      network_(std::move(network)),
      travellers_(std::move(travellers)),
      seeds_(std::move(seeds)) {
  if (spec_.compartments.empty()) throw InputError(spec_.file + ": the model has no compartments");
  for (const auto& p : spec_.parameters)
    if (!(p.value >= p.min && p.value <= p.max)) {
      std::ostringstream msg;
      msg << spec_.file << ": disease." << p.name << ": must be between " << p.min << " and "
          << p.max << ", got " << p.value;
      throw InputError(msg.str());
    }
  const int patches = Patches();
  for (const auto& m : travellers_)
    if (m.rows() != patches || m.cols() != patches)
      throw InternalError("travel matrix size does not match the patches");
  for (const auto& s : seeds_) {
    if (s.patch < 0 || s.patch >= patches) throw InternalError("seed patch out of range");
    for (const auto& [c, persons] : s.persons)
      if (c < 0 || c >= Compartments() || !(persons >= 0.0))
        throw InputError("seed_infections: village " + network_.ids[s.patch] +
                         ": seeds must name a compartment and be >= 0 persons");
  }
  initial_population_ = network_.population;
  Compile();
}

void CompiledModel::Compile() {
  const ModelSpec& m = spec_;
  // Scalars: parameters, derived values, then t.
  std::vector<std::string> scalar_names;
  for (const auto& p : m.parameters) {
    scalar_names.push_back(p.name);
    constants_.push_back(p.value);
  }
  auto scalar_only = [&](const std::string& name, Symbol& s) {
    s = {Symbol::Kind::kScalar, IndexOf(scalar_names, name)};
    return s.slot >= 0;
  };
  for (const auto& d : m.derived) {
    const Program p = CompileAt(d.value, scalar_only);
    constants_.push_back(p.Scalar({constants_.data(), nullptr}));
    scalar_names.push_back(d.name);
  }
  scalar_names.push_back("t");
  std::vector<std::string> force_names;
  for (const auto& f : m.forces) force_names.push_back(f.name);

  const bool commuting = m.mobility.kind == MobilityKind::kCommuting;
  // Names a rate may use; forces resolve to what a (non-)travelling compartment feels.
  auto resolver = [&](bool travelling) {
    return [&, travelling](const std::string& name, Symbol& s) {
      if (scalar_only(name, s)) return true;
      s.kind = Symbol::Kind::kPatchArray;
      if ((s.slot = m.CompartmentIndex(name)) >= 0) return true;
      if (name == "N") return (s.slot = PopulationSlot()), true;
      const int f = IndexOf(force_names, name);
      if (f < 0) return false;
      s.slot = ForceSlot(f, travelling && commuting);
      return true;
    };
  };
  auto scalar_time = [&](const std::string& name, Symbol& s) { return scalar_only(name, s); };
  auto require_scalar = [](const Program& p, const Expression& e, const char* what) {
    if (p.PerPatch()) FailAt(e, std::string(what) + " must not depend on compartments");
  };

  for (const auto& f : m.forces) {
    CompiledForce cf;
    cf.rate = CompileAt(f.rate, resolver(false));
    for (const auto& [c, w] : f.infectious) {
      cf.infectious.emplace_back(c, CompileAt(w, scalar_time));
      require_scalar(cf.infectious.back().second, w, "a weight");
    }
    for (const auto& [c, w] : f.present) {
      cf.present.emplace_back(c, CompileAt(w, scalar_time));
      require_scalar(cf.present.back().second, w, "a weight");
    }
    forces_.push_back(std::move(cf));
  }
  for (const auto& t : m.transitions) {
    CompiledTransition ct;
    ct.from = t.from;
    ct.to = t.to;
    ct.rate = CompileAt(t.rate, resolver(m.compartments[t.from].travels));
    for (int f = 0; f < Flows(); ++f)
      if (m.flows[f].from == t.from && m.flows[f].to == t.to) ct.flows.push_back(FlowBlock(f));
    transitions_.push_back(std::move(ct));
  }
  for (const auto& f : m.flows) {
    bool found = false;
    for (const auto& t : m.transitions) found = found || (t.from == f.from && t.to == f.to);
    if (!found)
      throw InputError(m.file + ": flows." + f.name + ": no transition goes from " +
                       m.compartments[f.from].name + " to " + m.compartments[f.to].name);
  }

  if (m.mobility.kind == MobilityKind::kNone) return;
  for (int c = 0; c < Compartments(); ++c)
    if (m.compartments[c].travels) travelling_.push_back(c);
  if (m.mobility.scale.root >= 0) {
    const Program p = CompileAt(m.mobility.scale, scalar_only);
    scale_ = p.Scalar({constants_.data(), nullptr});
    if (!(scale_ >= 0.0)) FailAt(m.mobility.scale, "mobility.scale must be >= 0");
  }
  if (commuting) {
    visits_ = scale_ * network_.trips;
    stay_ = 1.0 - Eigen::ArrayXd(visits_ * Eigen::VectorXd::Ones(Patches()));
    for (int i = 0; i < Patches(); ++i)
      if (stay_[i] < -1e-12)
        throw InputError("village " + network_.ids[i] +
                         ": visit days x trips per person per day > 1, so the share of time "
                         "at home would be negative");
  } else {
    if (m.mobility.denominator.root >= 0)
      denominator_ = CompileAt(m.mobility.denominator, resolver(false));
    for (const auto& day : travellers_) {
      arrivals_.push_back(Eigen::ArrayXd(day.transpose() * Eigen::VectorXd::Ones(Patches())));
      departures_.push_back(Eigen::ArrayXd(day * Eigen::VectorXd::Ones(Patches())));
    }
  }
}

State CompiledModel::InitialState() const {
  State y(Layout());
  y.Compartment(spec_.initial) = network_.population;
  for (const auto& s : seeds_)
    for (const auto& [c, persons] : s.persons) {
      const double moved = std::min(persons, y.Compartment(spec_.initial)[s.patch]);
      y.Compartment(spec_.initial)[s.patch] -= moved;
      y.Compartment(c)[s.patch] += moved;
    }
  if (HasPopulationState()) y.Compartment(PopulationBlock()) = network_.population;
  return y;
}

Eigen::ArrayXd CompiledModel::SeededPerPatch() const {
  const State y = InitialState();
  Eigen::ArrayXd seeded = Eigen::ArrayXd::Zero(Patches());
  for (int c = 0; c < Compartments(); ++c)
    if (spec_.compartments[c].infected) seeded += y.Compartment(c);
  return seeded;
}

ModelWorkspace CompiledModel::MakeWorkspace() const {
  const int p = Patches();
  ModelWorkspace ws;
  ws.scalars = constants_;
  ws.scalars.push_back(0.0);  // t
  ws.arrays.assign(std::size_t(ForceSlot(static_cast<int>(forces_.size()), false)), nullptr);
  ws.total = Eigen::ArrayXd::Zero(p);
  ws.force = Eigen::ArrayXXd::Zero(p, 2 * std::max<std::size_t>(1, forces_.size()));
  ws.rate = ws.flow = ws.infectious = ws.pool = ws.denominator = Eigen::ArrayXd::Zero(p);
  const Eigen::Index columns = std::max<Eigen::Index>(2, Eigen::Index(travelling_.size()));
  ws.shares = ws.mixed = Eigen::MatrixXd::Zero(p, columns);
  for (std::size_t f = 0; f < forces_.size(); ++f) {
    ws.arrays[ForceSlot(int(f), false)] = &ws.force(0, Eigen::Index(2 * f));
    ws.arrays[ForceSlot(int(f), true)] = &ws.force(0, Eigen::Index(2 * f + 1));
  }
  return ws;
}

void CompiledModel::ComputeForces(const State& y, ModelWorkspace& ws) const {
  const ProgramInputs in{ws.scalars.data(), ws.arrays.data()};
  const int p = Patches();
  const bool commuting = spec_.mobility.kind == MobilityKind::kCommuting;
  for (std::size_t f = 0; f < forces_.size(); ++f) {
    const CompiledForce& cf = forces_[f];
    auto local = ws.force.col(Eigen::Index(2 * f));
    auto felt = ws.force.col(Eigen::Index(2 * f + 1));
    // Travelling and staying parts of the infectious (column 0) and present (column 1) persons.
    ws.shares.leftCols(2).setZero();
    ws.infectious.setZero();
    ws.pool.setZero();
    auto add = [&](const std::vector<std::pair<int, Program>>& list, int column,
                   Eigen::ArrayXd& staying) {
      for (const auto& [c, w] : list) {
        const double weight = w.Scalar(in);
        if (commuting && spec_.compartments[c].travels)
          ws.shares.col(column).array() += weight * y.Compartment(c);
        else
          staying += weight * y.Compartment(c);
      }
    };
    add(cf.infectious, 0, ws.infectious);
    if (cf.present.empty()) {
      if (commuting) {
        for (int c : travelling_) ws.shares.col(1).array() += y.Compartment(c);
        for (int c = 0; c < Compartments(); ++c)
          if (!spec_.compartments[c].travels) ws.pool += y.Compartment(c);
      } else {
        ws.pool = Eigen::Map<const Eigen::ArrayXd>(ws.arrays[PopulationSlot()], p);
      }
    } else {
      add(cf.present, 1, ws.pool);
    }
    if (commuting) {
      ws.mixed.leftCols(2).noalias() = visits_.transpose() * ws.shares.leftCols(2);
      ws.infectious += stay_ * ws.shares.col(0).array() + ws.mixed.col(0).array();
      ws.pool += stay_ * ws.shares.col(1).array() + ws.mixed.col(1).array();
    }
    cf.rate.Evaluate(in, 0, p, ws.rate.data());
    local = (ws.pool > 0.0).select(ws.rate * ws.infectious / ws.pool, 0.0);
    if (commuting) {
      ws.flow = stay_ * local + Eigen::ArrayXd((visits_ * local.matrix()).array());
      felt = ws.flow;
    } else {
      felt = local;
    }
  }
}

void CompiledModel::AddRelocation(const State& y, State& dydt, ModelWorkspace& ws) const {
  if (travellers_.empty()) return;
  const std::size_t d =
      std::min<std::size_t>(std::size_t(std::max(ws.day, 0)), travellers_.size() - 1);
  const int p = Patches();
  const ProgramInputs in{ws.scalars.data(), ws.arrays.data()};
  if (spec_.mobility.denominator.root >= 0)
    denominator_.Evaluate(in, 0, p, ws.denominator.data());
  else
    ws.denominator = y.Compartment(PopulationBlock());
  const Eigen::Index k = Eigen::Index(travelling_.size());
  for (Eigen::Index c = 0; c < k; ++c)
    ws.shares.col(c).array() =
        (ws.denominator > 0.0).select(y.Compartment(travelling_[c]) / ws.denominator, 0.0);
  ws.mixed.leftCols(k).noalias() = travellers_[d].transpose() * ws.shares.leftCols(k);
  for (Eigen::Index c = 0; c < k; ++c)
    dydt.Compartment(travelling_[c]) +=
        scale_ * (ws.mixed.col(c).array() - ws.shares.col(c).array() * departures_[d]);
  dydt.Compartment(PopulationBlock()) += scale_ * (arrivals_[d] - departures_[d]);
}

void CompiledModel::Derivative(double t, const State& y, State& dydt, ModelWorkspace& ws) const {
  const int p = Patches();
  ws.scalars.back() = t;
  for (int c = 0; c < Compartments(); ++c) ws.arrays[c] = y.Compartment(c).data();
  if (HasPopulationState()) {
    ws.arrays[PopulationSlot()] = y.Compartment(PopulationBlock()).data();
  } else {
    ws.total = y.Compartment(0);
    for (int c = 1; c < Compartments(); ++c) ws.total += y.Compartment(c);
    ws.arrays[PopulationSlot()] = ws.total.data();
  }
  ComputeForces(y, ws);
  dydt.values.setZero();
  const ProgramInputs in{ws.scalars.data(), ws.arrays.data()};
  for (const CompiledTransition& tr : transitions_) {
    if (tr.rate.PerPatch()) {
      tr.rate.Evaluate(in, 0, p, ws.rate.data());
      ws.flow = ws.rate * y.Compartment(tr.from);
    } else {
      ws.flow = tr.rate.Scalar(in) * y.Compartment(tr.from);
    }
    dydt.Compartment(tr.from) -= ws.flow;
    dydt.Compartment(tr.to) += ws.flow;
    for (int block : tr.flows) dydt.Compartment(block) += ws.flow;
  }
  if (spec_.mobility.kind == MobilityKind::kRelocation) AddRelocation(y, dydt, ws);
}

void CompiledModel::AfterStep(State& y) const {
  if (!HasPopulationState() || spec_.mobility.floor <= 0.0) return;
  auto n = y.Compartment(PopulationBlock());
  n = n.max(spec_.mobility.floor * initial_population_);
}

}  // namespace cordon::sim
