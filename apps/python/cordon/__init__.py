# SPDX-License-Identifier: Apache-2.0
"""cordon from Python: the engine in-process, results as pandas (docs/python.md).

    import cordon
    r = cordon.run("data/samples/network.yaml", set={"disease.r0": 3}, threads=2)
    r.series            # DataFrame: series.csv's columns, `date` as datetime with a start_date
    r.villages          # DataFrame per village; r.checkpoints, r.summary (dict)
    r.daily             # numpy array days x villages x columns over the engine's buffer (no
                        # copy), r.daily_columns, r.village_ids; r.daily_dataset(): xarray
    r.runs              # ensembles: one DataFrame per run
    r.save("out/run")   # the files `cordon run` writes

    s = cordon.Scenario.load("data/samples/network.yaml").set("disease.r0", 3)
    m = cordon.Model.load("seir")          # compartments, parameters, flows
    cordon.sweep("sweep.yaml")             # DataFrame per point (sweep_points.csv)
    cordon.compare(["a.yaml", "b.yaml"], labels=["a", "b"])
    cordon.calibrate("fit.yaml")           # CalibrationResult: posterior, fit DataFrames
    cordon.optimize("demo.yaml", sites="cordon:village", budget=5)

Every call runs the same engine as the `cordon` command, on its threads, without the GIL;
it takes progress=callable(done, total) and stops on Ctrl-C (KeyboardInterrupt). Bad input
raises cordon.InputError (a ValueError) with the CLI's one-line message.
"""

import json
import os
import shutil
import tempfile

from ._cordon import InputError
from . import _cordon

__all__ = ["InputError", "Scenario", "Model", "Result", "CalibrationResult", "run", "sweep",
           "compare", "calibrate", "optimize", "__version__"]
__version__ = _cordon.version()


def _pandas():
    import pandas  # imported when a table is read, so `import cordon` stays light
    return pandas


def _overrides(set_):
    """{key: value} or ["key=value", ...] -> ["key=value", ...] (values as YAML text)."""
    if set_ is None:
        return []
    if isinstance(set_, dict):
        return ["%s=%s" % (k, _yaml_text(v)) for k, v in set_.items()]
    return [str(s) for s in set_]


def _yaml_text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value)  # JSON is YAML flow style
    return str(value)


def _threads(threads):
    return 0 if threads is None else int(threads)


class Scenario:
    """A scenario file and the `--set` overrides applied to it (checked as they are set)."""

    def __init__(self, path, overrides=()):
        self.path = os.fspath(path)
        self.overrides = list(overrides)
        _cordon.check_scenario(self.path, self.overrides)

    @classmethod
    def load(cls, path):
        """Reads and checks `path`; raises InputError naming file, line and key."""
        return cls(path)

    def set(self, key, value):
        """A copy with `key` (the CLI's key path: disease.r0, policies[0].beds) set."""
        return Scenario(self.path, self.overrides + ["%s=%s" % (key, _yaml_text(value))])

    def to_yaml(self, folder=None):
        """The scenario's YAML with the overrides applied; relative paths rewritten for a
        file in `folder` (default: beside the original)."""
        folder = os.fspath(folder) if folder else os.path.dirname(os.path.abspath(self.path))
        return _cordon.scenario_text(self.path, self.overrides, folder)

    def __repr__(self):
        return "Scenario(%r, overrides=%r)" % (self.path, self.overrides)


class Model:
    """A model's declaration: compartments, parameters and flows (docs/models.md)."""

    def __init__(self, info):
        self.name = info["name"]
        self.label = info["label"]
        self.file = info["file"]
        self.compartments = info["compartments"]
        self.parameters = info["parameters"]
        self.flows = info["flows"]
        self.reinfection = info["reinfection"]

    @classmethod
    def load(cls, name_or_path):
        """A bundled model by name (cordon, seir, li2020, ...) or a model file."""
        return cls(_cordon.model_info(os.fspath(name_or_path), os.path.join(os.getcwd(), "_")))

    def __repr__(self):
        return "Model(%r: %s)" % (self.name, ", ".join(c["name"] for c in self.compartments))


def _read_csv(path, dates=False):
    pandas = _pandas()
    frame = pandas.read_csv(path, float_precision="round_trip", keep_default_na=False,
                            na_values=[""])
    if dates and "date" in frame.columns:
        frame["date"] = pandas.to_datetime(frame["date"])
    return frame


class Result:
    """What a run wrote, as tables. The files stay in `folder` until the Result goes (or,
    for a folder of yours, for good); the daily values stay in memory (`daily`)."""

    def __init__(self, folder, temporary, report=None):
        self.folder = folder
        self._temporary = temporary
        self._daily = None
        self._start_date = ""
        # The daily file `cordon run` writes here (daily.nc, daily.csv; "" for none).
        self._daily_file = (report or {}).get("daily_file", "")
        if report is not None and "daily" in report:
            self._hold_daily(report)
        with open(os.path.join(folder, "summary.json")) as fh:
            self.summary = json.load(fh)
        self.series = _read_csv(os.path.join(folder, "series.csv"), dates=True)
        self.villages = _read_csv(os.path.join(folder, "villages.csv"))
        self.checkpoints = _read_csv(os.path.join(folder, "checkpoints.csv"))

    @classmethod
    def open(cls, folder):
        """A finished run's folder (`cordon run --out DIR`) as a Result; its daily values are
        read from daily.nc (or daily.csv) when first asked for."""
        return cls(os.fspath(folder), False)

    @property
    def runs(self):
        """Ensembles: one DataFrame per run (runs/run_NNNN.csv); [] for one run."""
        folder = os.path.join(self.folder, "runs")
        if not os.path.isdir(folder):
            return []
        return [_read_csv(os.path.join(folder, f), dates=True) for f in sorted(os.listdir(folder))]

    @property
    def daily_columns(self):
        """The names of daily's last axis: the model's states (persons), then its per-village
        flows (persons per day)."""
        self._load_daily()
        return self._daily[1]

    @property
    def village_ids(self):
        """The names of daily's middle axis, in the network's order."""
        self._load_daily()
        return self._daily[2]

    @property
    def daily(self):
        """Every village's columns every day: a read-only numpy array days x villages x
        columns (day 0 the initial state, row d the states at t = d and the flows during
        (d - 1, d]). From cordon.run it is a view of the engine's own buffer, no copy."""
        self._load_daily()
        return self._daily[0]

    def daily_dataset(self):
        """The daily values as an xarray Dataset: one variable per column, dims (day,
        village), coordinates day, village (ids) and, with a start_date, date. Its variables
        are views of `daily` (no copy)."""
        import xarray
        values, columns, ids = self.daily, self.daily_columns, self.village_ids
        coords = {"day": range(values.shape[0]), "village": ids}
        if self._start_date:
            pandas = _pandas()
            coords["date"] = ("day", pandas.date_range(self._start_date, periods=values.shape[0]))
        return xarray.Dataset({c: (("day", "village"), values[:, :, k])
                               for k, c in enumerate(columns)}, coords=coords)

    def _hold_daily(self, values):
        values["daily"].flags.writeable = False  # a view of the run's values: keep them
        self._daily = (values["daily"], list(values["daily_columns"]),
                       list(values["village_ids"]))
        self._start_date = values["start_date"]

    def _load_daily(self):
        if self._daily is not None:
            return
        import numpy
        netcdf = os.path.join(self.folder, "daily.nc")
        if os.path.exists(netcdf):
            self._hold_daily(_cordon.read_daily(netcdf))
            return
        path = os.path.join(self.folder, "daily.csv")
        if not os.path.exists(path):
            raise InputError(os.path.join(self.folder, "daily.nc") + ": no daily values (a GIS "
                             "run keeps them in results.gpkg; daily=False leaves them out)")
        frame = _read_csv(path)
        columns = [c for c in frame.columns if c not in ("day", "id", "date")]
        ids = list(dict.fromkeys(frame["id"].astype(str)))
        days = int(frame["day"].max()) + 1
        values = frame[columns].to_numpy(dtype=numpy.float64)
        self._daily = (values.reshape(days, len(ids), len(columns)), columns, ids)

    def save(self, folder):
        """Writes what `cordon run` writes into `folder` (created if missing): the files,
        and daily.nc (or daily.csv) from the values in memory (a run with daily values)."""
        folder = os.fspath(folder)
        shutil.copytree(self.folder, folder, dirs_exist_ok=True)
        self._write_daily(folder)

    def _write_daily(self, folder):
        name = self._daily_file
        if name and self._daily is not None and not os.path.exists(os.path.join(self.folder, name)):
            _cordon.write_daily(os.path.join(folder, name), self._daily[0])

    def __del__(self):
        if getattr(self, "_temporary", False):
            shutil.rmtree(self.folder, ignore_errors=True)


def _scenario_call(scenario, set_):
    """(path, overrides) of a path or a Scenario plus `set`."""
    if isinstance(scenario, Scenario):
        return scenario.path, scenario.overrides + _overrides(set_)
    return os.fspath(scenario), _overrides(set_)


def _folder(out, prefix):
    """`out` (created), or a temporary folder removed with the result."""
    if out is not None:
        os.makedirs(os.fspath(out), exist_ok=True)
        return os.fspath(out), False
    return tempfile.mkdtemp(prefix=prefix), True


def run(scenario, set=None, threads=None, daily=True, out=None, progress=None):
    """Runs a scenario (a path or a Scenario) as `cordon run` does and returns its Result.
    `set`: {key: value} overrides; `daily`: keep every village's daily values (in memory,
    Result.daily); `out`: a folder to keep the files in (daily.nc included)."""
    path, overrides = _scenario_call(scenario, set)
    if not daily:
        overrides = overrides + ["simulation.daily=false"]
    folder, temporary = _folder(out, "cordon_run_")
    try:
        # The daily values stay in memory (Result.daily, full precision); a folder of yours
        # also gets daily.nc as the CLI writes it (save() writes it from memory).
        report = _cordon.run(path, overrides, _threads(threads), folder, bool(daily),
                             not temporary, progress)
        return Result(folder, temporary, report)
    except BaseException:
        if temporary:
            shutil.rmtree(folder, ignore_errors=True)
        raise


def sweep(sweep_file, out=None, threads=None, resume=False, progress=None, rows=False):
    """Runs a sweep file (docs/batch.md); returns sweep_points.csv (or, rows=True, sweep.csv)."""
    folder, temporary = _folder(out, "cordon_sweep_")
    try:
        _cordon.sweep(os.fspath(sweep_file), folder, _threads(threads), resume, progress)
        return _read_csv(os.path.join(folder, "sweep.csv" if rows else "sweep_points.csv"))
    finally:
        if temporary:
            shutil.rmtree(folder, ignore_errors=True)


def compare(scenarios, labels=None, set=None, villages=(), out=None, threads=None,
            progress=None):
    """Runs scenarios side by side (docs/batch.md); returns compare.csv, a row per metric."""
    folder, temporary = _folder(out, "cordon_compare_")
    try:
        paths = [os.fspath(s.path if isinstance(s, Scenario) else s) for s in scenarios]
        _cordon.compare(paths, folder, list(labels or []), _overrides(set), list(villages),
                        _threads(threads), progress)
        return _read_csv(os.path.join(folder, "compare.csv"))
    finally:
        if temporary:
            shutil.rmtree(folder, ignore_errors=True)


class CalibrationResult:
    """posterior (parameter, mean, median, q025, q975, interval, note), fit (day, date, flow,
    id, observed, mean, q025, q975), trace and summary of `cordon calibrate`."""

    def __init__(self, folder):
        self.posterior = _read_csv(os.path.join(folder, "posterior.csv"))
        self.fit = _read_csv(os.path.join(folder, "fit.csv"), dates=True)
        self.trace = _read_csv(os.path.join(folder, "trace.csv"))
        with open(os.path.join(folder, "summary.json")) as fh:
            self.summary = json.load(fh)


def calibrate(calibration_file, out=None, threads=None, seed=1, progress=None):
    """Fits a scenario to reported data (docs/calibration.md); a CalibrationResult."""
    folder, temporary = _folder(out, "cordon_calibrate_")
    try:
        _cordon.calibrate(os.fspath(calibration_file), folder, _threads(threads), int(seed),
                          progress)
        return CalibrationResult(folder)
    finally:
        if temporary:
            shutil.rmtree(folder, ignore_errors=True)


def optimize(scenario, sites, budget=5, objective="attack_rate", protect=(), runs=20,
             shortlist=40, set=None, out=None, threads=None, progress=None):
    """Chooses checkpoint sites (docs/batch.md); returns placements.csv."""
    path, overrides = _scenario_call(scenario, set)
    folder, temporary = _folder(out, "cordon_optimize_")
    try:
        _cordon.optimize(path, overrides, sites, int(budget), objective, list(protect),
                         int(runs), int(shortlist), _threads(threads), folder, progress)
        return _read_csv(os.path.join(folder, "placements.csv"))
    finally:
        if temporary:
            shutil.rmtree(folder, ignore_errors=True)
