#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Time one simulated day of the vectorized numpy reference model.

    numpy_model_day.py [--patches 1000 100000 1000000] [--reps N]

For each P, builds a synthetic network (8 random destinations per patch at
~0.3/8 trips per person per day each, P/10 checkpoints all active, one
random checkpoint on every pair, imports to all, essential flows, home and
central isolation, a gathering ban, infection seeded everywhere) and times
  - deterministic_day: 4 classic RK4 steps of dt = 0.25 (16 derivative evaluations)
  - stochastic_day:    4 chain-binomial tau-leap steps of dt = 0.25
with the same code as tests/reference/reference_model.py. Prints one line per
(mode, P): `numpy deterministic_day P=1000 ms=...` (median of the repetitions).
"""

import argparse
import math
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference"))
import reference_model as rm  # noqa: E402


def SyntheticModel(P, seed=1):
    rng = np.random.default_rng(seed)
    pop = rng.integers(500, 3000, P).astype(np.float64)
    ndest = min(8, P - 1)
    o = np.repeat(np.arange(P, dtype=np.int64), ndest)
    # distinct offsets per origin: cumulative sums of steps in [1, (P-1)//ndest]
    step_max = max(1, (P - 1) // ndest)
    offs = np.cumsum(rng.integers(1, step_max + 1, (P, ndest)), axis=1).ravel()
    d = (o + offs) % P
    r = 0.3 / 8 * rng.uniform(0.5, 1.5, o.size)
    K = max(1, P // 10)
    ck_block = rng.uniform(0.0, 0.6, K)
    ck_screen = rng.uniform(0.0, 0.5, K)
    ck_iso = np.zeros(K)
    ck_start = np.zeros(K)
    ck_end = np.full(K, math.inf)
    route_ck = rng.integers(0, K, o.size)
    policies = [
        {"type": "hospital", "beds": 0.002 * pop.sum()},
        {"type": "central_isolation", "coverage": 0.2, "capacity": 1e-3 * pop.sum()},
        {"type": "returnee_home_isolation", "coverage": 0.5},
        {"type": "essential_flows", "fraction": 0.1},
        {"type": "gathering_ban", "multiplier": 0.8},
    ]
    imports = [{"to": "all", "per_day": 1e-4 * pop.sum(), "start": 0, "end": None,
                "exposed": 0.01, "infectious": 0.005}]
    model = rm.Model(pop, o, d, r, ck_block, ck_screen, ck_iso, ck_start, ck_end,
                     o, d, np.zeros(o.size), route_ck, policies=policies, imports=imports)
    Y, _ = model.InitialState()
    # infection everywhere so that no array is trivially zero
    for k, share in ((rm.E_, 2e-3), (rm.I_, 1e-3), (rm.R_, 1e-2), (rm.SH, 1e-3), (rm.EH, 1e-4),
                     (rm.IH, 1e-4), (rm.SC, 5e-4), (rm.EC, 5e-5), (rm.IC, 5e-5), (rm.H_, 1e-4)):
        x = np.floor(pop * share * rng.uniform(0.5, 1.5, P))
        Y[k] += x
        Y[rm.S_] -= x
    return model, Y


def TimeIt(fn, reps):
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return 1e3 * float(np.median(times))


def Arguments(description):
    """--patches and --reps, the model-day scripts' shared command line."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--patches", type=int, nargs="+", default=[1000, 100000, 1000000])
    ap.add_argument("--reps", type=int, default=None, help="repetitions (default 7, 3 for P >= 1e6)")
    return ap.parse_args()


def Repetitions(args, P):
    return args.reps or (3 if P >= 1000000 else 7)


def main():
    args = Arguments(__doc__.split("\n")[0])
    dt = 0.25
    for P in args.patches:
        model, Y0 = SyntheticModel(P)
        reps = Repetitions(args, P)

        def det_day():
            Y = Y0
            C = rm.Counters(model)
            for n in range(4):
                Y = rm.Rk4Step(model, 10.0 + n * dt, Y, C, dt)
            return Y

        rng = np.random.default_rng(2)
        Yi = np.rint(Y0).astype(np.int64)

        def sto_day():
            Y = Yi
            region = np.zeros(rm.NRC)
            ck = np.zeros((3, model.K))
            for n in range(4):
                Y = rm.StochasticStep(model, 10.0 + n * dt, Y, dt, rng, region=region, ck=ck)
            return Y

        det_day()  # warm-up (page faults, allocator)
        print("numpy deterministic_day P=%d ms=%.1f" % (P, TimeIt(det_day, reps)), flush=True)
        sto_day()
        print("numpy stochastic_day P=%d ms=%.1f" % (P, TimeIt(sto_day, reps)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
