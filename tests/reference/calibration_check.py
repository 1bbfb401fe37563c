#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Simulation-based calibration (SBC) check of `cordon calibrate`.

    calibration_check.py --cordon build/apps/cordon --out /tmp/sbc \
        [--case sbc|recovery|detections|ridge|seirs] [--truths 20] [--methods mle,if-eakf] [--seed 1] \
        [--ensemble 200] [--iterations 8] [--starts 4] [--threads 1] [--timeout 900]

The data never come from cordon: tests/reference/reference_model.py (the
independent numpy implementation of the default model) makes them.

The case: 6 villages of 20,000-50,000 people with commuting trips between
them (network only), the default cordon model reduced to SEIR (no
checkpoints, imports or policies; febrile_fraction 0 and detect_rate 0, so
nobody is detected), 20 exposed seeded in V1 on day 0, 60 days, dt 0.25,
deterministic. The observation of day d is the region's new infections on
that day, during (d - 1, d] (docs/model.md, "Days and dates"): the
reference's integrated cumulative incidence at t = d minus at t = d - 1,
plus Poisson noise (a fixed seed per truth).

Cases
    sbc       (default) --truths parameter sets drawn uniformly from the prior
              disease.r0 in [1.5, 3.5], disease.infectious_days in [2, 6];
              observations of days 1..50; each truth calibrated with every
              method. Reports, per method and parameter, how often the 95%
              interval holds the truth, the mean |median - truth| / truth and
              the median wall time of a call.
    recovery  disease.r0 only (prior [1.5, 4]); truth 2.9, the base scenario's
              r0 2.2; days 1..50. Is the truth inside the interval, the median
              within 10%?
    detections  as recovery, but observing the detected cases (the default
              model's detection: febrile fraction 0.7, 0.2 a day), not infections.
    ridge     r0 [1.5, 4] and infectious_days [2, 8], truth 2.5 and 4.5, only
              the early growth observed (days 1..25), where the data hardly
              separate the two. Do the intervals hold the truth?
    seirs     a researcher's own model (tests/batch/models/seirs-vd.yaml: SEIRS
              with vaccination, waning immunity and deaths) in one village of
              200,000, 20 exposed on day 0, daily deaths of days 1..100 made by
              this script's own RK4 of the model file's equations; r0 [1.5, 4]
              and ifr [0.001, 0.05], truth 2.5 and 0.01, base 2.0 and 0.02.

Outputs under --out: the network (villages.csv, od.csv; seirs-village.csv,
seirs-od.csv), CASE/base.yaml
(the scenario cordon calibrates: r0 2.2, infectious_days 3.47), one folder
CASE/truth-NNN per truth (truth.yaml, obs.csv, calibrate-METHOD.yaml and
cordon's output folder METHOD/), CASE.csv (a row per call and parameter)
and CASE.md (the tables, also printed). A failed call is recorded with its
exit code, not fatal. Exit 0 when it ran (it reports; with --check it also
judges: exit 1 when a call failed, an interval missed its truth or a median
is outside the case's tolerance: 10% for recovery and detections, 5% for
seirs's r0 and 15% for its ifr; sbc: coverage >= 85% and r0's mean error
< 5%), 2 on bad arguments. Methods: mle {starts: 4}; if-eakf {ensemble: 200,
iterations: 8} (cordon's update: batch), --inflation/--cooling passed on.
Each call takes about a second on 2 cores (sbc with 20 truths: ~30 s).
Needs numpy and yaml: without numpy it re-runs itself with /usr/bin/python3.
"""

import argparse
import csv
import importlib.util
import math
import os
import subprocess
import sys
import time

try:
    import numpy as np
except ImportError:  # Debian's python3-numpy lives under /usr/bin/python3
    if os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3") \
            and os.access("/usr/bin/python3", os.X_OK):
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    sys.exit("calibration_check.py: needs numpy and yaml (python3-numpy, python3-yaml)")

HERE = os.path.dirname(os.path.abspath(__file__))

# Six villages, a commuting ring with a shortcut; trips per resident per day.
VILLAGES = (("V1", 42000), ("V2", 27000), ("V3", 35000),
            ("V4", 20000), ("V5", 50000), ("V6", 31000))
TRIPS = (("V1", "V2", 0.06), ("V2", "V1", 0.05), ("V2", "V3", 0.04), ("V3", "V2", 0.05),
         ("V3", "V4", 0.03), ("V4", "V3", 0.06), ("V4", "V5", 0.05), ("V5", "V4", 0.02),
         ("V5", "V6", 0.04), ("V6", "V5", 0.05), ("V6", "V1", 0.03), ("V1", "V6", 0.03),
         ("V1", "V4", 0.01), ("V4", "V1", 0.02))
SIM_DAYS = 60
DT = 0.25
SEED_VILLAGE = "V1"
SEED_EXPOSED = 20
LATENT_DAYS = 3.69
BASE = {"disease.r0": 2.2, "disease.infectious_days": 3.47}
KEYS = ("disease.r0", "disease.infectious_days")

# case -> priors {key: (low, high)}, last observed day, fixed truth (None: drawn)
CASES = {
    "sbc": dict(priors={"disease.r0": (1.5, 3.5), "disease.infectious_days": (2.0, 6.0)},
                last_day=50, truth=None),
    "recovery": dict(priors={"disease.r0": (1.5, 4.0)}, last_day=50,
                     truth={"disease.r0": 2.9, "disease.infectious_days": BASE["disease.infectious_days"]}),
    "ridge": dict(priors={"disease.r0": (1.5, 4.0), "disease.infectious_days": (2.0, 8.0)},
                  last_day=25, truth={"disease.r0": 2.5, "disease.infectious_days": 4.5}),
    "detections": dict(priors={"disease.r0": (1.5, 4.0)}, last_day=50, flow="detections",
                       truth={"disease.r0": 2.9, "disease.infectious_days": BASE["disease.infectious_days"]}),
    "seirs": dict(priors={"disease.r0": (1.5, 4.0), "disease.ifr": (0.001, 0.05)}, last_day=100,
                  flow="deaths", truth={"disease.r0": 2.5, "disease.ifr": 0.01}),
}
# The seirs case: a researcher's own model (tests/batch/models/seirs-vd.yaml) in one village.
SEIRS_MODEL = os.path.join(HERE, "..", "batch", "models", "seirs-vd.yaml")
SEIRS_POPULATION = 200000
SEIRS_DEFAULTS = {"latent_days": 3.0, "infectious_days": 5.0, "immunity_days": 60.0,
                  "vaccination_rate": 0.002}
SEIRS_BASE = {"disease.r0": 2.0, "disease.ifr": 0.02}
SEIRS_DAYS = 100
METHODS = ("mle", "if-eakf")


def LoadReference():
    """tests/reference/reference_model.py as a module (imported by path)."""
    spec = importlib.util.spec_from_file_location("reference_model",
                                                  os.path.join(HERE, "reference_model.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# ---------------------------------------------------------------- the case files
def WriteNetwork(out):
    """villages.csv and od.csv in out."""
    with open(os.path.join(out, "villages.csv"), "w") as fh:
        fh.write("id,population\n")
        for vid, pop in VILLAGES:
            fh.write("%s,%d\n" % (vid, pop))
    with open(os.path.join(out, "od.csv"), "w") as fh:
        fh.write("origin,destination,trips_per_person_per_day\n")
        for o, d, r in TRIPS:
            fh.write("%s,%s,%r\n" % (o, d, r))


def ScenarioText(case, values, network):
    """The scenario of a case. sbc/recovery/ridge: a network-only scenario of the
    default model reduced to SEIR (nobody detected); detections: the same with the
    model's default detection (febrile fraction 0.7, detection rate 0.2 a day);
    seirs: SeirsScenarioText. values: {key: value}; network: folder of the CSVs
    (relative to the scenario)."""
    if case == "seirs":
        return SeirsScenarioText(values, network)
    nobody_detected = "" if case == "detections" else "  febrile_fraction: 0\n  detect_rate: 0\n"
    return """name: calibration-check
region:
  villages: {{csv: {net}/villages.csv}}
mobility:
  model: od
  od: {{csv: {net}/od.csv}}
disease:
  r0: {r0!r}
  infectious_days: {D!r}
  latent_days: {L!r}
{nobody}seed_infections:
  - {{village: {sv}, exposed: {se}}}
simulation: {{days: {days}, dt: {dt}, mode: deterministic}}
""".format(net=network, r0=float(values["disease.r0"]), D=float(values["disease.infectious_days"]),
           L=LATENT_DAYS, nobody=nobody_detected, sv=SEED_VILLAGE, se=SEED_EXPOSED, days=SIM_DAYS,
           dt=DT)


def SeirsScenarioText(values, network):
    """One village of SEIRS_POPULATION under the researcher's SEIRS model
    (seirs-vd.yaml: vaccination, deaths, waning immunity), 20 exposed on day 0."""
    return """name: calibration-check-seirs
model: {model}
region:
  villages: {{csv: {net}/seirs-village.csv}}
mobility:
  model: od
  od: {{csv: {net}/seirs-od.csv}}
disease:
  r0: {r0!r}
  ifr: {ifr!r}
seed_infections:
  - {{village: S1, E: {se}}}
simulation: {{days: {days}, dt: {dt}, mode: deterministic}}
""".format(model=os.path.abspath(SEIRS_MODEL), net=network, r0=float(values["disease.r0"]),
           ifr=float(values["disease.ifr"]), se=SEED_EXPOSED, days=SEIRS_DAYS, dt=DT)


def SeirsDailyDeaths(values):
    """Deaths of days 1 .. SEIRS_DAYS in the SEIRS village, by classic RK4 (dt DT)
    of the equations as the model file states them: lambda = (r0 / infectious_days)
    I / (S + E + I + R + V); S -> E lambda S, E -> I S E / latent, I -> R (1 - ifr) I / D,
    I -> D ifr I / D, R -> S R / immunity, S -> V rate S; deaths integrated as a state."""
    r0, ifr = float(values["disease.r0"]), float(values["disease.ifr"])
    lat, dur = SEIRS_DEFAULTS["latent_days"], SEIRS_DEFAULTS["infectious_days"]
    imm, vac = SEIRS_DEFAULTS["immunity_days"], SEIRS_DEFAULTS["vaccination_rate"]

    def rhs(y):
        S, E, I, R, V, D = y
        lam = r0 / dur * I / (S + E + I + R + V)
        inf, onset = lam * S, E / lat
        rec, die = (1.0 - ifr) * I / dur, ifr * I / dur
        wane, vacc = R / imm, vac * S
        return np.array([-inf + wane - vacc, inf - onset, onset - rec - die, rec - wane, vacc, die])

    y = np.array([SEIRS_POPULATION - SEED_EXPOSED, SEED_EXPOSED, 0.0, 0.0, 0.0, 0.0])
    n = int(round(1.0 / DT))
    deaths = [0.0]
    for _ in range(SEIRS_DAYS):
        for _ in range(n):
            k1 = rhs(y)
            k2 = rhs(y + 0.5 * DT * k1)
            k3 = rhs(y + 0.5 * DT * k2)
            k4 = rhs(y + DT * k3)
            y = y + DT / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
        deaths.append(y[5])
    return np.diff(np.asarray(deaths))


def WriteText(path, text):
    with open(path, "w") as fh:
        fh.write(text)
    return path


def MethodYaml(method, args):
    """The calibration file's method: line."""
    if method == "mle":
        return "{name: mle, starts: %d}" % args.starts
    extra = ""
    if args.update != "batch":
        extra += ", update: %s" % args.update
    if args.inflation is not None:
        extra += ", inflation: %r" % args.inflation
    if args.cooling is not None:
        extra += ", cooling: %r" % args.cooling
    return "{name: if-eakf, ensemble: %d, iterations: %d%s}" % (args.ensemble, args.iterations, extra)


def CalibrationText(priors, method_line, flow):
    lines = ["scenario: ../base.yaml",
             "observations:",
             "  - {csv: obs.csv, flow: %s, error: poisson}" % flow,
             "parameters:"]
    for key, (low, high) in priors.items():
        lines.append("  - {key: %s, low: %r, high: %r}" % (key, low, high))
    lines.append("method: " + method_line)
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- the reference data
def DailyIncidence(ref, scenario, detections=False):
    """Region new infections (or detections) of days 1 .. days (entry k: during
    (k, k + 1]), from the reference's integrated cumulative counters read at each
    whole day."""
    model, meta = ref.LoadScenario(scenario)
    dt = meta["dt"]
    n = ref.StepsPerDay(dt)
    Y, _ = model.InitialState(meta["seeds"])
    C = ref.Counters(model)
    def Total():
        return C.region[ref.RC_DET] if detections else C.inc.sum()
    cum = [Total()]
    step = 0
    for _ in range(meta["days"]):
        for _ in range(n):
            Y = ref.Rk4Step(model, step * dt, Y, C, dt)
            step += 1
        cum.append(Total())
    return np.diff(np.asarray(cum))


def CheckAgainstRun(ref, scenario, daily):
    """The same numbers from reference_model.Run (its row d holds (d - 1, d]):
    the max absolute difference, printed when not ~0."""
    model, meta = ref.LoadScenario(scenario)
    res = ref.Run(model, meta["days"], meta["dt"], meta["seeds"])
    col = ref.SERIES_COLUMNS.index("incidence")
    diff = float(np.max(np.abs(res["series"][1:, col] - daily)))
    if diff > 1e-6 * max(1.0, float(daily.max())):
        print("warning: reference Run's incidence rows differ from the integrated "
              "counter by %g" % diff, file=sys.stderr)
    return diff


def WriteObservations(path, daily, last_day, seed):
    """obs.csv: day,id,value (id all), days 1..last_day, Poisson around daily
    (daily[d - 1] is day d)."""
    rng = np.random.default_rng(seed)
    values = rng.poisson(np.maximum(daily[:last_day], 0.0))
    with open(path, "w") as fh:
        fh.write("day,id,value\n")
        for d, v in enumerate(values, start=1):
            fh.write("%d,all,%d\n" % (d, v))
    return values


# ---------------------------------------------------------------- cordon
def ReadPosterior(path):
    """posterior.csv -> {parameter: {mean, median, q025, q975}} (empty cells NaN)."""
    out = {}
    with open(path, newline="") as fh:
        for row in csv.DictReader(fh):
            out[row["parameter"]] = {k: float(row[k]) if row.get(k) not in (None, "") else math.nan
                                     for k in ("mean", "median", "q025", "q975")}
    return out


def Calibrate(cordon, calib, outdir, seed, threads, timeout):
    """Run cordon calibrate; returns (exit code, seconds, posterior or None, message)."""
    cmd = [cordon, "calibrate", calib, "--out", outdir, "-q", "--seed", str(seed),
           "--threads", str(threads)]
    t0 = time.monotonic()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        code, msg = proc.returncode, (proc.stderr.strip().splitlines() or [""])[-1]
    except subprocess.TimeoutExpired:
        code, msg = 124, "timed out after %g s" % timeout
    seconds = time.monotonic() - t0
    post = None
    if code == 0:
        try:
            post = ReadPosterior(os.path.join(outdir, "posterior.csv"))
        except (OSError, KeyError, ValueError) as exc:
            code, msg = -1, "posterior.csv: %s" % exc
    return code, seconds, post, msg


def Rows(case, method, index, truth, priors, code, seconds, post, msg):
    """One record per calibrated parameter."""
    rows = []
    for key in priors:
        est = (post or {}).get(key, {})
        med = est.get("median", math.nan)
        lo, hi = est.get("q025", math.nan), est.get("q975", math.nan)
        has_interval = not (math.isnan(lo) or math.isnan(hi))
        rows.append(dict(case=case, method=method, truth_index=index, parameter=key,
                         truth=truth[key], mean=est.get("mean", math.nan), median=med,
                         q025=lo, q975=hi,
                         covered=int(has_interval and lo <= truth[key] <= hi),
                         has_interval=int(has_interval),
                         rel_error=abs(med - truth[key]) / truth[key],
                         seconds=seconds, exit_code=code,
                         message="" if code == 0 else msg))
    return rows


# ---------------------------------------------------------------- one truth
def RunTruth(ref, args, case, index, truth, priors, last_day, base_dir):
    """Reference data for one truth, then cordon calibrate with every method."""
    tdir = os.path.join(base_dir, "truth-%03d" % index)
    os.makedirs(tdir, exist_ok=True)
    scenario = WriteText(os.path.join(tdir, "truth.yaml"), ScenarioText(case, truth, "../.."))
    if case == "seirs":
        daily = SeirsDailyDeaths(truth)
    else:
        daily = DailyIncidence(ref, scenario, detections=case == "detections")
        if index == 0 and case != "detections":
            CheckAgainstRun(ref, scenario, daily)
    WriteObservations(os.path.join(tdir, "obs.csv"), daily, last_day,
                      seed=[args.seed, index, 7])
    rows = []
    for m, method in enumerate(args.methods):
        calib = WriteText(os.path.join(tdir, "calibrate-%s.yaml" % method),
                          CalibrationText(priors, MethodYaml(method, args),
                                          CASES[case].get("flow", "incidence")))
        code, seconds, post, msg = Calibrate(args.cordon, calib, os.path.join(tdir, method),
                                             args.seed * 1000 + index, args.threads, args.timeout)
        got = Rows(case, method, index, truth, priors, code, seconds, post, msg)
        rows += got
        print("truth %3d %-8s exit %d %6.1f s  %s" % (
            index, method, code, seconds,
            "  ".join("%s %.3g [%.3g, %.3g] (truth %.3g)" % (
                r["parameter"].split(".")[-1], r["median"], r["q025"], r["q975"], r["truth"])
                for r in got) if code == 0 else "FAILED: " + msg), flush=True)
    return rows


def Truths(case, n, seed):
    """The case's truths: drawn from the uniform prior (sbc) or its fixed one."""
    spec = CASES[case]
    if spec["truth"] is not None:
        return [dict(spec["truth"])]
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        t = dict(BASE)
        for key, (low, high) in spec["priors"].items():
            t[key] = float(rng.uniform(low, high))
        out.append(t)
    return out


# ---------------------------------------------------------------- reports
def Fmt(x, digits=3):
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else "%.*g" % (digits, x)


def SbcTables(rows, methods, priors):
    """Per method: coverage, mean relative error and wall time."""
    out = []
    for method in methods:
        mine = [r for r in rows if r["method"] == method]
        calls = {r["truth_index"]: (r["seconds"], r["exit_code"]) for r in mine}
        ok = [r for r in mine if r["exit_code"] == 0]
        secs = [s for s, _ in calls.values()]
        failed = sum(1 for _, c in calls.values() if c != 0)
        out.append("### %s: %d calls, %d failed, median %.1f s a call\n" % (
            method, len(calls), failed, float(np.median(secs)) if secs else math.nan))
        out.append("| parameter | covered by 95% interval | coverage | no interval "
                   "| mean abs rel error of median | mean interval width |")
        out.append("|---|---|---|---|---|---|")
        for key in priors:
            sel = [r for r in ok if r["parameter"] == key]
            n = len(sel)
            cov = sum(r["covered"] for r in sel)
            noint = sum(1 - r["has_interval"] for r in sel)
            rel = float(np.mean([r["rel_error"] for r in sel])) if n else math.nan
            widths = [r["q975"] - r["q025"] for r in sel if r["has_interval"]]
            width = float(np.mean(widths)) if widths else math.nan
            out.append("| %s | %d / %d | %s%% | %d | %s | %s |" % (
                key, cov, n, Fmt(100.0 * cov / n if n else math.nan), noint, Fmt(rel), Fmt(width)))
        out.append("")
    return "\n".join(out)


def PointTable(rows):
    """Recovery / ridge: each method's estimate against the truth."""
    out = ["| method | parameter | truth | median | q025 | q975 | truth inside | within 10% "
           "| seconds | exit |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        ok = r["exit_code"] == 0
        out.append("| %s | %s | %s | %s | %s | %s | %s | %s | %.1f | %d |" % (
            r["method"], r["parameter"], Fmt(r["truth"], 4), Fmt(r["median"], 4),
            Fmt(r["q025"], 4), Fmt(r["q975"], 4),
            ("yes" if r["covered"] else ("no interval" if not r["has_interval"] else "no")) if ok else "-",
            ("yes" if r["rel_error"] <= 0.1 else "no") if ok else "-",
            r["seconds"], r["exit_code"]))
    return "\n".join(out) + "\n"


def WriteCsv(path, rows):
    cols = ("case", "method", "truth_index", "parameter", "truth", "mean", "median", "q025",
            "q975", "covered", "has_interval", "rel_error", "seconds", "exit_code", "message")
    with open(path, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: (repr(v) if isinstance(v, float) else v) for k, v in r.items()})


# Per case: the largest relative error of a median that --check accepts (None: any).
TOLERANCE = {"recovery": {"disease.r0": 0.10}, "detections": {"disease.r0": 0.10},
             "seirs": {"disease.r0": 0.05, "disease.ifr": 0.15}, "ridge": {}}


def Judge(case, rows, methods):
    """--check: what fails the acceptance of the case (empty: it passes)."""
    out = []
    for r in rows:
        if r["exit_code"] != 0:
            out.append("%s %s: exit %d: %s" % (r["method"], r["parameter"], r["exit_code"],
                                                r["message"]))
    if case == "sbc":
        for method in methods:
            for key in CASES[case]["priors"]:
                sel = [r for r in rows if r["method"] == method and r["parameter"] == key
                       and r["exit_code"] == 0]
                if not sel:
                    continue
                coverage = sum(r["covered"] for r in sel) / len(sel)
                if coverage < 0.85:
                    out.append("%s %s: coverage %.0f%% < 85%%" % (method, key, 100 * coverage))
                error = float(np.mean([r["rel_error"] for r in sel]))
                if key == "disease.r0" and error >= 0.05:
                    out.append("%s %s: mean error %.1f%% >= 5%%" % (method, key, 100 * error))
        return out
    for r in rows:
        if r["exit_code"] != 0:
            continue
        if not r["covered"]:
            out.append("%s %s: truth %g outside [%g, %g]" % (r["method"], r["parameter"],
                                                             r["truth"], r["q025"], r["q975"]))
        tol = TOLERANCE.get(case, {}).get(r["parameter"])
        if tol is not None and r["rel_error"] > tol:
            out.append("%s %s: median %g is %.1f%% from the truth %g (> %g%%)" % (
                r["method"], r["parameter"], r["median"], 100 * r["rel_error"], r["truth"],
                100 * tol))
    return out


# ---------------------------------------------------------------- main
def ParseArgs(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cordon", required=True, help="the cordon binary")
    ap.add_argument("--out", required=True, help="work and output folder")
    ap.add_argument("--case", choices=sorted(CASES), default="sbc")
    ap.add_argument("--truths", type=int, default=20, help="sbc: parameter sets drawn")
    ap.add_argument("--methods", default="mle,if-eakf", help="comma list of mle, if-eakf")
    ap.add_argument("--seed", type=int, default=1, help="truths, noise and cordon --seed")
    ap.add_argument("--ensemble", type=int, default=200, help="if-eakf members")
    ap.add_argument("--iterations", type=int, default=8, help="if-eakf passes")
    ap.add_argument("--update", choices=["batch", "daily"], default="batch",
                    help="if-eakf's update (daily: Li et al.'s filter)")
    ap.add_argument("--inflation", type=float, default=None, help="if-eakf (cordon's default if absent)")
    ap.add_argument("--cooling", type=float, default=None, help="if-eakf (cordon's default if absent)")
    ap.add_argument("--starts", type=int, default=4, help="mle starts")
    ap.add_argument("--threads", type=int, default=1, help="cordon calibrate --threads")
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds per calibrate call")
    ap.add_argument("--check", action="store_true",
                    help="judge: exit 1 unless every call succeeded, every interval holds its "
                         "truth and every median is within the case's tolerance (sbc: coverage "
                         ">= 85%% and r0's mean error < 5%%)")
    args = ap.parse_args(argv)
    args.methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    bad = [m for m in args.methods if m not in METHODS]
    if not args.methods or bad:
        ap.error("--methods: expected a comma list of %s, got %r" % (", ".join(METHODS), bad))
    if args.truths < 1 or args.ensemble < 2 or args.iterations < 1 or args.starts < 1 \
            or args.threads < 0 or args.seed < 0 or args.timeout <= 0:
        ap.error("--truths, --iterations, --starts >= 1, --ensemble >= 2, --threads, --seed >= 0")
    if not (os.path.isfile(args.cordon) and os.access(args.cordon, os.X_OK)):
        ap.error("--cordon: not an executable file: %s" % args.cordon)
    args.cordon = os.path.abspath(args.cordon)
    return args


def main(argv=None):
    args = ParseArgs(argv)
    ref = LoadReference()
    spec = CASES[args.case]
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    WriteNetwork(out)
    case_dir = os.path.join(out, args.case)
    os.makedirs(case_dir, exist_ok=True)
    # truth-NNN/ sit in case_dir; their calibration files name ../base.yaml
    WriteText(os.path.join(out, "seirs-village.csv"), "id,population\nS1,%d\n" % SEIRS_POPULATION)
    WriteText(os.path.join(out, "seirs-od.csv"), "origin,destination,trips_per_person_per_day\n")
    WriteText(os.path.join(case_dir, "base.yaml"),
              ScenarioText(args.case, SEIRS_BASE if args.case == "seirs" else BASE, ".."))

    rows = []
    for index, truth in enumerate(Truths(args.case, args.truths, args.seed)):
        rows += RunTruth(ref, args, args.case, index, truth, spec["priors"], spec["last_day"], case_dir)

    head = ("## cordon calibrate, case %s: %s; days 1..%d observed (Poisson); priors %s; "
            "mle starts %d; if-eakf ensemble %d, iterations %d; --threads %d, seed %d\n\n") % (
        args.case, "%d truths from the prior" % args.truths if spec["truth"] is None else
        "truth " + ", ".join("%s %g" % (k, spec["truth"][k]) for k in spec["priors"]),
        spec["last_day"], ", ".join("%s [%g, %g]" % (k, lo, hi) for k, (lo, hi) in spec["priors"].items()),
        args.starts, args.ensemble, args.iterations, args.threads, args.seed)
    body = SbcTables(rows, args.methods, spec["priors"]) if spec["truth"] is None else PointTable(rows)
    report = head + body
    print()
    print(report)
    WriteCsv(os.path.join(out, "%s.csv" % args.case), rows)
    WriteText(os.path.join(out, "%s.md" % args.case), report)
    if args.check:
        failures = Judge(args.case, rows, args.methods)
        for f in failures:
            print("check failed: " + f, file=sys.stderr)
        return 1 if failures else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
