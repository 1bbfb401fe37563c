#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Compare `cordon run` with the independent numpy reference on a generated case.

    compare_with_reference.py --cordon PATH_TO_CORDON --work DIR [--villages 200] [--seed 1]
                              [--tracing] [--tolerance 1e-6]

--tracing adds a contact_tracing policy to the case (docs/model.md "Contact tracing";
its capacity must bind on some day).

Makes the case in DIR/case (make_case.py), runs
`cordon run DIR/case/scenario.yaml --out DIR/cordon` and the reference into
DIR/reference, then compares, with b the reference value and a cordon's:

    |a - b| <= 1e-6 * max(|b|, 1e-3 * scale)

  series.csv       every column, every day; scale = the largest reference value of
                   that column over all days (so small compartments such as Ic are
                   held to 1e-9 of their own peak, not of the region population)
  checkpoints.csv  monitored, turned_back, detected by id; scale = the largest
                   reference value of that column over all checkpoints; level as text
  villages.csv     attack_rate by id, scale = 1 (floor 1e-9); population to 1e-12;
                   peak_day / first_infected_day / infected_ever exactly, except that
                   a day counts as equal when the reference prevalence there ties the
                   reference's choice to 1e-9 relative
  summary.json     (if cordon wrote it) attack_rate, peak_prevalence, peak_H as above;
                   peak_day, days_over_capacity, villages_infected exactly

The worst normalized difference |a-b| / max(|b|, 1e-3 scale) is printed per
file. Exit 0 on agreement, 1 on any mismatch (each offending column/day/id is
printed), 2 on a usage error. To rule out a vacuous pass it also requires that
the beds bind (some day with H >= beds - 1e-6) and that something was turned
back, in both outputs.
"""

import argparse
import csv
import json
import math
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_case  # noqa: E402
import reference_model as rm  # noqa: E402

REL = 1e-6
FLOOR = 1e-3


class Report:
    def __init__(self):
        self.errors = []
        self.worst = {}

    def value(self, file, what, a, b, scale):
        den = max(abs(b), FLOOR * scale)
        err = abs(a - b) / den if den > 0 else abs(a - b)
        if not math.isfinite(a):
            err = math.inf
        if err > self.worst.get(file, (-1.0, ""))[0]:
            self.worst[file] = (err, what)
        if not err <= REL:
            self.errors.append("%s %s: cordon %r reference %r (|diff|/max(|ref|,1e-3*scale) = %.3g)"
                               % (file, what, a, b, err))

    def fail(self, msg):
        self.errors.append(msg)


def read_csv(path, rep):
    if not os.path.exists(path):
        rep.fail("missing output %s" % path)
        return [], []
    with open(path, newline="") as fh:
        rd = csv.DictReader(fh)
        return rd.fieldnames or [], list(rd)


def num(s):
    try:
        return float(s)
    except (TypeError, ValueError):
        return math.nan


def compare_series(cdir, rdir, rep):
    ccols, crows = read_csv(os.path.join(cdir, "series.csv"), rep)
    rcols, rrows = read_csv(os.path.join(rdir, "series.csv"), rep)
    for c in rcols:
        if c not in ccols:
            rep.fail("series.csv: cordon lacks column '%s'" % c)
            return
    if ccols != rcols:
        rep.fail("series.csv: columns %s, expected %s" % (ccols, rcols))
    if len(crows) != len(rrows):
        rep.fail("series.csv: cordon has %d rows, reference %d" % (len(crows), len(rrows)))
        return
    scale = {c: max(abs(num(r[c])) for r in rrows) or 1.0 for c in rcols[1:]}
    for cr, rr in zip(crows, rrows):
        if num(cr["day"]) != num(rr["day"]):
            rep.fail("series.csv: day %s where the reference has day %s" % (cr["day"], rr["day"]))
            return
        for c in rcols[1:]:
            rep.value("series.csv", "column %s day %s" % (c, rr["day"]), num(cr[c]), num(rr[c]), scale[c])


def compare_checkpoints(cdir, rdir, rep):
    _, crows = read_csv(os.path.join(cdir, "checkpoints.csv"), rep)
    _, rrows = read_csv(os.path.join(rdir, "checkpoints.csv"), rep)
    cmap = {r["id"]: r for r in crows}
    if set(cmap) != {r["id"] for r in rrows} or len(cmap) != len(crows):
        rep.fail("checkpoints.csv: ids differ (cordon %d rows, reference %d)" % (len(crows), len(rrows)))
        return
    for col in ("monitored", "turned_back", "detected"):
        scale = max([abs(num(r[col])) for r in rrows] + [0.0]) or 1.0
        for rr in rrows:
            cr = cmap[rr["id"]]
            rep.value("checkpoints.csv", "id %s column %s" % (rr["id"], col), num(cr.get(col)),
                      num(rr[col]), scale)
    for rr in rrows:
        if (cmap[rr["id"]].get("level") or "") != (rr["level"] or ""):
            rep.fail("checkpoints.csv: id %s level %r, expected %r"
                     % (rr["id"], cmap[rr["id"]].get("level"), rr["level"]))


def _int_or_empty(s):
    s = (s or "").strip()
    if s == "":
        return None
    return int(round(float(s)))


def compare_villages(cdir, rdir, res, meta, rep):
    _, crows = read_csv(os.path.join(cdir, "villages.csv"), rep)
    _, rrows = read_csv(os.path.join(rdir, "villages.csv"), rep)
    cmap = {r["id"]: r for r in crows}
    if set(cmap) != {r["id"] for r in rrows} or len(cmap) != len(crows):
        rep.fail("villages.csv: ids differ (cordon %d rows, reference %d)" % (len(crows), len(rrows)))
        return
    prev = res["prevalence"]
    index = {v: i for i, v in enumerate(meta["ids"])}
    for rr in rrows:
        vid = rr["id"]
        cr = cmap[vid]
        rep.value("villages.csv", "id %s attack_rate" % vid, num(cr.get("attack_rate")),
                  num(rr["attack_rate"]), 1.0)
        if abs(num(cr.get("population")) - num(rr["population"])) > 1e-12 * num(rr["population"]):
            rep.fail("villages.csv: id %s population %r, expected %r" % (vid, cr.get("population"),
                                                                        rr["population"]))
        i = index[vid]
        # peak_day: equal, or a day whose reference prevalence ties the maximum to 1e-9
        try:
            cpk = _int_or_empty(cr.get("peak_day"))
            cfi = _int_or_empty(cr.get("first_infected_day"))
            cev = _int_or_empty(cr.get("infected_ever"))
        except ValueError:
            rep.fail("villages.csv: id %s has non-integer peak_day/first_infected_day/infected_ever" % vid)
            continue
        rpk = int(rr["peak_day"])
        if cpk != rpk:
            ok = (cpk is not None and 0 <= cpk < prev.shape[0]
                  and abs(prev[cpk, i] - prev[rpk, i]) <= 1e-9 * max(prev[rpk, i], 1e-9)
                  and not any(prev[d, i] >= prev[rpk, i] * (1 - 1e-9) for d in range(min(cpk, rpk))))
            if not ok:
                rep.fail("villages.csv: id %s peak_day %r, expected %d" % (vid, cpk, rpk))
        rfi = _int_or_empty(rr["first_infected_day"])
        if cfi != rfi:
            near = lambda d: d is not None and 0 <= d < prev.shape[0] and abs(prev[d, i] - 1.0) <= 1e-9
            if not (near(cfi) or near(rfi)):
                rep.fail("villages.csv: id %s first_infected_day %r, expected %r" % (vid, cfi, rfi))
        if cev != int(rr["infected_ever"]) and cfi == rfi:
            rep.fail("villages.csv: id %s infected_ever %r, expected %s" % (vid, cev, rr["infected_ever"]))


def compare_summary(cdir, rdir, rep):
    path = os.path.join(cdir, "summary.json")
    if not os.path.exists(path):
        print("note: cordon wrote no summary.json; not compared")
        return
    with open(path) as fh:
        cs = json.load(fh)
    with open(os.path.join(rdir, "summary.json")) as fh:
        rs = json.load(fh)
    for key, scale in (("attack_rate", 1.0), ("peak_prevalence", rs["peak_prevalence"]),
                       ("peak_H", rs["peak_H"])):
        if key not in cs:
            rep.fail("summary.json: missing '%s'" % key)
        else:
            rep.value("summary.json", key, num(cs[key]), rs[key], scale)
    for key in ("peak_day", "days_over_capacity", "villages_infected"):
        if key not in cs:
            rep.fail("summary.json: missing '%s'" % key)
        elif num(cs[key]) != rs[key]:
            rep.fail("summary.json: %s = %r, expected %r" % (key, cs[key], rs[key]))
    if "beds" in cs and num(cs["beds"]) != rs["beds"]:
        rep.fail("summary.json: beds = %r, expected %r" % (cs["beds"], rs["beds"]))


def not_vacuous(outdir, who, beds, rep):
    _, rows = read_csv(os.path.join(outdir, "series.csv"), rep)
    if not rows:
        return
    maxH = max(num(r["H"]) for r in rows)
    tb = sum(num(r["turned_back"]) for r in rows)
    if not maxH >= beds - 1e-6:
        rep.fail("%s: beds never bind (max H %r < beds %r): the case is vacuous" % (who, maxH, beds))
    if not tb > 0:
        rep.fail("%s: nothing was turned back: the case is vacuous" % who)
    return maxH, tb


def main():
    global REL
    ap = argparse.ArgumentParser(description="compare cordon with the numpy reference")
    ap.add_argument("--cordon", required=True, help="path to the cordon binary")
    ap.add_argument("--work", required=True, help="work directory (created)")
    ap.add_argument("--villages", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--tracing", action="store_true",
                    help="the case with a contact_tracing policy (docs/model.md)")
    ap.add_argument("--tolerance", type=float, default=REL, help="relative tolerance")
    args = ap.parse_args()
    REL = args.tolerance
    if not os.path.exists(args.cordon):
        print("compare_with_reference: no cordon binary at %s" % args.cordon, file=sys.stderr)
        return 2

    work = os.path.abspath(args.work)
    scenario = make_case.MakeCase(os.path.join(work, "case"), args.villages, args.seed,
                                  args.tracing)
    cdir = os.path.join(work, "cordon")
    rdir = os.path.join(work, "reference")
    cmd = [args.cordon, "run", scenario, "--out", cdir]
    print("running:", " ".join(cmd))
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    if proc.returncode != 0:
        print("FAIL: cordon exited %d\n%s%s" % (proc.returncode, proc.stdout[-4000:], proc.stderr[-4000:]))
        return 1
    model, meta, res, _ = rm.RunScenario(scenario, rdir, keep_prevalence=True)

    rep = Report()
    compare_series(cdir, rdir, rep)
    compare_checkpoints(cdir, rdir, rep)
    compare_villages(cdir, rdir, res, meta, rep)
    compare_summary(cdir, rdir, rep)
    for d, who in ((rdir, "reference"), (cdir, "cordon")):
        got = not_vacuous(d, who, make_case.BEDS, rep)
        if got:
            print("%s: max H %.6g (beds %g), total turned back %.6g" % (who, got[0], make_case.BEDS, got[1]))

    if args.tracing:
        # Not vacuous: tracing's capacity binds on some day and it finds infected contacts.
        for d, who in ((rdir, "reference"), (cdir, "cordon")):
            _, rows = read_csv(os.path.join(d, "series.csv"), rep)
            most = max(num(r["traced"]) for r in rows)
            found = sum(num(r["traced_infected"]) for r in rows)
            print("%s: most traced in a day %.6g (capacity %d), infected contacts quarantined %.6g"
                  % (who, most, make_case.TRACING_CAPACITY, found))
            if most < make_case.TRACING_CAPACITY * (1 - 1e-9) or not found > 0:
                rep.fail("%s: tracing's capacity never binds or it finds nobody infected" % who)
    for f in ("series.csv", "checkpoints.csv", "villages.csv", "summary.json"):
        if f in rep.worst:
            err, what = rep.worst[f]
            print("%-16s worst |diff|/max(|ref|,1e-3*scale) = %.3g  (%s)" % (f, err, what))
    if rep.errors:
        print("FAIL: %d mismatch(es) (tolerance %g):" % (len(rep.errors), REL))
        for e in rep.errors[:50]:
            print("  " + e)
        if len(rep.errors) > 50:
            print("  ... %d more" % (len(rep.errors) - 50))
        return 1
    print("OK: cordon agrees with the reference to %g" % REL)
    return 0


if __name__ == "__main__":
    sys.exit(main())
