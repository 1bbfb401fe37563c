#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write a deterministic-seeded network-only test case for the reference comparison.

    make_case.py OUTDIR [--villages 200] [--seed 1]

Writes OUTDIR/scenario.yaml, villages.csv, od.csv, checkpoints.csv, routes.csv,
gates.csv.
The case exercises every switch of docs/model.md: ~8 OD destinations per
village with varied rates, ~30 checkpoints with varied block/screen and
start/end windows (some at RK4 stage times such as 7.5 and 10.125, one that
ends before the run and one that starts after 0), 1-3 ordered checkpoints on
about 60% of the pairs (rows written in shuffled order), essential flows,
two import streams (to: all and to one village), seeds, contact reductions
with windows (one limited to a village subset), returnee home isolation,
central isolation with a binding capacity and hospital beds that bind.
About half the villages get a gate route of 1-2 checkpoints (the same
checkpoints as the OD routes, windowed ones included; the village receiving
the one-village import stream always has one), met by imports and by
external trips whose window ends inside the run and whose outside
prevalence switches at 3, at the stage time 6.5 and at 18.125.
"""

import argparse
import os

import numpy as np

BEDS = 40
CENTRAL_CAPACITY = 25
EXTERNAL_PER_DAY = 0.3
# gate checkpoints with time windows (C03, C07, C12, C17 in the windows below)
WINDOWED_GATES = (2, 6, 11, 16)


TRACING_CAPACITY = 150  # contacts traced per day: binds at the peak


def MakeCase(outdir, villages=200, seed=1, tracing=False):
    """Write the case into outdir; returns the scenario path. `tracing` adds a
    contact_tracing policy (delay in 3 Erlang stages, a window that starts and ends
    at RK4 stage times, a capacity that binds)."""
    rng = np.random.default_rng(seed)
    os.makedirs(outdir, exist_ok=True)
    P = villages
    width = max(3, len(str(P)))
    ids = ["V%0*d" % (width, i + 1) for i in range(P)]
    pop = np.maximum(50, np.round(rng.lognormal(mean=7.2, sigma=0.7, size=P))).astype(int)
    x = rng.uniform(0, 60, P)
    y = rng.uniform(0, 40, P)
    with open(os.path.join(outdir, "villages.csv"), "w") as fh:
        fh.write("id,population,x,y,name\n")
        for i in range(P):
            fh.write("%s,%d,%.3f,%.3f,Village %d\n" % (ids[i], pop[i], x[i], y[i], i + 1))

    # OD: 6-10 destinations, mostly near neighbours, total 0.05..0.9 trips/person/day
    visit_days = 0.33
    pairs = []
    for i in range(P):
        dist = np.hypot(x - x[i], y - y[i])
        dist[i] = np.inf
        near = np.argsort(dist)[:12]
        k = int(rng.integers(6, 11))
        dests = list(rng.choice(near, size=min(k - 2, near.size), replace=False))
        others = [j for j in rng.permutation(P) if j != i and j not in dests][:2]
        dests += others
        total = rng.uniform(0.05, 0.9)
        w = rng.dirichlet(np.full(len(dests), 0.8))
        for j, wj in zip(dests, w):
            pairs.append((i, int(j), total * wj))
    # p_ii > 0 even at full travel with nobody blocked, external trips included
    assert max(sum(r for (a, _, r) in pairs if a == i) + EXTERNAL_PER_DAY
               for i in range(P)) * visit_days < 1
    with open(os.path.join(outdir, "od.csv"), "w") as fh:
        fh.write("origin,destination,trips_per_person_per_day\n")
        for i, j, r in pairs:
            fh.write("%s,%s,%r\n" % (ids[i], ids[j], float(r)))

    # checkpoints: varied block/screen; windows at integer, stage and off-grid times
    K = 30
    levels = ["county", "township", "village", ""]
    blocks = [0.0, 0.2, 0.5, 0.8, 0.95, 1.0]
    windows = {2: ("", "20"), 4: ("7.5", ""), 6: ("10.125", "30.375"), 8: ("12.3", "45.7"),
               11: ("0", "7.5"), 13: ("25", ""), 16: ("3.25", "50.0625"), 19: ("40", "")}
    ck_ids = ["C%02d" % (k + 1) for k in range(K)]
    with open(os.path.join(outdir, "checkpoints.csv"), "w") as fh:
        fh.write("id,level,block,screen,isolate,start,end\n")
        for k in range(K):
            b = blocks[k % len(blocks)] if k % 7 else float(np.round(rng.uniform(0, 1), 3))
            s = float(np.round(rng.uniform(0, 0.9), 3)) if k % 5 else 0.0
            h = float(np.round(rng.uniform(0, 0.5), 3))
            st, en = windows.get(k, ("", ""))
            fh.write("%s,%s,%r,%r,%r,%s,%s\n" % (ck_ids[k], levels[k % 4], b, s, h, st, en))

    # routes: ~60% of pairs get 1-3 distinct checkpoints, orders 10/20/30, rows shuffled
    rows = []
    for i, j, _ in pairs:
        if rng.uniform() < 0.6:
            n = int(rng.integers(1, 4))
            cks = rng.choice(K, size=n, replace=False)
            for m, c in enumerate(cks):
                rows.append((ids[i], ids[j], 10 * (m + 1), ck_ids[c]))
    perm = rng.permutation(len(rows))
    with open(os.path.join(outdir, "routes.csv"), "w") as fh:
        fh.write("origin,destination,order,checkpoint\n")
        for idx in perm:
            fh.write("%s,%s,%d,%s\n" % rows[idx])

    subset = [ids[i] for i in sorted(rng.choice(P, size=P // 4, replace=False))]
    one = ids[16 % P]

    # gates: about half the villages (and the one-village import target) get
    # 1-2 distinct checkpoints, order increasing on the way in; the first few
    # gate villages take a windowed checkpoint so gate switches are exercised.
    # Drawn last so the rest of the case does not change with them.
    gate_rows = []
    n_gated = 0
    for i in range(P):
        if not (rng.uniform() < 0.5 or i == 16 % P):
            continue
        n = int(rng.integers(1, 3))
        cks = list(rng.choice(K, size=n, replace=False))
        if n_gated < len(WINDOWED_GATES) and WINDOWED_GATES[n_gated] not in cks:
            cks[0] = WINDOWED_GATES[n_gated]
        n_gated += 1
        for m, c in enumerate(cks):
            gate_rows.append((ids[i], 10 * (m + 1), ck_ids[c]))
    perm = rng.permutation(len(gate_rows))
    with open(os.path.join(outdir, "gates.csv"), "w") as fh:
        fh.write("village,order,checkpoint\n")
        for idx in perm:
            fh.write("%s,%d,%s\n" % gate_rows[idx])
    yaml_text = """name: reference-case-{seed}
region:
  villages: {{csv: villages.csv}}
mobility:
  model: od
  od: {{csv: od.csv}}
  visit_days: {visit}
checkpoints:
  - {{csv: checkpoints.csv}}
  - {{routes: {{csv: routes.csv}}}}
  - {{gates: {{csv: gates.csv}}}}
external_trips:
  per_day: {ext}
  prevalence: [[3, 0.001], [6.5, 0.004], [18.125, 0.002]]
  start: 1.5
  end: 33.875
imports:
  - {{to: all, per_day: 40, days: [0, 20.5], exposed: 0.02, infectious: 0.01}}
  - {{to: "{one}", per_day: 6, days: [3.5, 10.125], exposed: 0.1, infectious: 0.05}}
disease:
  r0: 2.6
  latent_days: 3.69
  infectious_days: 3.47
  febrile_fraction: 0.7
  detect_rate: 0.2
  detect_rate_isolated: 1.0
  leak_home: 0.3
  leak_central: 0.05
  leak_hospital: 0.02
  isolation_days: 14
  hospital_days: 10
policies:
  - {{type: hospital, beds: {beds}}}
  - {{type: central_isolation, coverage: 0.3, capacity: {cap}}}
  - {{type: returnee_home_isolation, coverage: 0.5, start: 5.5}}
  - {{type: essential_flows, fraction: 0.1, start: 2.5}}
  - {{type: gathering_ban, multiplier: 0.7, start: 12, end: 35.5}}
  - {{type: masks, multiplier: 0.8, start: 20.125, villages: [{subset}]}}
  - {{type: travel_reduction, multiplier: 0.4, start: 8.5}}
  - {{type: travel_reduction, multiplier: 0.5, start: 15.25, end: 40, villages: [{subset}]}}
{tracing}seed_infections:
  - {{village: "{s1}", infectious: 3}}
  - {{village: "{s2}", exposed: 5, infectious: 1}}
simulation: {{days: 60, dt: 0.25, mode: deterministic}}
""".format(seed=seed, visit=visit_days, ext=EXTERNAL_PER_DAY, one=one, beds=BEDS, cap=CENTRAL_CAPACITY,
           subset=", ".join('"%s"' % v for v in subset), s1=ids[0], s2=ids[min(49, P - 1)],
           tracing=("  - {type: contact_tracing, coverage: 0.6, delay_days: 1.5, delay_stages: 3, "
                    "contacts_per_case: 12, lookback_days: 3, capacity: %d, start: 6.5, "
                    "end: 50.125}\n" % TRACING_CAPACITY) if tracing else "")
    path = os.path.join(outdir, "scenario.yaml")
    with open(path, "w") as fh:
        fh.write(yaml_text)
    return path


def main():
    ap = argparse.ArgumentParser(description="write the reference comparison test case")
    ap.add_argument("outdir")
    ap.add_argument("--villages", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--tracing", action="store_true", help="add a contact_tracing policy")
    args = ap.parse_args()
    print(MakeCase(args.outdir, args.villages, args.seed, args.tracing))


if __name__ == "__main__":
    main()
