#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Time one simulated day of the default model written as a researcher would in numba.

    numba_model_day.py [--patches 1000 100000 1000000] [--reps N]

What a researcher would write instead of cordon: docs/model.md's equations as plain loops
over patches, OD pairs and route entries, compiled by numba (python3-numba), one thread.
The network and state are numpy_model_day.py's (8 destinations per patch, a checkpoint on
every pair, imports to all, essential flows, home and central isolation, a gathering ban,
beds); a day is 4 classic RK4 steps of dt = 0.25 with the checkpoint counters integrated
beside the state. Before timing, the derivative is checked against the numpy reference
(tests/reference/reference_model.py) to 1e-10. Prints `numba deterministic_day P=1000
ms=...` (median of the repetitions; compilation excluded).
"""

import os
import sys

import numpy as np
from numba import njit

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "reference"))
import numpy_model_day  # noqa: E402
import reference_model as rm  # noqa: E402

# State rows (docs/model.md "Compartments").
S, E, I, R, SH, EH, IH, SC, EC, IC, H = range(11)


@njit(cache=False)
def derivative(Y, o, dst, r, route_start, route_ck, block, screen, share_all, par, dY, ck):
    """dY (11, P) and checkpoint counter rates ck (3, K) at state Y; par holds
    beta, sigma, gamma, f, delta, delta_q, eps_h, eps_c, eps_H, omega, gamma_H, d,
    m (contact), e (essential), c_h, c_c, beds, capacity, iota (imports/day), phi_E, phi_I."""
    (beta, sigma, gamma, f, delta, delta_q, eps_h, eps_c, eps_H, omega, gamma_H, d, m, e,
     c_h, c_c, beds, capacity, iota, phi_E, phi_I) = par
    P = Y.shape[1]
    npairs = o.size
    pself = np.ones(P)
    screen_rate = np.zeros(P)
    Istar = np.zeros(P)
    Nstar = np.zeros(P)
    p = np.empty(npairs)
    ck[:, :] = 0.0
    # Per pair: pass and screening over its route, p_ij, then its checkpoints' counters in
    # route order (reached, turned back, febrile infectious detected among those who pass).
    for k in range(npairs):
        i = o[k]
        kept = 1.0
        unseen = 1.0
        for q in range(route_start[k], route_start[k + 1]):
            kept *= 1.0 - block[route_ck[q]]
            unseen *= 1.0 - screen[route_ck[q]]
        passed = e + (1.0 - e) * kept
        p[k] = d * r[k] * passed
        pself[i] -= p[k]
        screen_rate[i] += r[k] * passed * (1.0 - unseen)
        A = r[k] * (Y[S, i] + Y[E, i] + Y[I, i] + Y[R, i])
        kept = 1.0
        unseen = 1.0
        for q in range(route_start[k], route_start[k + 1]):
            c = route_ck[q]
            ck[0, c] += A * (e + (1.0 - e) * kept)
            ck[1, c] += (1.0 - e) * A * kept * block[c]
            ck[2, c] += f * Y[I, i] * r[k] * passed * unseen * screen[c]
            kept *= 1.0 - block[c]
            unseen *= 1.0 - screen[c]
    # Sattenspiel-Dietz pools at each destination
    for i in range(P):
        F = Y[S, i] + Y[E, i] + Y[I, i] + Y[R, i]
        Istar[i] = pself[i] * Y[I, i] + eps_h * Y[IH, i] + eps_c * Y[IC, i] + eps_H * Y[H, i]
        Nstar[i] = (pself[i] * F + eps_h * (Y[SH, i] + Y[EH, i] + Y[IH, i])
                    + eps_c * (Y[SC, i] + Y[EC, i] + Y[IC, i]) + eps_H * Y[H, i])
    for k in range(npairs):
        i = o[k]
        j = dst[k]
        Istar[j] += p[k] * Y[I, i]
        Nstar[j] += p[k] * (Y[S, i] + Y[E, i] + Y[I, i] + Y[R, i])
    L = np.zeros(P)
    for j in range(P):
        if Nstar[j] > 0.0:
            L[j] = beta * m * Istar[j] / Nstar[j]
    lam = pself * L
    for k in range(npairs):
        lam[o[k]] += p[k] * L[dst[k]]
    in_hospital = 0.0
    central = 0.0
    for i in range(P):
        in_hospital += Y[H, i]
        central += Y[SC, i] + Y[EC, i] + Y[IC, i]
    a = 1.0 if in_hospital < beds else 0.0
    ac = 1.0 if central < capacity else 0.0
    # imports (no gates: every arrival passes, none is detected at a gate)
    iso = c_h
    cs = min(c_c, 1.0 - iso)
    home = iso + (0.0 if ac > 0.0 else cs)
    cen = cs if ac > 0.0 else 0.0
    free = 1.0 - iso - cs
    fdq = f * delta_q
    for i in range(P):
        arr = iota * share_all[i]
        aS = arr * (1.0 - phi_E - phi_I)
        aE = arr * phi_E
        aI = arr * phi_I
        det = f * (delta + screen_rate[i]) * Y[I, i]
        infS = lam[i] * Y[S, i]
        infSh = eps_h * L[i] * Y[SH, i]
        infSc = eps_c * L[i] * Y[SC, i]
        dY[S, i] = -infS + omega * (Y[SH, i] + Y[SC, i]) + free * aS
        dY[E, i] = infS - sigma * Y[E, i] + omega * (Y[EH, i] + Y[EC, i]) + free * aE
        dY[I, i] = sigma * Y[E, i] - gamma * Y[I, i] - det + free * aI
        dY[R, i] = gamma * (Y[I, i] + Y[IH, i] + Y[IC, i]) + gamma_H * Y[H, i]
        dY[SH, i] = -infSh - omega * Y[SH, i] + home * aS
        dY[EH, i] = infSh - sigma * Y[EH, i] - omega * Y[EH, i] + home * aE
        dY[IH, i] = (sigma * Y[EH, i] - gamma * Y[IH, i] - a * fdq * Y[IH, i]
                     + (1.0 - a) * det + home * aI)
        dY[SC, i] = -infSc - omega * Y[SC, i] + cen * aS
        dY[EC, i] = infSc - sigma * Y[EC, i] - omega * Y[EC, i] + cen * aE
        dY[IC, i] = sigma * Y[EC, i] - gamma * Y[IC, i] - a * fdq * Y[IC, i] + cen * aI
        dY[H, i] = a * (det + fdq * (Y[IH, i] + Y[IC, i])) - gamma_H * Y[H, i]


@njit(cache=False)
def day(Y, o, dst, r, route_start, route_ck, block, screen, share_all, par, dt, counters):
    """Four RK4 steps of dt from Y; returns the new state, adds to counters (3, K)."""
    K = counters.shape[1]
    k1, k2, k3, k4 = (np.empty_like(Y), np.empty_like(Y), np.empty_like(Y), np.empty_like(Y))
    c1, c2, c3, c4 = (np.empty((3, K)), np.empty((3, K)), np.empty((3, K)), np.empty((3, K)))
    for _ in range(4):
        derivative(Y, o, dst, r, route_start, route_ck, block, screen, share_all, par, k1, c1)
        derivative(Y + 0.5 * dt * k1, o, dst, r, route_start, route_ck, block, screen, share_all,
                   par, k2, c2)
        derivative(Y + 0.5 * dt * k2, o, dst, r, route_start, route_ck, block, screen, share_all,
                   par, k3, c3)
        derivative(Y + dt * k3, o, dst, r, route_start, route_ck, block, screen, share_all, par,
                   k4, c4)
        Y = Y + dt / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
        counters += dt / 6.0 * (c1 + 2.0 * c2 + 2.0 * c3 + c4)
    return Y


def Inputs(model):
    """The numba kernel's arrays from the synthetic network (numpy_model_day.py)."""
    starts = np.zeros(model.npairs + 1, dtype=np.int64)
    entries = [[] for _ in range(model.npairs)]
    for pm, km, _ in model.positions:  # position by position: route order
        for pair, c in zip(pm, km):
            entries[pair].append(c)
    starts[1:] = np.cumsum([len(x) for x in entries])
    route_ck = np.array([c for x in entries for c in x], dtype=np.int64)
    sw = model.Switches(10.0)
    e, m, c_h, c_c = sw[0], sw[1], sw[2], sw[3]
    if not np.all(m == m[0]):
        raise SystemExit("numba_model_day: one contact multiplier for every patch expected")
    (to, per_day, _, _, phi_E, phi_I), = model.imports
    par = np.array([model.beta, model.sigma, model.gamma, model.f, model.delta, model.delta_q,
                    model.eps_h, model.eps_c, model.eps_H, model.omega, model.gamma_H, model.d,
                    m[0], e, c_h, c_c, model.beds, model.capacity, per_day, phi_E, phi_I])
    return (model.o, model.dst, model.r, starts, route_ck, model.ck_block, model.ck_screen,
            model._share_all, par)


def Check(model, Y, inputs):
    """The kernel's derivative against the numpy reference's, to 1e-10 of each row's scale."""
    dY = np.empty_like(Y)
    ck = np.empty((3, model.K))
    derivative(Y, *inputs, dY, ck)
    ref, _, _, ref_ck = model.Derivative(10.0, Y)
    for name, a, b in (("state", dY, ref), ("checkpoints", ck, ref_ck)):
        scale = np.maximum(np.abs(b).max(axis=1, keepdims=True), 1e-300)
        worst = float(np.max(np.abs(a - b) / scale))
        if not worst < 1e-10:
            raise SystemExit("numba_model_day: %s differs from the reference by %.3g" % (name, worst))


def main():
    args = numpy_model_day.Arguments(__doc__.split("\n")[0])
    dt = 0.25
    for P in args.patches:
        model, Y0 = numpy_model_day.SyntheticModel(P)
        inputs = Inputs(model)
        Check(model, Y0, inputs)
        reps = numpy_model_day.Repetitions(args, P)
        counters = np.zeros((3, model.K))
        day(Y0, *inputs, dt, counters)  # compiles, warms up
        ms = numpy_model_day.TimeIt(lambda: day(Y0, *inputs, dt, counters), reps)
        print("numba deterministic_day P=%d ms=%.1f" % (P, ms), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
