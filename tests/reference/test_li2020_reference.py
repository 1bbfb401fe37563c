#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Self-tests of the numpy Li et al. 2020 reference (li2020_reference.py)
against mathematics (exit 1 on failure):

1. the vectorized derivative equals a loop over city pairs transcribed from
   the README's equations (M_ij = travellers j -> i), at random states;
2. no transmission, no travel: E(t) = E0 exp(-t/Z) and the cumulative
   reported count is alpha E0 (1 - exp(-t/Z)) (1e-9 relative);
3. without the floor and with removals switched off (D huge), travel only
   moves people: sum_i N_i and sum_i (S + E + Ir + Iu) stay constant (1e-9);
4. on the 375-city data (when ../shared is present): the paper's seeding
   (Wuhan 1000 + 1000; the city most travelled to from Wuhan seeded from its
   travellers) and the 60%
   floor (cities that empty stop at 0.6 N(0); none goes below).
"""

import math
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import li2020_reference as li  # noqa: E402

FAILS = []
SHARED = os.path.join(HERE, "..", "..", "..", "shared", "data", "real", "li2020")


def check(cond, msg):
    print(("ok    " if cond else "FAIL  ") + msg)
    if not cond:
        FAILS.append(msg)


class SmallData:
    """A few cities with random daily travel, shaped like li.Data."""

    def __init__(self, n=5, days=3, seed=1):
        rng = np.random.default_rng(seed)
        self.ids = ["Wuhan"] + ["C%d" % k for k in range(1, n)]
        self.population = rng.uniform(1e5, 1e6, n)
        self.travel = rng.uniform(0, 2e3, (days, n, n))
        for d in range(days):
            np.fill_diagonal(self.travel[d], 0.0)


def loop_derivative(y, m, p):
    """The README's equations, one city pair at a time."""
    S, E, Ir, Iu, N, _ = y
    n = len(S)
    out = np.zeros_like(y)

    def per(x, den):
        return x / den if den > 0 else 0.0

    for i in range(n):
        force = p["beta"] * per(S[i] * Ir[i], N[i]) + p["mu"] * p["beta"] * per(S[i] * Iu[i], N[i])
        moves = []
        for X in (S, E, Iu):
            into = sum(m[i, j] * per(X[j], N[j] - Ir[j]) for j in range(n))
            away = sum(m[j, i] for j in range(n)) * per(X[i], N[i] - Ir[i])
            moves.append(p["theta"] * (into - away))
        out[0, i] = -force + moves[0]
        out[1, i] = force - E[i] / p["Z"] + moves[1]
        out[2, i] = p["alpha"] * E[i] / p["Z"] - Ir[i] / p["D"]
        out[3, i] = (1 - p["alpha"]) * E[i] / p["Z"] - Iu[i] / p["D"] + moves[2]
        out[4, i] = p["theta"] * (sum(m[i, j] for j in range(n)) - sum(m[j, i] for j in range(n)))
        out[5, i] = p["alpha"] * E[i] / p["Z"]
    return out


def test_derivative_matches_the_loop():
    data = SmallData()
    rng = np.random.default_rng(7)
    worst = 0.0
    for _ in range(5):
        N = data.population * rng.uniform(0.7, 1.3, len(data.ids))
        parts = rng.dirichlet(np.ones(5), len(data.ids)).T * N  # S, E, Ir, Iu, R
        y = np.array([parts[0], parts[1], parts[2], parts[3], N, np.zeros_like(N)])
        y[2, 1] = N[1]  # a city whose non-documented population is 0: its travel terms are 0
        a, b = li.derivative(y, data.travel[0], li.PAPER), loop_derivative(y, data.travel[0], li.PAPER)
        worst = max(worst, float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1.0))))
    check(worst < 1e-12, "vectorized derivative = loop over pairs (worst %.1e)" % worst)


def test_decay_without_transmission_or_travel():
    data = SmallData(n=2, days=1)
    data.travel[:] = 0.0
    p = dict(li.PAPER, beta=0.0)
    y0 = np.array([[9e5, 9e5], [100.0, 0.0], [0.0, 0.0], [0.0, 0.0], [1e6, 1e6], [0.0, 0.0]])
    states, reported = li.simulate(data, p, days=10, dt=1.0 / 32, y0=y0)
    t = np.arange(11)
    e = 100.0 * np.exp(-t / p["Z"])
    cum = p["alpha"] * 100.0 * (1 - np.exp(-t / p["Z"]))
    err_e = float(np.max(np.abs(states[:, 1, 0] - e) / e))
    err_r = float(np.max(np.abs(np.cumsum(reported[:, 0]) - cum)[1:] / cum[1:]))
    check(err_e < 1e-9 and err_r < 1e-9,
          "E decays as exp(-t/Z), reports sum to alpha E0 (1 - exp(-t/Z)) (%.1e, %.1e)" %
          (err_e, err_r))


def test_travel_conserves_people():
    data = SmallData(n=6, days=4, seed=3)
    p = dict(li.PAPER, D=1e15)
    y0 = li.initial_state(data)
    states, _ = li.simulate(data, p, days=8, dt=0.25, floor=None, y0=y0)
    n_total = states[:, 4, :].sum(axis=1)
    people = states[:, 0:4, :].sum(axis=(1, 2))
    err_n = float(np.max(np.abs(n_total - n_total[0])) / n_total[0])
    err_p = float(np.max(np.abs(people - people[0])) / people[0])
    check(err_n < 1e-9 and err_p < 1e-9,
          "travel moves people without making or losing any (N %.1e, S+E+Ir+Iu %.1e)" %
          (err_n, err_p))


def test_real_data_seeding_and_floor():
    if not os.path.isdir(SHARED):
        print("skip  %s absent: seeding and floor on the 375 cities" % SHARED)
        return
    data = li.Data(SHARED)
    check(len(data.ids) == 375 and len(data.dates) == 14, "375 cities, 14 days of travel")
    y0 = li.initial_state(data)
    w, ez = data.ids.index("Wuhan"), data.ids.index("Ezhou")
    check(y0[1, w] == 1000 and y0[3, w] == 1000, "Wuhan seeded with E = Iu = 1000")
    top = int(np.argmax(np.where(np.arange(len(data.ids)) == w, -1, data.travel[0][:, w])))
    want = round(3 * data.travel[0][top, w] * 1000 / data.population[w])
    check(y0[1, top] == want and y0[3, top] == want and want > 0,
          "%s (most travellers from Wuhan) seeded with round(3 M_i,Wuhan x 1000 / N_Wuhan) = %d" %
          (data.ids[top], want))
    states, _ = li.simulate(data, li.PAPER, days=30)
    low = states[:, 4, :] / data.population
    check(float(low.min()) >= li.FLOOR - 1e-12, "no city below 60%% of its population (min %.4f)" %
          float(low.min()))
    check(abs(float(low[-1, ez]) - li.FLOOR) < 1e-12, "Ezhou empties to the floor by day 30")
    check(bool(np.all(np.isfinite(states))) and float(states[:, :5].min()) > -1e-6,
          "states stay finite and non-negative")


def main():
    test_derivative_matches_the_loop()
    test_decay_without_transmission_or_travel()
    test_travel_conserves_people()
    test_real_data_seeding_and_floor()
    print("%d failed" % len(FAILS))
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
