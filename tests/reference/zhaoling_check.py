#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The Zhaoling held-out check (docs/calibration.md): how many of Zhaoling's
returnees from Wuhan does the calibrated li2020 model say were infected?

    tests/reference/zhaoling_check.py [--cordon build/apps/cordon] [--work out/zhaoling]
                                      [--runs 1000] [--seed 1]

Zhaoling district (Luohe, Henan) screened 1,871 returnees from Wuhan by
31 Jan 2020 and found 3 confirmed and 7 suspected cases (docs/field.md). No number
fitted anywhere in cordon saw that report. The steps:

1. `cordon calibrate data/samples/li2020-calibrate.yaml --seed SEED`: Li et
   al.'s model fitted to the reports of 10-23 Jan (the paper's procedure);
   its states.csv holds Wuhan's filtered S, E, Ir, Iu, N (the ensemble's mean
   of the last pass) at the start of every day. (Also printed: the same from
   the posterior means run again from day 0, `calibrated.yaml`, which lacks
   the infections the filter adds to meet the reports.)
2. In that model travellers leave a city in proportion to its S, E and Iu, so
   a traveller leaving Wuhan on day d is exposed with probability
   E/(N - Ir) and infectious with Iu/(N - Ir) of that morning.
3. The returnees' travel days: 10-23 Jan (Wuhan closed on 23 Jan), spread
   like Wuhan's outbound travellers in the data (mobility.csv; the data have
   no Wuhan -> Luohe pair).
4. A Zhaoling scenario on the derived Zhaoling villages (`cordon derive
   --county 411104`): 1,871 returnees arrive by those days and shares
   through the district's border gates (temperature screens, no one turned
   back), into 14-day home isolation; nobody else is infected (r0 = 0), so
   every non-S person at the end is an infected returnee. `runs` stochastic
   runs: Poisson arrivals, chain binomial progression.

Prints the expected number infected among the returnees (closed form and the
runs' mean), its 90% interval over the runs, and the confirmed (hospitalized)
by 31 Jan with its interval, beside 3 and 3 + 7 = 10.
"""

import argparse
import csv
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
REAL = os.path.join(ROOT, "..", "shared", "data", "real")
RETURNEES = 1871
TRAVEL_DAYS = 14          # 10-23 Jan 2020: the li2020 run's states at t = 0..13, their starts
REPORT_DAY = 22           # 31 Jan 2020 (day 0 = 9 Jan, as in the li2020 sample)


def run(cmd):
    print("+ " + " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True)


def quantile(values, q):
    """Linear interpolation between order statistics (as series.csv's _q columns)."""
    v = sorted(values)
    h = (len(v) - 1) * q
    lo = int(h)
    return v[lo] + (h - lo) * (v[min(lo + 1, len(v) - 1)] - v[lo])


def wuhan_shares(states_csv):
    """Per day 0..TRAVEL_DAYS-1: (exposed, infectious) shares of Wuhan's travellers, from
    a table of states at time `day` (calibrate's states.csv or run's daily.csv)."""
    rows = {}
    with open(states_csv) as fh:
        for row in csv.DictReader(fh):
            if row["id"] == "Wuhan":
                rows[int(row["day"])] = row
    shares = []
    for d in range(TRAVEL_DAYS):
        r = rows[d]  # the state at the start of day d (day 0: the seeded state)
        movers = float(r["N"]) - float(r["Ir"])
        shares.append((float(r["E"]) / movers, float(r["Iu"]) / movers))
    return shares


def wuhan_outbound():
    """Wuhan's outbound travellers per day 0..TRAVEL_DAYS-1 (mobility.csv)."""
    days = ["2020-01-%02d" % (10 + d) for d in range(TRAVEL_DAYS)]
    total = {day: 0.0 for day in days}
    with open(os.path.join(REAL, "li2020", "mobility.csv")) as fh:
        for row in csv.DictReader(fh):
            if row["origin"] == "Wuhan" and row["date"] in total:
                total[row["date"]] += float(row["travellers"])
    return [total[day] for day in days]


def write_scenario(path, villages, arrivals, shares):
    lines = [
        "# The Zhaoling held-out check, written by tests/reference/zhaoling_check.py:",
        "# Zhaoling's 1,871 returnees from Wuhan arriving on 10-23 Jan 2020 with the",
        "# exposed and infectious shares of Wuhan's travellers in the calibrated li2020",
        "# model. r0 = 0: nobody else is infected, so every non-S person is a returnee.",
        "name: zhaoling-returnees",
        "region:",
        "  villages: {path: %s, layer: villages, id: code, name: name," % villages,
        "             population: population, parent: [county, town]}",
        "mobility: {model: gravity, trips_per_person: 0.3, distance: straight, max_km: 30}",
        "checkpoints:",
        "  - {cordon: county, block: 0, screen: 0.8, isolate: 1}",
        "imports:",
    ]
    for d, (n, (e, i)) in enumerate(zip(arrivals, shares)):
        lines.append("  - {to: all, per_day: %.6f, days: [%d, %d], exposed: %.9g, infectious: %.9g}"
                     % (n, d, d + 1, e, i))
    lines += [
        "disease: {r0: 0, latent_days: 3.69, infectious_days: 3.47, febrile_fraction: 0.7}",
        "policies:",
        "  - {type: returnee_home_isolation, coverage: 1}",
        "simulation: {days: 60, dt: 0.25, mode: stochastic, runs: 1000, seed: 1,",
        "             start_date: 2020-01-09}",  # day 1 = 10 Jan: imports days [d, d+1]
    ]
    with open(path, "w") as fh:
        fh.write("\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cordon", default=os.path.join(ROOT, "build", "apps", "cordon"))
    ap.add_argument("--work", default=os.path.join(ROOT, "out", "zhaoling"))
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1, help="seed of the li2020 calibration")
    args = ap.parse_args()
    if not os.path.isdir(REAL):
        sys.exit("zhaoling_check: needs the open data folder %s" % REAL)
    work = os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)

    fit = os.path.join(work, "li2020-fit")
    if not os.path.exists(os.path.join(fit, "calibrated.yaml")):
        run([args.cordon, "calibrate", os.path.join(ROOT, "data", "samples", "li2020-calibrate.yaml"),
             "--out", fit, "--seed", str(args.seed), "-q"])
    li = os.path.join(work, "li2020-posterior-mean")
    run([args.cordon, "run", os.path.join(fit, "calibrated.yaml"), "--out", li, "-q",
         "--set", "simulation.daily=csv"])
    rerun = wuhan_shares(os.path.join(li, "daily.csv"))
    shares = wuhan_shares(os.path.join(fit, "states.csv"))
    outbound = wuhan_outbound()
    arrivals = [RETURNEES * w / sum(outbound) for w in outbound]
    expected = sum(n * (e + i) for n, (e, i) in zip(arrivals, shares))
    expected_rerun = sum(n * (e + i) for n, (e, i) in zip(arrivals, rerun))

    villages = os.path.join(work, "zhaoling-derived.gpkg")
    if not os.path.exists(villages):
        china = os.path.join(REAL, "china")
        run([args.cordon, "derive", "--county", "411104", "--out", villages, "-q",
             "--counties", os.path.join(china, "luohe_411100_counties_wgs84.geojson"),
             "--units", os.path.join(china, "luohe_411100_units.csv")])
    scenario = os.path.join(work, "zhaoling.yaml")
    write_scenario(scenario, villages, arrivals, shares)
    out = os.path.join(work, "run")
    run([args.cordon, "run", scenario, "--out", out, "-q", "--set",
         "simulation.runs=%d" % args.runs])

    infected, confirmed = [], []
    runs = os.path.join(out, "runs")
    for name in sorted(os.listdir(runs)):
        with open(os.path.join(runs, name)) as fh:
            rows = list(csv.DictReader(fh))
        last = rows[-1]
        infected.append(sum(float(last[c]) for c in
                            ("E", "I", "R", "Eh", "Ih", "Ec", "Ic", "H")))
        # Detected by the end of 31 Jan (row d: day d's detections): the report's confirmed.
        confirmed.append(sum(float(r["detections"]) for r in rows[1:REPORT_DAY + 1]))

    print()
    print("Wuhan's travellers, 10-23 Jan, infected share (E + Iu) / (N - Ir), filtered: %s"
          % " ".join("%.2e" % (e + i) for e, i in shares))
    print("  the posterior means run again from day 0: %s; expected infected %.2f"
          % (" ".join("%.2e" % (e + i) for e, i in rerun), expected_rerun))
    print("returnees per day: %s" % " ".join("%.0f" % n for n in arrivals))
    print("infected among the %d returnees: expected %.2f (closed form), %.2f (mean of %d runs), "
          "90%% interval %g-%g; reported 3 confirmed + 7 suspected"
          % (RETURNEES, expected, sum(infected) / len(infected), len(infected),
             quantile(infected, 0.05), quantile(infected, 0.95)))
    print("detected (confirmed) by the end of 31 Jan: mean %.2f, 90%% interval %g-%g; "
          "reported 3" % (sum(confirmed) / len(confirmed), quantile(confirmed, 0.05),
                          quantile(confirmed, 0.95)))


if __name__ == "__main__":
    main()
