// SPDX-License-Identifier: Apache-2.0
// Model file YAML -> sim::ModelSpec, every error at FILE:LINE:COL.
#include "cordon/scenario/model_file.hpp"

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "yaml_reader.hpp"

namespace cordon::scenario {
namespace {

using sim::ModelSpec;

// The expression in scalar `node` (a number is an expression too), located for messages.
sim::Expression ParseExpressionAt(const Reader& r, const YAML::Node& node, const std::string& key) {
  if (!node.IsScalar()) r.Fail(node, key, "expected an expression");
  SourceRef where = r.Ref(node, key);
  if (node.Tag() == "!") where.column += 1;  // a quoted scalar: the text starts after the quote
  try {
    sim::Expression e = sim::ParseExpression(node.Scalar());
    e.where = where;
    return e;
  } catch (const sim::ExpressionError& err) {
    sim::Expression e;
    e.text = node.Scalar();
    e.where = where;
    throw e.ErrorAt(err.offset, err.what());
  }
}

int CompartmentAt(const Reader& r, const ModelSpec& m, const YAML::Node& node,
                  const std::string& key) {
  if (!node || !node.IsScalar()) r.Fail(node, key, "expected a compartment name");
  const int c = m.CompartmentIndex(node.Scalar());
  if (c < 0) {
    std::string names;
    for (const auto& x : m.compartments) names += (names.empty() ? "" : ", ") + x.name;
    r.Fail(node, key, "unknown compartment '" + node.Scalar() + "' (the model has: " + names + ")");
  }
  return c;
}

bool IsName(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

// A new name for a compartment, parameter, force or flow: well formed and not taken.
// Takes the well-formed name `n` for the model (errors at `node`): not built in, not taken.
void ClaimName(const Reader& r, const YAML::Node& node, const std::string& key,
               const std::string& n, std::vector<std::string>& taken) {
  std::string builtins;
  for (const char* b : sim::kBuiltinNames)
    builtins += (builtins.empty() ? "" : ", ") + std::string(b);
  for (const char* builtin : sim::kBuiltinNames)
    if (n == builtin) r.Fail(node, key, "'" + n + "' is a built-in name (" + builtins + ")");
  if (std::find(taken.begin(), taken.end(), n) != taken.end())
    r.Fail(node, key, "the name '" + n + "' is used twice");
  taken.push_back(n);
}

std::string NewName(const Reader& r, const YAML::Node& node, const std::string& key,
                    std::vector<std::string>& taken) {
  if (!node.IsScalar() || !IsName(node.Scalar()))
    r.Fail(node, key, "expected a name (letters, digits, _; not starting with a digit)");
  ClaimName(r, node, key, node.Scalar(), taken);
  return node.Scalar();
}

// The roles of one compartment entry (or one axis entry of a product), over `base`.
sim::CompartmentSpec CompartmentRoles(const Reader& r, const YAML::Node& c, const std::string& path,
                                      sim::CompartmentSpec base) {
  base.travels = r.Flag(c, "travels", path, base.travels);
  base.infected = r.Flag(c, "infected", path, base.infected);
  const std::string isolation = r.Text(c, "isolation", path, "");
  if (isolation == "home")
    base.isolation = sim::Isolation::kHome;
  else if (isolation == "central")
    base.isolation = sim::Isolation::kCentral;
  else if (isolation == "none")
    base.isolation = sim::Isolation::kNone;
  else if (!isolation.empty())
    r.Fail(c["isolation"], path + ".isolation",
           "expected none, home or central, got '" + isolation + "'");
  base.hospital = r.Flag(c, "hospital", path, base.hospital);
  return base;
}

// {product: {of: [compartments], with: [{suffix, label, roles}]}}: every `of` compartment
// once per `with` entry (outer), named NAME + suffix, labelled "label with-label"; a role
// set on either side holds (travels: both must travel).
void ParseProduct(const Reader& r, const YAML::Node& product, const std::string& path, ModelSpec& m,
                  std::vector<std::string>& names) {
  r.CheckKeys(product, path, {"of", "with"});
  const YAML::Node of = product["of"], with = product["with"];
  if (!of || !of.IsSequence() || !with || !with.IsSequence())
    r.Fail(product, path, "expected {of: [compartments], with: [{suffix: ..., ...}]}");
  for (std::size_t w = 0; w < with.size(); ++w) {
    const std::string wpath = path + ".with[" + std::to_string(w) + "]";
    const YAML::Node axis = with[w];
    r.CheckKeys(axis, wpath, {"suffix", "label", "travels", "infected", "isolation", "hospital"});
    const std::string suffix = r.RequiredText(axis, "suffix", wpath);
    for (std::size_t k = 0; k < of.size(); ++k) {
      const std::string opath = path + ".of[" + std::to_string(k) + "]";
      const YAML::Node c = of[k];
      r.CheckKeys(c, opath, {"name", "label", "travels", "infected", "isolation", "hospital"});
      if (!c["name"] || !c["name"].IsScalar())
        r.Fail(c, opath + ".name", "missing required key 'name'");
      sim::CompartmentSpec spec = CompartmentRoles(r, c, opath, {});
      const bool travels = spec.travels;
      spec = CompartmentRoles(r, axis, wpath, spec);
      spec.travels = travels && r.Flag(axis, "travels", wpath, true);
      spec.name = c["name"].Scalar() + suffix;
      if (!IsName(spec.name))
        r.Fail(axis["suffix"], wpath + ".suffix", "'" + spec.name + "' is not a name");
      ClaimName(r, c["name"], opath + ".name", spec.name, names);
      const std::string label = r.Text(c, "label", opath, c["name"].Scalar());
      const std::string with_label = r.Text(axis, "label", wpath, suffix);
      spec.label = with_label.empty() ? label : label + " " + with_label;
      m.compartments.push_back(spec);
    }
  }
}

void ParseCompartments(const Reader& r, const YAML::Node& list, ModelSpec& m,
                       std::vector<std::string>& names) {
  r.RequireList(list, "compartments");
  if (list.size() == 0) r.Fail(list, "compartments", "a model needs at least one compartment");
  for (std::size_t n = 0; n < list.size(); ++n) {
    const std::string path = "compartments[" + std::to_string(n) + "]";
    const YAML::Node c = list[n];
    r.RequireMap(c, path);
    if (c["product"]) {
      r.CheckKeys(c, path, {"product"});
      ParseProduct(r, c["product"], path + ".product", m, names);
      continue;
    }
    r.CheckKeys(c, path, {"name", "label", "travels", "infected", "isolation", "hospital"});
    if (!c["name"]) r.Fail(c, path + ".name", "missing required key 'name'");
    sim::CompartmentSpec spec = CompartmentRoles(r, c, path, {});
    spec.name = NewName(r, c["name"], path + ".name", names);
    spec.label = r.Text(c, "label", path, spec.name);
    m.compartments.push_back(spec);
  }
}

void ParseParameters(const Reader& r, const YAML::Node& map, ModelSpec& m,
                     std::vector<std::string>& names) {
  r.RequireMap(map, "parameters");
  for (const auto& kv : map) {
    const std::string path = "parameters." + kv.first.Scalar();
    sim::ParameterSpec p;
    p.name = NewName(r, kv.first, path, names);
    const YAML::Node v = kv.second;
    r.CheckKeys(v, path, {"default", "unit", "range", "description"});
    if (!v["default"]) r.Fail(v, path + ".default", "missing required key 'default'");
    const YAML::Node d = v["default"];
    double number = 0.0;
    if (d.IsScalar() && YAML::convert<double>::decode(d, number))
      p.value = r.Value(d, path + ".default");
    else
      p.computed = ParseExpressionAt(r, d, path + ".default");  // from earlier parameters
    p.unit = r.Text(v, "unit", path);
    p.description = r.Text(v, "description", path);
    p.min = 0.0;  // parameters are rates, shares and durations unless a range says otherwise
    if (const YAML::Node range = v["range"]) {
      if (!range.IsSequence() || range.size() != 2)
        r.Fail(range, path + ".range", "expected [min, max]");
      p.min = r.Value(range[0], path + ".range");
      p.max = r.Value(range[1], path + ".range");
      if (p.max < p.min) r.Fail(range, path + ".range", "max is below min");
    }
    if (p.computed.root < 0 && (p.value < p.min || p.value > p.max)) {
      std::ostringstream what;
      what << "must be between " << p.min << " and " << p.max << ", got " << p.value;
      r.Fail(v["default"], path + ".default", what.str());
    }
    m.parameters.push_back(p);
  }
}

// {compartment: weight expression, ...}
std::vector<std::pair<int, sim::Expression>> Weights(const Reader& r, const ModelSpec& m,
                                                     const YAML::Node& map,
                                                     const std::string& path) {
  r.RequireMap(map, path);
  std::vector<std::pair<int, sim::Expression>> out;
  for (const auto& kv : map) {
    const std::string key = path + "." + kv.first.Scalar();
    out.emplace_back(CompartmentAt(r, m, kv.first, key), ParseExpressionAt(r, kv.second, key));
  }
  return out;
}

void ParseForces(const Reader& r, const YAML::Node& map, ModelSpec& m,
                 std::vector<std::string>& names) {
  r.RequireMap(map, "forces");
  for (const auto& kv : map) {
    const std::string path = "forces." + kv.first.Scalar();
    sim::ForceSpec f;
    f.name = NewName(r, kv.first, path, names);
    const YAML::Node v = kv.second;
    r.CheckKeys(v, path, {"rate", "infectious", "present", "outside"});
    if (!v["rate"]) r.Fail(v, path + ".rate", "missing required key 'rate'");
    if (!v["infectious"]) r.Fail(v, path + ".infectious", "missing required key 'infectious'");
    f.rate = ParseExpressionAt(r, v["rate"], path + ".rate");
    f.infectious = Weights(r, m, v["infectious"], path + ".infectious");
    if (v["present"]) f.present = Weights(r, m, v["present"], path + ".present");
    if (v["outside"]) f.outside = ParseExpressionAt(r, v["outside"], path + ".outside");
    m.forces.push_back(std::move(f));
  }
}

void ParseTransitions(const Reader& r, const YAML::Node& list, ModelSpec& m) {
  r.RequireList(list, "transitions");
  for (std::size_t n = 0; n < list.size(); ++n) {
    const std::string path = "transitions[" + std::to_string(n) + "]";
    const YAML::Node t = list[n];
    r.CheckKeys(t, path, {"from", "to", "rate"});
    for (const char* key : {"from", "to", "rate"})
      if (!t[key]) r.Fail(t, path + "." + key, "missing required key '" + std::string(key) + "'");
    sim::TransitionSpec spec;
    spec.from = CompartmentAt(r, m, t["from"], path + ".from");
    spec.to = CompartmentAt(r, m, t["to"], path + ".to");
    if (spec.from == spec.to) r.Fail(t["to"], path + ".to", "a transition must change compartment");
    spec.rate = ParseExpressionAt(r, t["rate"], path + ".rate");
    m.transitions.push_back(std::move(spec));
  }
}

// One flow term: "FROM -> TO" or a source name (arrivals.entered, ...).
void ParseFlowTerm(const Reader& r, const YAML::Node& node, const std::string& path,
                   const ModelSpec& m, sim::FlowSpec& f) {
  static const std::pair<const char*, sim::FlowSource> kSources[] = {
      {"arrivals.entered", sim::FlowSource::kArrivalsEntered},
      {"arrivals.turned_back", sim::FlowSource::kArrivalsTurnedBack},
      {"arrivals.detected", sim::FlowSource::kArrivalsDetected},
      {"arrivals.overflow", sim::FlowSource::kArrivalsOverflow},
      {"checkpoints.turned_back", sim::FlowSource::kCheckpointsTurnedBack},
      {"tracing.traced", sim::FlowSource::kTracingTraced},
      {"tracing.quarantined", sim::FlowSource::kTracingQuarantined},
      {"tracing.infected", sim::FlowSource::kTracingInfected}};
  const std::string text = node.IsScalar() ? node.Scalar() : std::string();
  for (const auto& [name, source] : kSources)
    if (text == name) return f.sources.push_back(source);
  const auto arrow = text.find("->");
  if (arrow == std::string::npos)
    r.Fail(node, path,
           "expected 'FROM -> TO' or one of arrivals.entered, arrivals.turned_back, "
           "arrivals.detected, arrivals.overflow, checkpoints.turned_back, tracing.traced, "
           "tracing.quarantined, tracing.infected");
  auto trim = [](std::string s) {
    s.erase(0, s.find_first_not_of(" \t"));
    s.erase(s.find_last_not_of(" \t") + 1);
    return s;
  };
  int ends[2];
  const std::string names[2] = {trim(text.substr(0, arrow)), trim(text.substr(arrow + 2))};
  for (int k = 0; k < 2; ++k)
    if ((ends[k] = m.CompartmentIndex(names[k])) < 0)
      r.Fail(node, path, "unknown compartment '" + names[k] + "'");
  bool found = false;
  for (const auto& t : m.transitions) found = found || (t.from == ends[0] && t.to == ends[1]);
  if (!found) r.Fail(node, path, "no transition goes " + text);
  f.pairs.emplace_back(ends[0], ends[1]);
}

// A flow's `counts:` role (docs/models.md, "What a model reports").
sim::FlowRole FlowRoleAt(const Reader& r, const YAML::Node& node, const std::string& path) {
  static const std::pair<const char*, sim::FlowRole> kRoles[] = {
      {"infections", sim::FlowRole::kInfections},
      {"first_infections", sim::FlowRole::kFirstInfections},
      {"overflow", sim::FlowRole::kOverflow}};
  const std::string text = node.IsScalar() ? node.Scalar() : std::string();
  for (const auto& [name, role] : kRoles)
    if (text == name) return role;
  r.Fail(node, path + ".counts", "expected infections, first_infections or overflow");
}

// flows: {name: "E -> Ir" | [terms] | {from: term or [terms], per_patch, output, counts}}
void ParseFlows(const Reader& r, const YAML::Node& map, ModelSpec& m,
                std::vector<std::string>& names) {
  r.RequireMap(map, "flows");
  for (const auto& kv : map) {
    const std::string path = "flows." + kv.first.Scalar();
    sim::FlowSpec f;
    f.name = NewName(r, kv.first, path, names);
    if (kv.second.IsMap()) {
      r.CheckKeys(kv.second, path, {"from", "per_patch", "output", "counts"});
      if (!kv.second["from"]) r.Fail(kv.second, path + ".from", "missing required key 'from'");
      f.per_patch = r.Flag(kv.second, "per_patch", path, true);
      f.output = r.Flag(kv.second, "output", path, true);
      if (const YAML::Node counts = kv.second["counts"]) f.counts = FlowRoleAt(r, counts, path);
    }
    // (A YAML::Node assigned to would write through to the tree: bind once.)
    const YAML::Node terms = kv.second.IsMap() ? kv.second["from"] : kv.second;
    if (terms.IsSequence())
      for (std::size_t n = 0; n < terms.size(); ++n)
        ParseFlowTerm(r, terms[n], path + "[" + std::to_string(n) + "]", m, f);
    else
      ParseFlowTerm(r, terms, path, m, f);
    m.flows.push_back(f);
  }
  for (const char* role : {"infections", "first_infections", "overflow"})
    if (std::count_if(m.flows.begin(), m.flows.end(), [&](const sim::FlowSpec& f) {
          return f.counts == FlowRoleAt(r, YAML::Node(role), "");
        }) > 1)
      r.Fail(map, "flows", std::string("more than one flow declares counts: ") + role);
}

// arrivals: {free: [S, E, I], home: [...], central: [...], detected: [admitted, overflow]}
void ParseArrivals(const Reader& r, const YAML::Node& map, ModelSpec& m) {
  r.CheckKeys(map, "arrivals", {"free", "home", "central", "detected"});
  sim::ArrivalSpec& a = m.arrivals;
  a.enabled = true;
  a.destination.fill(-1);
  const std::pair<const char*, int> kRows[] = {{"free", sim::kArrivalS},
                                               {"home", sim::kArrivalSh},
                                               {"central", sim::kArrivalSc},
                                               {"detected", sim::kArrivalDetectedAdmitted}};
  for (const auto& [key, first] : kRows) {
    const std::string path = std::string("arrivals.") + key;
    const YAML::Node list = map[key];
    const std::size_t size = first == sim::kArrivalDetectedAdmitted ? 2 : 3;
    if (!list) r.Fail(map, path, "missing required key '" + std::string(key) + "'");
    if (!list.IsSequence() || list.size() != size)
      r.Fail(list, path,
             size == 2 ? "expected [admitted, overflow]: where detected arrivals go with a bed "
                         "free and without"
                       : "expected [susceptible, exposed, infectious] compartments");
    for (std::size_t n = 0; n < size; ++n)
      a.destination[std::size_t(first) + n] = CompartmentAt(r, m, list[n], path);
  }
}

// tracing: {cases: FLOW, infected_per_case: EXPR, moves: {S: Sh, E: Eh, I: Ih}}
void ParseTracing(const Reader& r, const YAML::Node& map, ModelSpec& m) {
  r.CheckKeys(map, "tracing", {"cases", "infected_per_case", "moves"});
  sim::TracingSpec& t = m.tracing;
  t.enabled = true;
  for (const char* key : {"cases", "infected_per_case", "moves"})
    if (!map[key])
      r.Fail(map, std::string("tracing.") + key, "missing required key '" + std::string(key) + "'");
  const std::string cases = map["cases"].IsScalar() ? map["cases"].Scalar() : "";
  if ((t.cases = m.FlowIndex(cases)) < 0)
    r.Fail(map["cases"], "tracing.cases", "expected the name of a flow declared under flows:");
  if (const std::string problem = m.TracingCasesProblem(); !problem.empty())
    r.Fail(map["cases"], "tracing.cases", problem);
  for (auto source : m.flows[std::size_t(t.cases)].sources)
    if (source != sim::FlowSource::kArrivalsDetected)
      r.Fail(map["cases"], "tracing.cases",
             "flow '" + cases +
                 "' counts people who are not cases in a village (only "
                 "transitions and arrivals.detected can start tracing)");
  t.infected_per_case = ParseExpressionAt(r, map["infected_per_case"], "tracing.infected_per_case");
  const YAML::Node moves = map["moves"];
  r.RequireMap(moves, "tracing.moves");
  for (const auto& kv : moves) {
    const std::string path = "tracing.moves." + kv.first.Scalar();
    const int from = CompartmentAt(r, m, kv.first, path);
    const int to = CompartmentAt(r, m, kv.second, path);
    if (from == to) r.Fail(kv.second, path, "a traced contact must move to another compartment");
    if (m.compartments[std::size_t(from)].infected != m.compartments[std::size_t(to)].infected)
      r.Fail(kv.second, path,
             "a traced contact keeps whether it is infected (S -> Sh, E -> Eh, I -> Ih)");
    for (const auto& [f, _] : t.moves)
      if (f == from) r.Fail(kv.first, path, "compartment listed twice");
    t.moves.emplace_back(from, to);
  }
  if (t.moves.empty()) r.Fail(moves, "tracing.moves", "expected at least one compartment");
}

void ParseMobility(const Reader& r, const YAML::Node& map, ModelSpec& m) {
  r.CheckKeys(map, "mobility", {"kind", "scale", "denominator", "floor"});
  const std::string kind = r.Text(map, "kind", "mobility", "none");
  if (kind == "commuting")
    m.mobility.kind = sim::MobilityKind::kCommuting;
  else if (kind == "relocation")
    m.mobility.kind = sim::MobilityKind::kRelocation;
  else if (kind != "none")
    r.Fail(map["kind"], "mobility.kind",
           "expected commuting, relocation or none, got '" + kind + "'");
  if (map["scale"]) m.mobility.scale = ParseExpressionAt(r, map["scale"], "mobility.scale");
  const bool relocation = m.mobility.kind == sim::MobilityKind::kRelocation;
  for (const char* key : {"denominator", "floor"})
    if (map[key] && !relocation)
      r.Fail(map[key], std::string("mobility.") + key, "only used with kind: relocation");
  if (map["denominator"])
    m.mobility.denominator = ParseExpressionAt(r, map["denominator"], "mobility.denominator");
  m.mobility.floor = r.Number(map, "floor", "mobility", 0.0, 0.0, 1.0);
}

}  // namespace

ModelSpec ParseModelFile(const std::string& text, const std::string& path) {
  const YAML::Node root = LoadYaml(text, path);
  if (!root.IsMap()) throw InputError(SourceRef{path}, "expected a model mapping at the top level");
  Reader r(path);
  ModelSpec m;
  m.file = path;
  try {
    r.CheckKeys(root, "",
                {"name", "label", "description", "compartments", "initial", "parameters", "derived",
                 "forces", "transitions", "flows", "mobility", "arrivals", "screening", "seed_keys",
                 "tracing"});
    m.name = r.Text(root, "name", "", std::filesystem::path(path).stem().string());
    m.label = r.Text(root, "label", "", m.name);
    std::vector<std::string> names;
    if (!root["compartments"]) r.Fail(root, "compartments", "missing required key 'compartments'");
    ParseCompartments(r, root["compartments"], m, names);
    if (root["initial"]) m.initial = CompartmentAt(r, m, root["initial"], "initial");
    if (root["parameters"]) ParseParameters(r, root["parameters"], m, names);
    if (const YAML::Node d = root["derived"]) {
      r.RequireMap(d, "derived");
      for (const auto& kv : d) {
        const std::string key = "derived." + kv.first.Scalar();
        m.derived.push_back(
            {NewName(r, kv.first, key, names), ParseExpressionAt(r, kv.second, key)});
      }
    }
    if (root["forces"]) ParseForces(r, root["forces"], m, names);
    if (!root["transitions"]) r.Fail(root, "transitions", "missing required key 'transitions'");
    ParseTransitions(r, root["transitions"], m);
    if (root["flows"]) ParseFlows(r, root["flows"], m, names);
    if (root["mobility"]) ParseMobility(r, root["mobility"], m);
    if (root["arrivals"]) ParseArrivals(r, root["arrivals"], m);
    if (const YAML::Node keys = root["seed_keys"]) {
      r.RequireMap(keys, "seed_keys");
      for (const auto& kv : keys)
        m.seed_keys.emplace_back(kv.first.Scalar(),
                                 CompartmentAt(r, m, kv.second, "seed_keys." + kv.first.Scalar()));
    }
    if (const YAML::Node sc = root["screening"]) {
      r.CheckKeys(sc, "screening", {"compartment", "share"});
      m.screening.compartment = CompartmentAt(r, m, sc["compartment"], "screening.compartment");
      if (!sc["share"]) r.Fail(sc, "screening.share", "missing required key 'share'");
      m.screening.share = ParseExpressionAt(r, sc["share"], "screening.share");
    }
    if (const YAML::Node t = root["tracing"]) ParseTracing(r, t, m);
  } catch (const YAML::Exception& e) {
    throw InputError(SourceRef{path, e.mark.line + 1}, e.msg);
  }
  sim::AddInfectionsFlow(m);  // what every reader of the model sees: docs/models.md
  return m;
}

sim::ModelSpec LoadModel(const std::string& name_or_path, const std::string& relative_to) {
  if (const char* text = BundledModelText(name_or_path))
    return ParseModelFile(text,
                          "model " + name_or_path + " (data/models/" + name_or_path + ".yaml)");
  std::filesystem::path p(name_or_path);
  if (p.is_relative()) p = std::filesystem::path(relative_to).parent_path() / p;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(p, ec)) {
    std::string names;
    for (const auto& n : BundledModelNames()) names += (names.empty() ? "" : ", ") + n;
    throw InputError("model '" + name_or_path + "' is neither a bundled model (" + names +
                     ") nor a file (" + p.string() + " not found)");
  }
  const std::string file = p.lexically_normal().string();
  return ParseModelFile(ReadTextFile(file, "model file"), file);
}

}  // namespace cordon::scenario
