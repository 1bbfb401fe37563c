#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Write a large network-only county for the end-to-end benchmark (issue 11).

    end_to_end_case.py OUTDIR [--villages 100000] [--seed 1]

Villages on a jittered grid; about 8 OD pairs per village (6 of the 10
nearest grid neighbours, 2 anywhere); 1,000 checkpoints with varied
block/screen/isolate and some windows, 1-3 of them on ~1% of the pairs;
imports to all villages and to one; a gathering ban, returnee home isolation,
central isolation with a capacity, essential flows, hospital beds; 60 days,
RK4 dt 0.25. Writes scenario.yaml, villages.csv, od.csv, checkpoints.csv,
routes.csv. Vectorized numpy: 1e5 villages in a few seconds.
"""

import argparse
import os

import numpy as np

CHECKPOINTS = 1000
ROUTED_SHARE = 0.01


def WriteRows(path, header, columns):
    """Write a CSV of equal-length string/number columns."""
    with open(path, "w") as fh:
        fh.write(header + "\n")
        fh.write("\n".join(",".join(row) for row in zip(*columns)))
        fh.write("\n")


def Pairs(rng, side, P):
    """(origin, destination) arrays: 6 near neighbours and 2 random villages each, unique."""
    offsets = [(0, 1), (1, 0), (0, -1), (-1, 0), (1, 1), (-1, -1), (1, -1), (-1, 1), (0, 2), (2, 0)]
    rows, cols = np.divmod(np.arange(P), side)
    near = np.full((P, len(offsets)), -1)
    for n, (dr, dc) in enumerate(offsets):
        r, c = rows + dr, cols + dc
        j = r * side + c
        ok = (r >= 0) & (r < side) & (c >= 0) & (c < side) & (j < P)
        near[ok, n] = j[ok]
    keys = np.where(near >= 0, rng.uniform(size=near.shape), np.inf)
    pick = np.take_along_axis(near, np.argsort(keys, axis=1)[:, :6], axis=1)
    far = rng.integers(0, P, size=(P, 2))
    dest = np.concatenate([pick, far], axis=1)
    origin = np.repeat(np.arange(P), dest.shape[1])
    dest = dest.reshape(-1)
    keep = (dest >= 0) & (dest != origin)
    key = np.unique(origin[keep].astype(np.int64) * P + dest[keep])
    return key // P, key % P


def MakeCase(outdir, villages=100000, seed=1):
    rng = np.random.default_rng(seed)
    os.makedirs(outdir, exist_ok=True)
    P = villages
    side = int(np.ceil(np.sqrt(P)))
    ids = np.char.add("V", np.arange(1, P + 1).astype(str))
    pop = np.maximum(50, np.round(rng.lognormal(mean=7.0, sigma=0.7, size=P))).astype(int)
    row, col = np.divmod(np.arange(P), side)
    x = col * 2.0 + rng.uniform(0, 1.5, P)
    y = row * 2.0 + rng.uniform(0, 1.5, P)
    WriteRows(os.path.join(outdir, "villages.csv"), "id,population,x,y",
              [ids, pop.astype(str), np.char.mod("%.3f", x), np.char.mod("%.3f", y)])

    origin, dest = Pairs(rng, side, P)
    visit_days = 0.33
    total = rng.uniform(0.05, 0.9, P)  # trips per person per day, per origin
    weight = rng.gamma(0.8, size=origin.size) + 1e-3
    trips = total[origin] * weight / np.bincount(origin, weights=weight, minlength=P)[origin]
    WriteRows(os.path.join(outdir, "od.csv"), "origin,destination,trips_per_person_per_day",
              [ids[origin], ids[dest], np.char.mod("%.6g", trips)])

    K = CHECKPOINTS
    ck = np.char.add("C", np.arange(1, K + 1).astype(str))
    levels = np.array(["county", "township", "village", "group"])[np.arange(K) % 4]
    start = np.where(np.arange(K) % 10 == 3, "7.5", "")
    end = np.where(np.arange(K) % 17 == 5, "30", "")
    WriteRows(os.path.join(outdir, "checkpoints.csv"), "id,level,block,screen,isolate,start,end",
              [ck, levels, np.char.mod("%.3f", rng.uniform(0, 1, K)),
               np.char.mod("%.3f", rng.uniform(0, 0.9, K)),
               np.char.mod("%.3f", rng.uniform(0, 0.5, K)), start, end])

    routed = np.flatnonzero(rng.uniform(size=origin.size) < ROUTED_SHARE)
    counts = rng.integers(1, 4, routed.size)
    first = rng.integers(0, K, routed.size)
    cols = [[], [], [], []]
    for n in range(3):  # distinct checkpoints: first, first + 1 + ..., spaced apart
        on = counts > n
        k = (first[on] + n * (1 + K // 3)) % K
        cols[0].append(ids[origin[routed[on]]])
        cols[1].append(ids[dest[routed[on]]])
        cols[2].append(np.full(on.sum(), str(10 * (n + 1))))
        cols[3].append(ck[k])
    WriteRows(os.path.join(outdir, "routes.csv"), "origin,destination,order,checkpoint",
              [np.concatenate(c) for c in cols])

    yaml_text = """name: end-to-end-{P}
region:
  villages: {{csv: villages.csv}}
mobility:
  model: od
  od: {{csv: od.csv}}
  visit_days: {visit}
checkpoints:
  - {{csv: checkpoints.csv}}
  - {{routes: {{csv: routes.csv}}}}
imports:
  - {{to: all, per_day: {per_day}, days: [0, 20.5], exposed: 0.02, infectious: 0.01}}
  - {{to: "{one}", per_day: 6, days: [3.5, 10.125], exposed: 0.1, infectious: 0.05}}
disease:
  r0: 2.6
  febrile_fraction: 0.7
policies:
  - {{type: hospital, beds: {beds}}}
  - {{type: central_isolation, coverage: 0.3, capacity: {cap}}}
  - {{type: returnee_home_isolation, coverage: 0.5, start: 5.5}}
  - {{type: essential_flows, fraction: 0.1, start: 2.5}}
  - {{type: gathering_ban, multiplier: 0.7, start: 12, end: 35.5}}
seed_infections:
  - {{village: "{s1}", infectious: 3}}
  - {{village: "{s2}", exposed: 5, infectious: 1}}
simulation: {{days: 60, dt: 0.25, mode: deterministic}}
""".format(P=P, visit=visit_days, per_day=P // 5, one=ids[16 % P], beds=P // 20,
           cap=P // 40, s1=ids[0], s2=ids[min(49, P - 1)])
    path = os.path.join(outdir, "scenario.yaml")
    with open(path, "w") as fh:
        fh.write(yaml_text)
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--villages", type=int, default=100000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    print(MakeCase(args.outdir, args.villages, args.seed))


if __name__ == "__main__":
    main()
