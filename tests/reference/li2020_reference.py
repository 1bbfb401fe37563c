#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""An independent numpy implementation of the model of Li et al., Science 2020
("Substantial undocumented infection facilitates the rapid dissemination of
novel coronavirus"), written from the equations of
../shared/data/real/li2020/README.md, deterministic, for checking cordon's
`li2020` model (issue 10) city by city.

    li2020_reference.py --data ../shared/data/real/li2020 --out reference.csv
        [--days 30] [--dt 0.25] [--beta 1.12 --mu 0.55 --Z 3.69 --D 3.47
         --alpha 0.14 --theta 1.36]

Per city i: S, E, Ir (documented infectious), Iu (undocumented), N (its own
state), M_ij travellers j -> i per day:

    dS_i  = -beta S_i Ir_i/N_i - mu beta S_i Iu_i/N_i + travel(S)_i
    dE_i  =  beta S_i Ir_i/N_i + mu beta S_i Iu_i/N_i - E_i/Z + travel(E)_i
    dIr_i =  alpha E_i/Z - Ir_i/D
    dIu_i = (1 - alpha) E_i/Z - Iu_i/D + travel(Iu)_i
    dN_i  =  theta (sum_j M_ij - sum_j M_ji)
    travel(X)_i = theta sum_j M_ij X_j/(N_j - Ir_j) - theta X_i/(N_i - Ir_i) sum_j M_ji

Conventions (the ones issue 10 fixes for cordon, stated here so that the two
implementations are checked against the same text):
- a term whose denominator (N, or N - Ir) is <= 0 is 0;
- R = N - S - E - Ir - Iu does not travel;
- the matrix of day d (counted from the table's first date) serves every
  step that starts in [d, d + 1); after the table's last day that day's
  matrix holds; a step never crosses a day boundary (dt divides 1);
- classic RK4 with step dt; after each step N_i = max(N_i, 0.6 N_i(0)) (the
  authors' floor; the compartments keep moving by the flows);
- `reported` on day d (d = 1 .. days) is the integral of alpha E/Z over
  (d - 1, d], integrated as a fifth state; day 0 reports 0;
- seeding on the first day: Wuhan E = Iu = 1000; every other city
  E_i = Iu_i = round(3 M_i,Wuhan(day 0) x 1000 / N_Wuhan); S = N - E - Iu.

The CSV written has one row per (day, city): day,id,S,E,Ir,Iu,N,reported.
"""

import argparse
import csv
import math
import os
import sys

import numpy as np

PAPER = {"beta": 1.12, "mu": 0.55, "Z": 3.69, "D": 3.47, "alpha": 0.14, "theta": 1.36}
FLOOR = 0.6


class Data:
    """cities.csv (order kept), population and the daily travel matrices."""

    def __init__(self, folder):
        with open(os.path.join(folder, "cities.csv"), newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        self.ids = [r["id"] for r in rows]
        index = {c: k for k, c in enumerate(self.ids)}
        self.population = np.array([float(r["population"]) for r in rows])
        by_date = {}
        with open(os.path.join(folder, "mobility.csv"), newline="", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                by_date.setdefault(r["date"], []).append(
                    (index[r["destination"]], index[r["origin"]], float(r["travellers"])))
        self.dates = sorted(by_date)
        n = len(self.ids)
        # travel[d][i, j]: travellers j -> i on day d (persons/day)
        self.travel = np.zeros((len(self.dates), n, n))
        for d, date in enumerate(self.dates):
            for i, j, v in by_date[date]:
                self.travel[d, i, j] += v


def divide(numerator, denominator):
    """numerator / denominator where the denominator is > 0, else 0."""
    out = np.zeros_like(numerator, dtype=float)
    ok = denominator > 0
    out[ok] = numerator[ok] / denominator[ok]
    return out


def derivative(y, m, p):
    """d/dt of y = (S, E, Ir, Iu, N, reported) for travel matrix m (m[i, j]: j -> i)."""
    S, E, Ir, Iu, N, _ = y
    beta, mu, Z, D, alpha, theta = (p[k] for k in ("beta", "mu", "Z", "D", "alpha", "theta"))
    force = beta * divide(S * Ir, N) + mu * beta * divide(S * Iu, N)
    free = N - Ir
    leaving = m.sum(axis=0)  # sum_j M_ji: departures of city i

    def travel(X):
        share = divide(X, free)
        return theta * (m @ share) - theta * share * leaving

    return np.array([
        -force + travel(S),
        force - E / Z + travel(E),
        alpha * E / Z - Ir / D,
        (1 - alpha) * E / Z - Iu / D + travel(Iu),
        theta * (m.sum(axis=1) - leaving),
        alpha * E / Z,
    ])


def initial_state(data):
    """The paper's seeding on the first day (see the module text)."""
    n = len(data.ids)
    w = data.ids.index("Wuhan")
    N = data.population.copy()
    seed = np.round(3.0 * data.travel[0][:, w] * 1000.0 / N[w])
    seed[w] = 1000.0
    E, Iu = seed.copy(), seed.copy()
    return np.array([N - E - Iu, E, np.zeros(n), Iu, N, np.zeros(n)])


def simulate(data, p, days=30, dt=0.25, floor=FLOOR, y0=None):
    """Daily states (days + 1, 6, cities) and reported (days + 1, cities)."""
    steps = int(round(1.0 / dt))
    if abs(steps * dt - 1.0) > 1e-12:
        raise ValueError("dt must divide one day")
    y = initial_state(data) if y0 is None else np.array(y0, dtype=float)
    n0 = y[4].copy()
    states = [y.copy()]
    for d in range(days):
        m = data.travel[min(d, len(data.travel) - 1)]
        for _ in range(steps):
            k1 = derivative(y, m, p)
            k2 = derivative(y + 0.5 * dt * k1, m, p)
            k3 = derivative(y + 0.5 * dt * k2, m, p)
            k4 = derivative(y + dt * k3, m, p)
            y = y + dt / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)
            if floor is not None:
                y[4] = np.maximum(y[4], floor * n0)
        states.append(y.copy())
    states = np.array(states)
    reported = np.zeros((days + 1, y.shape[1]))
    reported[1:] = np.diff(states[:, 5, :], axis=0)
    return states, reported


def write_csv(path, data, states, reported):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["day", "id", "S", "E", "Ir", "Iu", "N", "reported"])
        for d in range(states.shape[0]):
            for i, city in enumerate(data.ids):
                S, E, Ir, Iu, N = states[d, :5, i]
                w.writerow([d, city] + ["%.17g" % v for v in (S, E, Ir, Iu, N, reported[d, i])])


def main():
    a = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    a.add_argument("--data", required=True)
    a.add_argument("--out", required=True)
    a.add_argument("--days", type=int, default=30)
    a.add_argument("--dt", type=float, default=0.25)
    for k, v in PAPER.items():
        a.add_argument("--" + k, type=float, default=v)
    args = a.parse_args()
    if not os.path.isdir(args.data):
        print("li2020_reference: %s: no such folder" % args.data, file=sys.stderr)
        return 2
    p = {k: getattr(args, k) for k in PAPER}
    data = Data(args.data)
    states, reported = simulate(data, p, args.days, args.dt)
    write_csv(args.out, data, states, reported)
    total = reported.sum(axis=1)
    print("li2020_reference: %d cities, %d days; national reported: %s" %
          (len(data.ids), args.days, " ".join("%.0f" % v for v in total[1:])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
