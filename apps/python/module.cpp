// SPDX-License-Identifier: Apache-2.0
// cordon._cordon: the engine's entry points for the Python package (cordon/__init__.py
// builds the user-facing API over them: docs/python.md). Each long call releases the GIL,
// runs on cordon's own threads, reports progress to an optional Python callable and stops
// when Python sees Ctrl-C; cordon::InputError becomes cordon.InputError (a ValueError)
// with the one-line message the CLI prints.
#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <csignal>
#include <stdexcept>
#include <string>
#include <vector>

#include "cordon/base/error.hpp"
#include "cordon/batch/compare.hpp"
#include "cordon/batch/optimize.hpp"
#include "cordon/batch/sweep.hpp"
#include "cordon/calibrate/calibrate.hpp"
#include "cordon/engine/dates.hpp"
#include "cordon/engine/outputs.hpp"
#include "cordon/engine/run.hpp"
#include "cordon/scenario/model_file.hpp"
#include "cordon/scenario/scenario.hpp"

namespace py = pybind11;
using namespace pybind11::literals;

namespace {

using Progress = std::function<void(long long done, long long total)>;

// Ctrl-C while a call runs: Python's own handler cannot run then (the main thread is in
// the engine, the GIL released), so the call installs this one and the engine's progress
// reports look at the flag. The one process-wide state here, as signals are.
std::atomic<bool> interrupted{false};
extern "C" void OnInterrupt(int) { interrupted.store(true); }

// Thrown from a progress report after Ctrl-C: it unwinds the engine's threads like any
// failure, and the call raises KeyboardInterrupt.
struct Interrupted {};

// SIGINT to OnInterrupt for the life of a call, then the handler before it.
class InterruptScope {
 public:
  InterruptScope() : previous_(std::signal(SIGINT, OnInterrupt)) { interrupted.store(false); }
  ~InterruptScope() { std::signal(SIGINT, previous_); }
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;

 private:
  void (*previous_)(int);
};

// A progress report for the engine (from any of its threads): after Ctrl-C it flags `stop`
// (calls that stop cleanly) or throws Interrupted; else it calls `progress` under the GIL.
Progress Report(const py::object& progress, std::atomic<bool>* stop = nullptr) {
  return [progress, stop](long long done, long long total) {
    if (interrupted.load()) {
      if (stop) {
        stop->store(true);
        return;
      }
      throw Interrupted{};
    }
    if (progress.is_none()) return;
    py::gil_scoped_acquire gil;
    progress(done, total);
  };
}

// Runs `work` without the GIL; a Ctrl-C on the way is raised as KeyboardInterrupt.
template <typename Work>
auto Released(Work&& work) {
  InterruptScope scope;
  auto raise = [] {
    PyErr_SetNone(PyExc_KeyboardInterrupt);
    throw py::error_already_set();
  };
  try {
    py::gil_scoped_release release;
    auto result = work();
    if (interrupted.load()) throw Interrupted{};  // stopped cleanly, but stopped
    return result;
  } catch (const Interrupted&) {
    raise();
  }
  throw std::logic_error("unreachable");
}

// The daily values as a numpy array days x villages x columns over the engine's own buffer
// (no copy: the array's base is a capsule that owns the DailyValues).
py::array DailyArray(cordon::engine::DailyValues&& daily) {
  auto* held = new cordon::engine::DailyValues(std::move(daily));
  py::capsule owner(held, [](void* p) { delete static_cast<cordon::engine::DailyValues*>(p); });
  const auto villages = py::ssize_t(held->layout.ids.size());
  const auto columns = py::ssize_t(held->layout.variables.size());
  const auto d = py::ssize_t(sizeof(double));
  return py::array(py::dtype::of<double>(), {py::ssize_t(held->layout.days + 1), villages, columns},
                   {villages * columns * d, d, villages * d}, held->values.get(), owner);
}

// The dictionary entries of held daily values: "daily", "daily_columns", "village_ids",
// "start_date".
void PutDaily(py::dict& d, cordon::engine::DailyValues&& daily) {
  std::vector<std::string> columns;
  for (const auto& v : daily.layout.variables) columns.push_back(v.name);
  d["daily_columns"] = columns;
  d["village_ids"] = daily.layout.ids;
  d["start_date"] = daily.layout.start_date;
  d["daily"] = DailyArray(std::move(daily));
}

// `cordon run` into `out_dir`: the report's numbers (the files hold the tables) and
// "daily_file", the daily file the CLI writes; with `keep_daily`, the daily values in
// memory (PutDaily), the file written only with `daily_file`.
py::dict Run(const std::string& scenario, const std::vector<std::string>& overrides, int threads,
             const std::string& out_dir, bool keep_daily, bool daily_file,
             const py::object& progress) {
  cordon::engine::RunConfig config;
  config.scenario = scenario;
  config.overrides = overrides;
  config.threads = threads;
  config.out_dir = out_dir;
  cordon::engine::DailyValues daily;
  if (keep_daily) config.daily = &daily;
  config.daily_file = daily_file;
  const Progress report = Report(progress);
  config.on_day = [&](int day, int days) { report(day, days); };  // one run's days
  const cordon::engine::RunReport r = Released([&] {
    return cordon::engine::RunScenario(config, [&](int done, int total) { report(done, total); });
  });
  py::dict d;
  d["outputs"] = r.outputs;
  d["warnings"] = r.warnings;
  d["runtime_s"] = r.runtime_s;
  d["threads"] = r.threads.count;
  d["daily_file"] = r.daily_file;
  if (keep_daily && daily.values) PutDaily(d, std::move(daily));
  return d;
}

// daily.nc or daily.csv (by the name's extension) from an array DailyArray made, as
// `cordon run` writes it.
void WriteDaily(const std::string& path, const py::array& daily) {
  const py::object base = daily.base();
  if (!py::isinstance<py::capsule>(base))
    throw std::invalid_argument("write_daily: not the daily array of cordon.run");
  const auto* held = static_cast<const cordon::engine::DailyValues*>(
      py::reinterpret_borrow<py::capsule>(base).get_pointer());
  py::gil_scoped_release release;
  cordon::engine::WriteDailyFile(path, *held);
}

// A daily.nc read back: the entries of PutDaily.
py::dict ReadDaily(const std::string& path) {
  cordon::engine::DailyValues daily;
  {
    py::gil_scoped_release release;
    daily = cordon::engine::ReadDailyNetcdf(path);
  }
  py::dict d;
  PutDaily(d, std::move(daily));
  return d;
}

py::list Sweep(const std::string& sweep, const std::string& out_dir, int threads, bool resume,
               const py::object& progress) {
  cordon::batch::SweepConfig config;
  config.sweep = sweep;
  config.out_dir = out_dir;
  config.threads = threads;
  config.resume = resume;
  std::atomic<bool> stop{false};
  config.stop = &stop;
  const Progress report = Report(progress, &stop);
  const auto r = Released([&] { return cordon::batch::RunSweep(config, report); });
  return py::cast(r.outputs);
}

py::list Compare(const std::vector<std::string>& scenarios, const std::string& out_dir,
                 const std::vector<std::string>& labels, const std::vector<std::string>& overrides,
                 const std::vector<std::string>& villages, int threads,
                 const py::object& progress) {
  cordon::batch::CompareConfig config;
  config.scenarios = scenarios;
  config.out_dir = out_dir;
  config.labels = labels;
  config.overrides = overrides;
  config.villages = villages;
  config.threads = threads;
  const Progress report = Report(progress);
  const auto r = Released([&] { return cordon::batch::RunCompare(config, report); });
  return py::cast(r.outputs);
}

py::list Calibrate(const std::string& file, const std::string& out_dir, int threads,
                   unsigned long long seed, const py::object& progress) {
  cordon::calibrate::CalibrateConfig config;
  config.file = file;
  config.out_dir = out_dir;
  config.threads = threads;
  config.seed = seed;
  std::atomic<bool> stop{false};
  const Progress report = Report(progress, &stop);
  const auto r = Released([&] { return cordon::calibrate::RunCalibration(config, report, &stop); });
  py::list out = py::cast(r.outputs);
  for (const auto& w : r.warnings) PyErr_WarnEx(PyExc_UserWarning, w.c_str(), 1);
  return out;
}

py::list Optimize(const cordon::batch::OptimizeConfig& config, const py::object& progress) {
  const Progress report = Report(progress);
  const auto r = Released([&] { return cordon::batch::RunOptimize(config, report); });
  return py::cast(r.outputs);
}

// A model's declaration as plain data (Model.load).
py::dict ModelInfo(const std::string& name_or_path, const std::string& relative_to) {
  const cordon::sim::ModelSpec m = cordon::scenario::LoadModel(name_or_path, relative_to);
  py::list compartments, parameters, flows;
  for (const auto& c : m.compartments)
    compartments.append(
        py::dict("name"_a = c.name, "label"_a = c.label, "travels"_a = c.travels,
                 "infected"_a = c.infected, "hospital"_a = c.hospital,
                 "isolation"_a = c.isolation == cordon::sim::Isolation::kHome      ? "home"
                                 : c.isolation == cordon::sim::Isolation::kCentral ? "central"
                                                                                   : ""));
  for (const auto& p : m.parameters)
    parameters.append(py::dict("name"_a = p.name, "default"_a = p.value, "unit"_a = p.unit,
                               "description"_a = p.description, "min"_a = p.min, "max"_a = p.max));
  const int infections = m.InfectionsFlow();
  for (int f = 0; f < int(m.flows.size()); ++f)
    flows.append(py::dict("name"_a = m.flows[f].name, "per_patch"_a = m.flows[f].per_patch,
                          "output"_a = m.flows[f].output, "infections"_a = f == infections));
  return py::dict("name"_a = m.name, "label"_a = m.label, "file"_a = m.file,
                  "compartments"_a = compartments, "parameters"_a = parameters, "flows"_a = flows,
                  "reinfection"_a = m.Reinfection());
}

}  // namespace

PYBIND11_MODULE(_cordon, m) {
  m.doc() = "cordon's engine; use the package `cordon` (docs/python.md)";
  // Bad input (exit 2 in the CLI): a ValueError subclass named cordon.InputError.
  static py::exception<cordon::InputError> input_error(m, "InputError", PyExc_ValueError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const cordon::InputError& e) {
      PyErr_SetString(input_error.ptr(), e.what());
    }
  });
  m.def("version", [] { return std::string(cordon::engine::Version()); });
  m.def("run", &Run, "scenario"_a, "overrides"_a, "threads"_a, "out_dir"_a, "keep_daily"_a,
        "daily_file"_a, "progress"_a);
  m.def("write_daily", &WriteDaily, "path"_a, "daily"_a);
  m.def("read_daily", &ReadDaily, "path"_a);
  m.def("sweep", &Sweep, "sweep"_a, "out_dir"_a, "threads"_a, "resume"_a, "progress"_a);
  m.def("compare", &Compare, "scenarios"_a, "out_dir"_a, "labels"_a, "overrides"_a, "villages"_a,
        "threads"_a, "progress"_a);
  m.def("calibrate", &Calibrate, "file"_a, "out_dir"_a, "threads"_a, "seed"_a, "progress"_a);
  m.def(
      "optimize",
      [](const std::string& scenario, const std::vector<std::string>& overrides,
         const std::string& sites, int budget, const std::string& objective,
         const std::vector<std::string>& protect, int runs, int shortlist, int threads,
         const std::string& out_dir, const py::object& progress) {
        cordon::batch::OptimizeConfig c;
        c.scenario = scenario;
        c.overrides = overrides;
        c.sites = sites;
        c.budget = budget;
        c.objective = objective;
        c.protect = protect;
        c.runs = runs;
        c.shortlist = shortlist;
        c.threads = threads;
        c.out_dir = out_dir;
        return Optimize(c, progress);
      },
      "scenario"_a, "overrides"_a, "sites"_a, "budget"_a, "objective"_a, "protect"_a, "runs"_a,
      "shortlist"_a, "threads"_a, "out_dir"_a, "progress"_a);
  m.def(
      "check_scenario",
      [](const std::string& path, const std::vector<std::string>& overrides) {
        cordon::scenario::LoadScenario(path, overrides);
      },
      "path"_a, "overrides"_a);
  m.def("scenario_text", &cordon::scenario::RelocatedScenarioText, "path"_a, "overrides"_a,
        "folder"_a);
  m.def("model_info", &ModelInfo, "name_or_path"_a, "relative_to"_a);
}
