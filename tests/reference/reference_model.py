#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Independent numpy reference implementation of cordon's epidemic model.

A test oracle for the C++ engine, written from the equations of docs/model.md
(never from the C++ sources).  Library + CLI:

    reference_model.py SCENARIO.yaml --out DIR

Contents
    Model            immutable parameters + network; Rates(t, Y) and Derivative(t, Y)
    Rk4Day / Run     deterministic classic RK4, switches evaluated at stage times
    StochasticStep   chain-binomial tau-leap step (used by tests/bench only)
    LoadScenario     network-only scenario YAML + CSVs (routes, gates) -> Model, days, dt
    WriteOutputs     series.csv, checkpoints.csv, villages.csv, summary.json

The model (per patch i, 11 compartments S E I R Sh Eh Ih Sc Ec Ic H):

    r_ij <- u_i(t) r_ij  (travel_reduction: trips residents no longer attempt)
    pass_ij = e + (1-e) prod_k (1-b_k),   q_ij = 1 - prod_k (1-s_k)
    r'_ij = r_ij pass_ij,  p_ij = d r'_ij,  p_ii = 1 - sum_j p_ij - p_io
    external trips (gate route G_i): x_i = u_i(t) x in the window, p_io = d x_i pass_io
    I*_j = sum_k p_kj I_k + eps_h Ih_j + eps_c Ic_j + eps_H H_j
    N*_j = sum_k p_kj F_k + eps_h (Sh+Eh+Ih)_j + eps_c (Sc+Ec+Ic)_j + eps_H H_j
    L_j = beta m_j(t) I*_j / N*_j,  lambda_i = sum_j p_ij L_j + p_io beta pi(t)
    det_i = f (delta + sum_j r'_ij q_ij + x_i pass_io q_io),  a = [sum H < B],  a_c = [sum central < C]
    imports meet G_i: pass_G = pass_io, q_G = q_io, iso = 1 - (1-c_h) prod_{G_i}(1-h_k)

Contact tracing (docs/model.md "Contact tracing", the default model's block:
detections traced, S/E/I -> Sh/Eh/Ih) adds its delay stages as rows 11.. of Y
and three region counters.

State Y is a (11, P) float array (11 + delay stages with tracing); daily counters are integrated as extra
states by the same RK4 (see Counters).  Everything is vectorized over
patches and over the OD pair list, so 1e6 patches fit in a few GiB.
"""

import argparse
import csv
import json
import math
import os
import sys

import numpy as np
import yaml

COMPARTMENTS = ("S", "E", "I", "R", "Sh", "Eh", "Ih", "Sc", "Ec", "Ic", "H")
S_, E_, I_, R_, SH, EH, IH, SC, EC, IC, H_ = range(11)
NC = 11
COUNTERS = ("incidence", "detections", "imports", "turned_back")
SERIES_COLUMNS = ("day",) + COMPARTMENTS + COUNTERS
# Region counters integrated as extra states (overflow feeds days_over_capacity).
RC_INC, RC_DET, RC_IMP, RC_TB, RC_OVF = range(5)
# contact tracing (docs/model.md "Contact tracing"): contacts reached, quarantined, infected
RC_TRACED, RC_QUAR, RC_TINF = range(5, 8)
NRC = 8
TRACING_COLUMNS = ("traced", "quarantined", "traced_infected")
# A tracing rate is capped at this per capita per day (docs/model.md).
TRACING_MAX_RATE = 4.0

DISEASE_DEFAULTS = {
    "latent_days": 3.69,
    "infectious_days": 3.47,
    "r0": 2.38,
    "beta": None,
    "febrile_fraction": 0.7,
    "detect_rate": 0.2,
    "detect_rate_isolated": 1.0,
    "leak_home": 0.3,
    "leak_central": 0.05,
    "leak_hospital": 0.0,
    "isolation_days": 14.0,
    "hospital_days": 14.0,
    "visit_days": 0.33,
}
CONTACT_POLICIES = ("gathering_ban", "masks", "contact_reduction")


class ScenarioError(Exception):
    """Bad scenario or input data (the CLI exits 2)."""


def _window(start, end):
    """(start, end) as floats: empty start = 0, empty end = forever."""
    s = 0.0 if start is None or start == "" else float(start)
    e = math.inf if end is None or end == "" else float(end)
    return s, e


class _External:
    """The scenario's external_trips: per_day x in its window and the outside
    prevalence pi(t), both switched like everything else (start <= t < end).

    prevalence is a share or [[day, share], ...]: each share holds from its day
    until the next listed day; before the first listed day, the first share.
    """

    def __init__(self, spec):
        spec = spec or {}
        self.per_day = float(spec.get("per_day", 0.0))
        if self.per_day < 0:
            raise ScenarioError("external_trips: per_day must be >= 0")
        self.start, self.end = _window(spec.get("start"), spec.get("end"))
        prev = spec.get("prevalence", 0.0)
        if isinstance(prev, (list, tuple)):
            if not prev:
                raise ScenarioError("external_trips: empty prevalence list")
            pts = []
            for item in prev:
                if not isinstance(item, (list, tuple)) or len(item) != 2:
                    raise ScenarioError("external_trips: prevalence entries must be [day, share]")
                pts.append((float(item[0]), float(item[1])))
            pts.sort(key=lambda p: p[0])
            if any(a[0] == b[0] for a, b in zip(pts, pts[1:])):
                raise ScenarioError("external_trips: prevalence lists a day twice")
        else:
            pts = [(0.0, float(prev))]
        if any(not 0.0 <= sh <= 1.0 for _, sh in pts):
            raise ScenarioError("external_trips: prevalence shares must lie in [0, 1]")
        self.days = [d for d, _ in pts]
        self.shares = [sh for _, sh in pts]

    def PerDay(self, t):
        """x while the window is active at t, else 0 (before travel reductions)."""
        return self.per_day if self.start <= t < self.end else 0.0

    def Prevalence(self, t):
        """pi(t): the share of the last listed day <= t (the first share before it)."""
        share = self.shares[0]
        for day, sh in zip(self.days, self.shares):
            if day <= t:
                share = sh
        return share


class Model:
    """Immutable parameters + network of the deterministic / stochastic model.

    population: (P,) persons at t = 0.  od_origin/od_dest/od_rate: OD pair list
    (patch indices, trips per free resident per day, origin != destination).
    ck_*: per checkpoint arrays (block, screen, isolate in [0,1]; start/end days).
    route_origin/route_dest/route_order/route_ck: the route -> checkpoint table
    (patch indices, order key, checkpoint index); entries whose pair has no OD
    flow carry nothing and are dropped.
    disease: dict of docs/model.md keys.  policies: list of dicts (type, ...).
    imports: list of {to: 'all' | patch index, per_day, start, end, exposed, infectious}.
    gate_village/gate_order/gate_ck: the gate table (patch index, order increasing
    on the way in, checkpoint index): the route G_i between village i and the
    region border, met by imports and by external trips.
    external: None or {per_day, prevalence (a share or [[day, share], ...]), start, end}.
    """

    def __init__(self, population, od_origin, od_dest, od_rate,
                 ck_block=(), ck_screen=(), ck_isolate=(), ck_start=(), ck_end=(),
                 route_origin=(), route_dest=(), route_order=(), route_ck=(),
                 disease=None, policies=(), imports=(), visit_days=None,
                 gate_village=(), gate_order=(), gate_ck=(), external=None):
        pop = np.asarray(population, dtype=np.float64)
        P = pop.size
        self.P = P
        self.population = pop

        # ---- disease parameters
        dis = dict(DISEASE_DEFAULTS)
        for k, v in (disease or {}).items():
            if k not in dis:
                raise ScenarioError("disease: unknown key '%s'" % k)
            dis[k] = v
        if visit_days is not None:
            dis["visit_days"] = visit_days
        self.sigma = 1.0 / float(dis["latent_days"])
        self.gamma = 1.0 / float(dis["infectious_days"])
        self.beta = (float(dis["beta"]) if dis["beta"] is not None
                     else float(dis["r0"]) * self.gamma)
        self.f = float(dis["febrile_fraction"])
        self.delta = float(dis["detect_rate"])
        self.delta_q = float(dis["detect_rate_isolated"])
        self.eps_h = float(dis["leak_home"])
        self.eps_c = float(dis["leak_central"])
        self.eps_H = float(dis["leak_hospital"])
        self.omega = 1.0 / float(dis["isolation_days"])
        self.gamma_H = 1.0 / float(dis["hospital_days"])
        self.d = float(dis["visit_days"])

        # ---- OD pairs, sorted by (origin, destination)
        o = np.asarray(od_origin, dtype=np.int64)
        de = np.asarray(od_dest, dtype=np.int64)
        r = np.asarray(od_rate, dtype=np.float64)
        if o.size:
            if np.any(o == de):
                raise ScenarioError("mobility: OD pair with origin == destination")
            if np.any(r < 0):
                raise ScenarioError("mobility: negative trips_per_person_per_day")
        key = o * P + de
        order = np.argsort(key, kind="stable")
        o, de, r, key = o[order], de[order], r[order], key[order]
        if key.size and np.any(key[1:] == key[:-1]):
            raise ScenarioError("mobility: duplicated OD pair")
        self.o, self.dst, self.r, self._key = o, de, r, key
        self.npairs = o.size

        # ---- external trips (docs/model.md "External trips"); x = 0 when absent
        self.ext = _External(external)
        # pass <= 1 and u <= 1, so the worst case p_ii is at full travel with no blocking
        rsum = np.bincount(o, r, minlength=P) + self.ext.per_day
        bad = np.nonzero(self.d * rsum > 1.0)[0]
        if bad.size:
            raise ScenarioError("mobility: visit_days * (sum_j r_ij + external per_day) = %r > 1"
                                " for patch %d (p_ii < 0)" % (self.d * rsum[bad[0]], bad[0]))

        # ---- checkpoints
        self.ck_block = np.asarray(ck_block, dtype=np.float64)
        self.ck_screen = np.asarray(ck_screen, dtype=np.float64)
        self.ck_isolate = np.asarray(ck_isolate, dtype=np.float64)
        self.ck_start = np.asarray(ck_start, dtype=np.float64)
        self.ck_end = np.asarray(ck_end, dtype=np.float64)
        self.K = self.ck_block.size

        # ---- routes: entries sorted by (pair, order); one gather list per position
        ro = np.asarray(route_origin, dtype=np.int64)
        rd = np.asarray(route_dest, dtype=np.int64)
        rk = np.asarray(route_ck, dtype=np.int64)
        rord = np.asarray(route_order, dtype=np.float64)
        self.positions = []  # list of (pair_idx, ck_idx, origin_idx) per position m
        if ro.size:
            rkey = ro * P + rd
            pidx = np.searchsorted(key, rkey)
            pidx_c = np.minimum(pidx, max(key.size - 1, 0))
            found = (pidx < key.size) & (key[pidx_c] == rkey) if key.size else np.zeros(ro.size, bool)
            pidx, rk, rord = pidx[found], rk[found], rord[found]
            srt = np.lexsort((rord, pidx))
            pidx, rk, rord = pidx[srt], rk[srt], rord[srt]
            same = (pidx[1:] == pidx[:-1])
            if np.any(same & (rord[1:] == rord[:-1])):
                raise ScenarioError("routes: two checkpoints with the same order on one route")
            n = pidx.size
            start_flag = np.ones(n, dtype=bool)
            start_flag[1:] = ~same
            first = np.maximum.accumulate(np.where(start_flag, np.arange(n), 0))
            pos = np.arange(n) - first
            for m in range(int(pos.max()) + 1 if n else 0):
                sel = pos == m
                pm = pidx[sel]
                self.positions.append((pm, rk[sel], o[pm]))

        # ---- gate routes G_i, kept in the outbound order (village first, border
        # last = decreasing gate order); one gather list per position m
        gv = np.asarray(gate_village, dtype=np.int64)
        gk = np.asarray(gate_ck, dtype=np.int64)
        gord = np.asarray(gate_order, dtype=np.float64)
        self.gate_positions = []  # list of (village_idx, ck_idx) per outbound position m
        if gv.size:
            srt = np.lexsort((-gord, gv))
            gv, gk, gord = gv[srt], gk[srt], gord[srt]
            same = gv[1:] == gv[:-1]
            if np.any(same & (gord[1:] == gord[:-1])):
                raise ScenarioError("gates: two checkpoints with the same order on one gate route")
            n = gv.size
            start_flag = np.ones(n, dtype=bool)
            start_flag[1:] = ~same
            first = np.maximum.accumulate(np.where(start_flag, np.arange(n), 0))
            pos = np.arange(n) - first
            for m in range(int(pos.max()) + 1):
                sel = pos == m
                self.gate_positions.append((gv[sel], gk[sel]))

        # ---- policies
        self.contact = []    # (multiplier, mask or None, start, end)
        self.travel = []     # travel_reduction: (multiplier, mask or None, start, end)
        self.home_iso = []   # (coverage, start, end)
        self.central_iso = []
        self.essential = []  # (fraction, start, end)
        self.beds = math.inf
        self.capacity = math.inf
        self.tracing = None  # contact_tracing policy
        for pol in policies:
            t = pol["type"]
            s, e = _window(pol.get("start"), pol.get("end"))
            if t in CONTACT_POLICIES:
                self.contact.append((float(pol["multiplier"]), pol.get("mask"), s, e))
            elif t == "travel_reduction":
                u = float(pol["multiplier"])
                if not 0.0 <= u <= 1.0:
                    raise ScenarioError("policies: travel_reduction multiplier must lie in [0, 1]")
                self.travel.append((u, pol.get("mask"), s, e))
            elif t == "returnee_home_isolation":
                self.home_iso.append((float(pol["coverage"]), s, e))
            elif t == "central_isolation":
                self.central_iso.append((float(pol.get("coverage", 0.0)), s, e))
                # docs/model.md: capacity taken from the last policy of its type, no time switch
                cap = pol.get("capacity")
                self.capacity = math.inf if cap is None else float(cap)
            elif t == "essential_flows":
                self.essential.append((float(pol["fraction"]), s, e))
            elif t == "hospital":
                b = pol.get("beds")
                self.beds = math.inf if b is None else float(b)
            elif t == "contact_tracing":
                if self.tracing is not None:
                    raise ScenarioError("policies: only one contact_tracing policy")
                cap = pol.get("capacity")
                self.tracing = dict(
                    coverage=float(pol["coverage"]), delay=float(pol.get("delay_days", 0.0)),
                    stages=int(pol.get("delay_stages", 2)),
                    K=float(pol.get("contacts_per_case", 10.0)),
                    lookback=float(pol.get("lookback_days", 4.0)),
                    capacity=math.inf if cap is None else float(cap), start=s, end=e)
            else:
                raise ScenarioError("policies: unknown type '%s'" % t)
        # delay stages Q_1..Q_k are extra rows of the state after the 11 compartments
        self.NQ = 0
        if self.tracing is not None and self.tracing["delay"] > 0:
            self.NQ = self.tracing["stages"]

        # ---- imports: per-stream (share vector or target index)
        self.imports = []
        share_all = pop / pop.sum() if pop.sum() > 0 else np.zeros(P)
        self._share_all = share_all
        for st in imports:
            s, e = _window(st.get("start"), st.get("end"))
            phiE = float(st.get("exposed", 0.0))
            phiI = float(st.get("infectious", 0.0))
            if phiE < 0 or phiI < 0 or phiE + phiI > 1:
                raise ScenarioError("imports: exposed + infectious shares must lie in [0, 1]")
            self.imports.append((st["to"], float(st["per_day"]), s, e, phiE, phiI))
        # Imports meet the gate route G_i of their receiving village (docs/model.md
        # "Imports"); without a gate table every G_i is empty: pass_G = 1, q_G = 0.

    # ------------------------------------------------------------------ switches
    def Switches(self, t):
        """Time-switched quantities at time t (days): e, m (P,), c_h, c_c, checkpoint b/s/active."""
        e = 0.0
        for frac, s, en in self.essential:
            if s <= t < en:
                e = frac  # the last active essential_flows policy
        m = self._Multipliers(self.contact, t)
        ch = 1.0
        for cov, s, en in self.home_iso:
            if s <= t < en:
                ch *= (1.0 - cov)
        cc = 1.0
        for cov, s, en in self.central_iso:
            if s <= t < en:
                cc *= (1.0 - cov)
        act = (self.ck_start <= t) & (t < self.ck_end)
        b = np.where(act, self.ck_block, 0.0)
        s_ = np.where(act, self.ck_screen, 0.0)
        return e, m, 1.0 - ch, 1.0 - cc, act, b, s_

    def IsolateActive(self, t):
        """Checkpoint isolate h_k at time t (0 while inactive), (K,)."""
        act = (self.ck_start <= t) & (t < self.ck_end)
        return np.where(act, self.ck_isolate, 0.0)

    def GateWalk(self, e, b, s, h):
        """Products over the gate routes at the current switches, walked in the
        outbound order.  Returns pass_io, q_io, prod(1-h) (P,) and, per
        position m, (exb, exs): prod_{l<m} (1-b_l), prod_{l<m} (1-s_l)."""
        prodb = np.ones(self.P)
        prods = np.ones(self.P)
        prodh = np.ones(self.P)
        ex = []
        for vm, km in self.gate_positions:
            exb = prodb[vm]
            exs = prods[vm]
            ex.append((exb, exs))
            prodb[vm] = exb * (1.0 - b[km])
            prods[vm] = exs * (1.0 - s[km])
            prodh[vm] *= 1.0 - h[km]
        return e + (1.0 - e) * prodb, 1.0 - prods, prodh, ex

    def _Multipliers(self, policies, t):
        """Per patch, the product of the multipliers of the policies active at t."""
        m = np.ones(self.P)
        for mult, mask, s, en in policies:
            if s <= t < en:
                if mask is None:
                    m *= mult
                else:
                    m[mask] *= mult
        return m

    def ImportRates(self, t):
        """Arriving-at-gate persons/day by state: (iota_S, iota_E, iota_I), each (P,)."""
        iS = np.zeros(self.P)
        iE = np.zeros(self.P)
        iI = np.zeros(self.P)
        for to, per_day, s, e, phiE, phiI in self.imports:
            if not (s <= t < e):
                continue
            if isinstance(to, str) and to == "all":
                iota = per_day * self._share_all
                iS += iota * (1.0 - phiE - phiI)
                iE += iota * phiE
                iI += iota * phiI
            else:
                iS[to] += per_day * (1.0 - phiE - phiI)
                iE[to] += per_day * phiE
                iI[to] += per_day * phiI
        return iS, iE, iI

    # ------------------------------------------------------------------ rates
    def Rates(self, t, Y):
        """All per-capita rates and flows at time t from state Y (11, P).

        Returns a dict with lam, lamh, lamc, det (P,), a, ac (0/1), import
        flows into each compartment (P,), import counters, and checkpoint
        rates mon/tb/det (K,) in persons per day.
        """
        P = self.P
        e, m, c_h, c_c, act, b, s = self.Switches(t)
        S, E, I, R = Y[S_], Y[E_], Y[I_], Y[R_]
        Sh, Eh, Ih, Sc, Ec, Ic, H = Y[SH], Y[EH], Y[IH], Y[SC], Y[EC], Y[IC], Y[H_]
        F = S + E + I + R

        o, dst = self.o, self.dst
        # travel_reduction: the trips residents still attempt, u_i(t) r_ij (and u_i x outside)
        u = self._Multipliers(self.travel, t)
        r = self.r * u[o]
        # gate routes: shared by external trips (both ways) and imports (inbound)
        pass_io, q_io, hprod_G, gex = self.GateWalk(e, b, s, self.IsolateActive(t))
        x = u * self.ext.PerDay(t)
        p_io = self.d * x * pass_io
        # route products; exb/exs: prod over checkpoints before position m
        prodb = np.ones(self.npairs)
        prods = np.ones(self.npairs)
        ex = []
        for pm, km, om in self.positions:
            exb = prodb[pm]
            exs = prods[pm]
            ex.append((exb, exs))
            prodb[pm] = exb * (1.0 - b[km])
            prods[pm] = exs * (1.0 - s[km])
        pass_ = e + (1.0 - e) * prodb
        q = 1.0 - prods
        rp = r * pass_
        p = self.d * rp
        # residents outside the region are absent from every village's pool
        pself = 1.0 - np.bincount(o, p, minlength=P) - p_io

        Istar = (pself * I + np.bincount(dst, p * I[o], minlength=P)
                 + self.eps_h * Ih + self.eps_c * Ic + self.eps_H * H)
        Nstar = (pself * F + np.bincount(dst, p * F[o], minlength=P)
                 + self.eps_h * (Sh + Eh + Ih) + self.eps_c * (Sc + Ec + Ic) + self.eps_H * H)
        L = np.zeros(P)
        pos = Nstar > 0
        L[pos] = self.beta * m[pos] * Istar[pos] / Nstar[pos]
        # L_out = beta pi(t): the default model's rate, no contact multiplier outside
        lam = pself * L + np.bincount(o, p * L[dst], minlength=P) + p_io * self.beta * self.ext.Prevalence(t)
        det = self.f * (self.delta + np.bincount(o, rp * q, minlength=P) + x * pass_io * q_io)

        a = 1.0 if H.sum() < self.beds else 0.0
        ac = 1.0 if (Sc.sum() + Ec.sum() + Ic.sum()) < self.capacity else 0.0

        # checkpoint counters (persons/day); inactive checkpoints count nothing
        K = self.K
        ck_mon = np.zeros(K)
        ck_tb = np.zeros(K)
        ck_det = np.zeros(K)
        for (pm, km, om), (exb, exs) in zip(self.positions, ex):
            A = r[pm] * F[om]
            reached = np.where(act[km], A * (e + (1.0 - e) * exb), 0.0)
            blocked = (1.0 - e) * A * exb * b[km]
            detk = self.f * I[om] * rp[pm] * exs * s[km]
            ck_mon += np.bincount(km, reached, minlength=K)
            ck_tb += np.bincount(km, blocked, minlength=K)
            ck_det += np.bincount(km, detk, minlength=K)
        # external trips: out through G_i in the outbound order, back through
        # every active gate checkpoint (nobody is turned back home)
        X = x * F
        for (vm, km), (exb, exs) in zip(self.gate_positions, gex):
            out = np.where(act[km], X[vm] * (e + (1.0 - e) * exb), 0.0)
            back = np.where(act[km], X[vm] * pass_io[vm], 0.0)
            blocked = (1.0 - e) * X[vm] * exb * b[km]
            detk = self.f * I[vm] * x[vm] * pass_io[vm] * exs * s[km]
            ck_mon += np.bincount(km, out + back, minlength=K)
            ck_tb += np.bincount(km, blocked, minlength=K)
            ck_det += np.bincount(km, detk, minlength=K)

        # imports through the gate route of the receiving village, counted on the way
        # in (border first) like travellers on a route (docs/model.md "Imports")
        iS, iE, iI = self.ImportRates(t)
        travel_tb = ck_tb.sum()  # the region's turned_back counts imports once, as arrivals
        iota = iS + iE + iI
        kept = np.ones(P)
        unseen = np.ones(P)
        for vm, km in reversed(self.gate_positions):
            exb, exs = kept[vm], unseen[vm]
            ck_mon += np.bincount(km, np.where(act[km], iota[vm] * (e + (1.0 - e) * exb), 0.0),
                                  minlength=K)
            ck_tb += np.bincount(km, (1.0 - e) * iota[vm] * exb * b[km], minlength=K)
            ck_det += np.bincount(km, self.f * iI[vm] * pass_io[vm] * exs * s[km], minlength=K)
            kept[vm] = exb * (1.0 - b[km])
            unseen[vm] = exs * (1.0 - s[km])
        arrS, arrE, arrI = iS * pass_io, iE * pass_io, iI * pass_io
        imp_tb = (iS + iE + iI) * (1.0 - pass_io)
        imp_det = arrI * self.f * q_io
        undI = arrI - imp_det
        iso = 1.0 - (1.0 - c_h) * hprod_G
        cs = np.minimum(c_c, 1.0 - iso)
        home = iso + (0.0 if ac else cs)
        central = cs if ac else 0.0
        free = 1.0 - iso - cs

        return dict(lam=lam, lamh=self.eps_h * L, lamc=self.eps_c * L, det=det, a=a, ac=ac,
                    p=p, pself=pself, m=m,
                    arrS=arrS, arrE=arrE, undI=undI, imp_det=imp_det, imp_tb=imp_tb,
                    travel_tb=travel_tb,
                    home=home, central=central, free=free,
                    ck_mon=ck_mon, ck_tb=ck_tb, ck_det=ck_det)

    def Derivative(self, t, Y):
        """dY/dt (11, P), d(cumulative incidence)/dt (P,), region counter rates (5,),
        checkpoint counter rates (3, K)."""
        R = self.Rates(t, Y)
        S, E, I = Y[S_], Y[E_], Y[I_]
        Sh, Eh, Ih, Sc, Ec, Ic, H = Y[SH], Y[EH], Y[IH], Y[SC], Y[EC], Y[IC], Y[H_]
        a, lam, lamh, lamc = R["a"], R["lam"], R["lamh"], R["lamc"]
        sig, gam, om, fdq = self.sigma, self.gamma, self.omega, self.f * self.delta_q
        free, home, central = R["free"], R["home"], R["central"]
        arrS, arrE, undI, imp_det = R["arrS"], R["arrE"], R["undI"], R["imp_det"]

        infS = lam * S
        infSh = lamh * Sh
        infSc = lamc * Sc
        detI = R["det"] * I
        # contact tracing: per-capita rates of S -> Sh, E -> Eh, I -> Ih and contacts reached
        detected = detI + a * fdq * (Ih + Ic) + imp_det  # the detections flow, per patch
        tS, tE, tI, reached = self.Tracing(t, Y, R, detected)
        dY = np.empty_like(Y)
        dY[S_] = -infS + om * Sh + om * Sc + free * arrS
        dY[E_] = infS - sig * E + om * Eh + om * Ec + free * arrE
        dY[I_] = sig * E - gam * I - detI + free * undI
        dY[R_] = gam * I + gam * Ih + gam * Ic + self.gamma_H * H
        dY[SH] = -infSh - om * Sh + home * arrS
        dY[EH] = infSh - sig * Eh - om * Eh + home * arrE
        dY[IH] = (sig * Eh - gam * Ih - a * fdq * Ih + (1.0 - a) * detI
                  + home * undI + (1.0 - a) * imp_det)
        dY[SC] = -infSc - om * Sc + central * arrS
        dY[EC] = infSc - sig * Ec - om * Ec + central * arrE
        dY[IC] = sig * Ec - gam * Ic - a * fdq * Ic + central * undI
        dY[H_] = a * (detI + fdq * Ih + fdq * Ic + imp_det) - self.gamma_H * H
        qS, qE, qI = tS * S, tE * E, tI * I
        dY[S_] -= qS
        dY[SH] += qS
        dY[E_] -= qE
        dY[EH] += qE
        dY[I_] -= qI
        dY[IH] += qI
        if self.NQ:
            kd = self.NQ / self.tracing["delay"]
            Q = Y[NC:]
            dY[NC] = detected - kd * Q[0]
            for m_ in range(1, self.NQ):
                dY[NC + m_] = kd * (Q[m_ - 1] - Q[m_])

        dinc = infS + infSh + infSc
        rc = np.zeros(NRC)
        rc[RC_INC] = dinc.sum()
        rc[RC_DET] = detI.sum() + a * fdq * (Ih.sum() + Ic.sum()) + imp_det.sum()
        rc[RC_IMP] = arrS.sum() + arrE.sum() + R["undI"].sum() + imp_det.sum()
        rc[RC_TB] = R["travel_tb"] + R["imp_tb"].sum()
        rc[RC_OVF] = (1.0 - a) * (detI.sum() + imp_det.sum())
        rc[RC_TRACED] = reached
        rc[RC_QUAR] = qS.sum() + qE.sum() + qI.sum()
        rc[RC_TINF] = qE.sum() + qI.sum()
        ck = np.stack([R["ck_mon"], R["ck_tb"], R["ck_det"]]) if self.K else np.zeros((3, 0))
        return dY, dinc, rc, ck

    def Tracing(self, t, Y, R, detected):
        """docs/model.md "Contact tracing" for the default model (cases: detections,
        moves S -> Sh, E -> Eh, I -> Ih): per-capita rates tS, tE, tI (P,) and the
        contacts reached per day (region)."""
        zero = np.zeros(self.P)
        tr = self.tracing
        if tr is None or not (tr["start"] <= t < tr["end"]):
            return zero, zero, zero, 0.0
        T = self.NQ / tr["delay"] * Y[NC + self.NQ - 1] if self.NQ else detected
        # a case's contacts are where it spent its time: p_jj T_j + sum_i p_ij T_i
        W = R["pself"] * T + np.bincount(self.dst, R["p"] * T[self.o], minlength=self.P)
        c, K = tr["coverage"], tr["K"]
        wanted = c * K * W.sum()
        s = tr["capacity"] / wanted if wanted > tr["capacity"] else 1.0
        N = Y[:NC].sum(axis=0)
        S = Y[S_]
        share = np.divide(S, N, out=np.zeros(self.P), where=N > 0)
        n = self.beta * R["m"] * share * min(tr["lookback"], 1.0 / self.gamma)
        n = np.minimum(K, np.maximum(0.0, n))
        M = Y[E_] + Y[I_]
        found = s * c * W
        infected = np.divide(found * n, M, out=np.zeros(self.P), where=M > 0)
        others = np.divide(found * (K - n), N, out=np.zeros(self.P), where=N > 0)
        infected = np.minimum(TRACING_MAX_RATE, infected)
        others = np.minimum(TRACING_MAX_RATE, others)
        return others, infected, infected, float((found * K).sum())

    def SeriesColumns(self):
        """series.csv's columns: day, compartments, counters (and tracing's, with the policy)."""
        return SERIES_COLUMNS + (TRACING_COLUMNS if self.tracing is not None else ())

    # ------------------------------------------------------------------ state
    def InitialState(self, seeds=()):
        """Y at t = 0: population in S, then seeds (patch, exposed, infectious) moved S -> E / I.
        Returns (Y, seeded (P,))."""
        Y = np.zeros((NC + self.NQ, self.P))
        Y[S_] = self.population
        seeded = np.zeros(self.P)
        for i, ex, inf in seeds:
            Y[S_, i] -= ex + inf
            Y[E_, i] += ex
            Y[I_, i] += inf
            seeded[i] += ex + inf
        return Y, seeded


class Counters:
    """Integrated counter states: cumulative incidence per patch, region daily
    counters (reset each day), checkpoint totals (3, K) over the run."""

    def __init__(self, model):
        self.inc = np.zeros(model.P)
        self.region = np.zeros(NRC)
        self.ck = np.zeros((3, model.K))


def Rk4Step(model, t, Y, C, dt):
    """One classic RK4 step from t to t + dt; switches and a, a_c at each stage time."""
    h2 = 0.5 * dt
    k1 = model.Derivative(t, Y)
    k2 = model.Derivative(t + h2, Y + h2 * k1[0])
    k3 = model.Derivative(t + h2, Y + h2 * k2[0])
    k4 = model.Derivative(t + dt, Y + dt * k3[0])
    w = dt / 6.0
    parts = []
    for n in range(4):
        parts.append(k1[n] + 2.0 * k2[n] + 2.0 * k3[n] + k4[n])
    Y = Y + w * parts[0]
    C.inc += w * parts[1]
    C.region += w * parts[2]
    C.ck += w * parts[3]
    return Y


def StepsPerDay(dt):
    n = int(round(1.0 / dt))
    if n < 1 or abs(n * dt - 1.0) > 1e-12:
        raise ScenarioError("simulation.dt: 1/dt must be an integer (got dt=%r)" % dt)
    return n


def Run(model, days, dt, seeds=(), keep_prevalence=False):
    """Integrate deterministically over [0, days]. Returns a result dict (with
    'prevalence' (days+1, P) per village and day when keep_prevalence)."""
    n = StepsPerDay(dt)
    Y, seeded = model.InitialState(seeds)
    C = Counters(model)
    columns = model.SeriesColumns()
    series = np.zeros((days + 1, len(columns)))
    overflow = np.zeros(days + 1)
    prev = lambda Y: Y[E_] + Y[I_] + Y[EH] + Y[IH] + Y[EC] + Y[IC]

    def record(day):
        series[day, 0] = day
        series[day, 1:1 + NC] = Y[:NC].sum(axis=1)
        series[day, 1 + NC:1 + NC + 4] = C.region[:4]
        if len(columns) > 1 + NC + 4:
            series[day, 1 + NC + 4:] = C.region[RC_TRACED:RC_TINF + 1]
        overflow[day] = C.region[RC_OVF]

    record(0)
    pv = prev(Y)
    peak_val = pv.copy()
    peak_day = np.zeros(model.P, dtype=np.int64)
    first_inf = np.where(pv >= 1.0, 0, -1)
    hist = np.zeros((days + 1, model.P)) if keep_prevalence else None
    if hist is not None:
        hist[0] = pv
    step = 0
    for day in range(1, days + 1):
        C.region[:] = 0.0
        for _ in range(n):
            Y = Rk4Step(model, step * dt, Y, C, dt)
            step += 1
        record(day)
        pv = prev(Y)
        better = pv > peak_val
        peak_val[better] = pv[better]
        peak_day[better] = day
        first_inf[(first_inf < 0) & (pv >= 1.0)] = day
        if hist is not None:
            hist[day] = pv
    return dict(series=series, overflow=overflow, Y=Y, inc=C.inc, seeded=seeded, ck=C.ck,
                peak_day=peak_day, first_infected_day=first_inf, prevalence=hist)


# ---------------------------------------------------------------------- stochastic
def _split(rng, n, rates, total):
    """Split integer counts n (P,) multinomially by rates[k]/total via sequential binomials."""
    out = []
    rem = n
    rem_rate = total.copy() if isinstance(total, np.ndarray) else np.full(n.shape, float(total))
    for k, rk in enumerate(rates):
        if k == len(rates) - 1:
            out.append(rem)
            break
        rk = np.broadcast_to(rk, n.shape)
        pk = np.divide(rk, rem_rate, out=np.zeros(n.shape), where=rem_rate > 0)
        x = rng.binomial(rem, np.clip(pk, 0.0, 1.0))
        out.append(x)
        rem = rem - x
        rem_rate = rem_rate - rk
    return out


def StochasticStep(model, t, Y, dt, rng, region=None, ck=None):
    """One chain-binomial tau-leap step (docs/model.md "Stochastic version").

    Y: (11, P) int64 persons, advanced and returned.  Rates come from the state
    at the start of the step.  region (5,) and ck (3, K) accumulate counters
    (checkpoint counters at their expected value rate*dt).
    """
    if model.tracing is not None:
        raise ScenarioError("the reference's stochastic step has no contact tracing")
    R = model.Rates(t, Y.astype(np.float64))
    a = R["a"]  # a_c already sits in the import shares
    sig, gam, om, gH = model.sigma, model.gamma, model.omega, model.gamma_H
    fdq = model.f * model.delta_q
    P = model.P

    def leave(X, total):
        total = np.broadcast_to(total, X.shape)
        return rng.binomial(X, -np.expm1(-dt * total))

    lam, lamh, lamc, det = R["lam"], R["lamh"], R["lamc"], R["det"]
    # S -> E
    nSE = leave(Y[S_], lam)
    # E -> I
    nEI = leave(Y[E_], sig)
    # I -> R, detected (H or Ih)
    tI = gam + det
    xI = leave(Y[I_], tI)
    nIR, nIdet = _split(rng, xI, [gam, det], tI)
    # Sh -> Eh, S
    tSh = lamh + om
    xSh = leave(Y[SH], tSh)
    nShEh, nShS = _split(rng, xSh, [lamh, om], tSh)
    tEh = sig + om
    xEh = leave(Y[EH], tEh)
    nEhIh, nEhE = _split(rng, xEh, [sig, om], np.full(P, tEh))
    tIh = gam + a * fdq
    xIh = leave(Y[IH], tIh)
    nIhR, nIhH = _split(rng, xIh, [gam, a * fdq], np.full(P, tIh))
    tSc = lamc + om
    xSc = leave(Y[SC], tSc)
    nScEc, nScS = _split(rng, xSc, [lamc, om], tSc)
    xEc = leave(Y[EC], tEh)
    nEcIc, nEcE = _split(rng, xEc, [sig, om], np.full(P, tEh))
    xIc = leave(Y[IC], tIh)
    nIcR, nIcH = _split(rng, xIc, [gam, a * fdq], np.full(P, tIh))
    nHR = leave(Y[H_], gH)

    # imports ~ Poisson(iota dt), split into turned back / detected / S,E,I x free,home,central
    fr, ho, ce = R["free"], R["home"], R["central"]
    cats = [R["imp_tb"], R["imp_det"],
            fr * R["arrS"], fr * R["arrE"], fr * R["undI"],
            ho * R["arrS"], ho * R["arrE"], ho * R["undI"],
            ce * R["arrS"], ce * R["arrE"], ce * R["undI"]]
    itot = cats[0] + cats[1] + R["arrS"] + R["arrE"] + R["undI"]
    nimp = rng.poisson(itot * dt)
    (mTB, mDet, mS, mE, mI, mSh, mEh, mIh, mSc, mEc, mIc) = _split(rng, nimp, cats, itot)

    Y = Y.copy()
    Y[S_] += -nSE + nShS + nScS + mS
    Y[E_] += nSE - nEI + nEhE + nEcE + mE
    Y[I_] += nEI - xI + mI
    Y[R_] += nIR + nIhR + nIcR + nHR
    Y[SH] += -xSh + mSh
    Y[EH] += nShEh - xEh + mEh
    if a:
        Y[IH] += nEhIh - xIh + mIh
        Y[H_] += nIdet + nIhH + nIcH + mDet - nHR
    else:
        Y[IH] += nEhIh - xIh + mIh + nIdet + mDet
        Y[H_] += -nHR
    Y[SC] += -xSc + mSc
    Y[EC] += nScEc - xEc + mEc
    Y[IC] += nEcIc - xIc + mIc
    if region is not None:
        region[RC_INC] += nSE.sum() + nShEh.sum() + nScEc.sum()
        region[RC_DET] += nIdet.sum() + nIhH.sum() + nIcH.sum() + mDet.sum()
        region[RC_IMP] += nimp.sum() - mTB.sum()
        region[RC_TB] += dt * R["travel_tb"] + mTB.sum()
        region[RC_OVF] += 0 if a else nIdet.sum() + mDet.sum()
    if ck is not None and model.K:
        ck += dt * np.stack([R["ck_mon"], R["ck_tb"], R["ck_det"]])
    return Y


# ---------------------------------------------------------------------- scenario
def _read_csv(path, required, optional=()):
    try:
        with open(path, newline="") as fh:
            rd = csv.DictReader(fh)
            cols = rd.fieldnames or []
            for c in required:
                if c not in cols:
                    raise ScenarioError("%s: missing column '%s'" % (path, c))
            rows = list(rd)
    except OSError as exc:
        raise ScenarioError("%s: cannot read (%s)" % (path, exc))
    return cols, rows


def _check_keys(dct, allowed, where):
    if not isinstance(dct, dict):
        raise ScenarioError("%s: expected a mapping" % where)
    for k in dct:
        if k not in allowed:
            raise ScenarioError("%s: unknown or unsupported key '%s'" % (where, k))


def LoadScenario(path):
    """Load a network-only scenario. Returns (model, meta) where meta has ids,
    names, days, dt, seeds, checkpoint ids/levels."""
    base = os.path.dirname(os.path.abspath(path))
    with open(path) as fh:
        sc = yaml.safe_load(fh)
    _check_keys(sc, ("name", "region", "mobility", "checkpoints", "imports", "disease",
                     "policies", "seed_infections", "simulation", "external_trips"), path)
    rel = lambda p: p if os.path.isabs(p) else os.path.join(base, p)

    # villages
    reg = sc.get("region") or {}
    _check_keys(reg, ("villages",), "region")
    vil = reg.get("villages") or {}
    _check_keys(vil, ("csv",), "region.villages")
    vpath = rel(vil["csv"])
    cols, rows = _read_csv(vpath, ("id", "population"))
    ids = [row["id"] for row in rows]
    index = {v: i for i, v in enumerate(ids)}
    if len(index) != len(ids):
        raise ScenarioError("%s: duplicated village id" % vpath)
    pop = np.array([float(row["population"]) for row in rows])
    names = [row.get("name") or "" for row in rows] if "name" in cols else ["" for _ in rows]

    def vidx(v, where):
        v = str(v)
        if v not in index:
            raise ScenarioError("%s: unknown village id '%s'" % (where, v))
        return index[v]

    # mobility
    mob = sc.get("mobility") or {}
    _check_keys(mob, ("model", "od", "visit_days"), "mobility")
    if mob.get("model", "od") != "od":
        raise ScenarioError("mobility.model: only 'od' is supported by the reference")
    o, d, r = [], [], []
    if "od" in mob:
        _check_keys(mob["od"], ("csv",), "mobility.od")
        opath = rel(mob["od"]["csv"])
        _, rows = _read_csv(opath, ("origin", "destination", "trips_per_person_per_day"))
        for row in rows:
            o.append(vidx(row["origin"], opath))
            d.append(vidx(row["destination"], opath))
            r.append(float(row["trips_per_person_per_day"]))
    dis = dict(sc.get("disease") or {})
    visit = mob.get("visit_days")
    if visit is not None and "visit_days" in dis and float(dis["visit_days"]) != float(visit):
        raise ScenarioError("visit_days given under both disease: and mobility: with different values")

    # checkpoints and routes
    ck_ids, ck_levels, ck_b, ck_s, ck_h, ck_st, ck_en = [], [], [], [], [], [], []
    route_rows = []
    gate_rows = []
    for item in sc.get("checkpoints") or []:
        _check_keys(item, ("csv", "routes", "gates"), "checkpoints[]")
        if "csv" in item:
            cpath = rel(item["csv"])
            _, rows = _read_csv(cpath, ("id", "block", "screen"))
            for row in rows:
                ck_ids.append(row["id"])
                ck_levels.append(row.get("level") or "")
                num = lambda k: float(row[k]) if row.get(k) not in (None, "") else 0.0
                ck_b.append(num("block"))
                ck_s.append(num("screen"))
                ck_h.append(num("isolate"))
                s, e = _window(row.get("start"), row.get("end"))
                ck_st.append(s)
                ck_en.append(e)
        if "routes" in item:
            _check_keys(item["routes"], ("csv",), "checkpoints[].routes")
            rpath = rel(item["routes"]["csv"])
            _, rows = _read_csv(rpath, ("origin", "destination", "order", "checkpoint"))
            route_rows.append((rpath, rows))
        if "gates" in item:
            _check_keys(item["gates"], ("csv",), "checkpoints[].gates")
            gpath = rel(item["gates"]["csv"])
            _, rows = _read_csv(gpath, ("village", "order", "checkpoint"))
            gate_rows.append((gpath, rows))
    ck_index = {k: i for i, k in enumerate(ck_ids)}
    if len(ck_index) != len(ck_ids):
        raise ScenarioError("checkpoints: duplicated checkpoint id")
    ro, rd, rord, rk = [], [], [], []
    for rpath, rows in route_rows:
        for row in rows:
            ro.append(vidx(row["origin"], rpath))
            rd.append(vidx(row["destination"], rpath))
            rord.append(float(row["order"]))
            if row["checkpoint"] not in ck_index:
                raise ScenarioError("%s: unknown checkpoint '%s'" % (rpath, row["checkpoint"]))
            rk.append(ck_index[row["checkpoint"]])
    gv, gord, gk = [], [], []
    for gpath, rows in gate_rows:
        for row in rows:
            gv.append(vidx(row["village"], gpath))
            gord.append(float(row["order"]))
            if row["checkpoint"] not in ck_index:
                raise ScenarioError("%s: unknown checkpoint '%s'" % (gpath, row["checkpoint"]))
            gk.append(ck_index[row["checkpoint"]])

    external = sc.get("external_trips")
    if external is not None:
        _check_keys(external, ("per_day", "prevalence", "start", "end"), "external_trips")
        if "per_day" not in external:
            raise ScenarioError("external_trips: missing 'per_day'")

    # imports
    imports = []
    for st in sc.get("imports") or []:
        _check_keys(st, ("to", "per_day", "days", "exposed", "infectious"), "imports[]")
        to = st["to"]
        if not (isinstance(to, str) and to == "all"):
            if isinstance(to, dict):
                raise ScenarioError("imports: 'to: {csv: ...}' is not supported by the reference")
            to = vidx(to, "imports")
        days = st.get("days") or [None, None]
        imports.append(dict(to=to, per_day=st["per_day"], start=days[0], end=days[1],
                            exposed=st.get("exposed", 0.0), infectious=st.get("infectious", 0.0)))

    # policies
    policies = []
    for pol in sc.get("policies") or []:
        pol = dict(pol)
        t = pol.get("type")
        allowed = {"hospital": ("beds",), "central_isolation": ("coverage", "capacity"),
                   "returnee_home_isolation": ("coverage",), "essential_flows": ("fraction",),
                   "contact_tracing": ("coverage", "delay_days", "delay_stages",
                                       "contacts_per_case", "lookback_days", "capacity",
                                       "staff_per_contact")}
        for c in CONTACT_POLICIES + ("travel_reduction",):
            allowed[c] = ("multiplier", "villages")
        if t not in allowed:
            raise ScenarioError("policies: unknown type '%s'" % t)
        _check_keys(pol, ("type", "start", "end") + allowed[t], "policies[%s]" % t)
        if "multiplier" in allowed[t] and pol.get("villages") is not None:
            mask = np.zeros(len(ids), dtype=bool)
            for v in pol["villages"]:
                mask[vidx(v, "policies[%s].villages" % t)] = True
            pol["mask"] = mask
        policies.append(pol)

    seeds = []
    for sd in sc.get("seed_infections") or []:
        _check_keys(sd, ("village", "exposed", "infectious"), "seed_infections[]")
        seeds.append((vidx(sd["village"], "seed_infections"),
                      float(sd.get("exposed", 0.0)), float(sd.get("infectious", 0.0))))

    sim = sc.get("simulation") or {}
    _check_keys(sim, ("days", "dt", "mode", "runs", "seed"), "simulation")
    if sim.get("mode", "deterministic") != "deterministic":
        raise ScenarioError("simulation.mode: the reference CLI runs only 'deterministic'")
    days = int(sim.get("days", 120))
    dt = float(sim.get("dt", 0.25))

    model = Model(pop, o, d, r, ck_b, ck_s, ck_h, ck_st, ck_en, ro, rd, rord, rk,
                  disease=dis, policies=policies, imports=imports, visit_days=visit,
                  gate_village=gv, gate_order=gord, gate_ck=gk, external=external)
    meta = dict(ids=ids, names=names, days=days, dt=dt, seeds=seeds,
                ck_ids=ck_ids, ck_levels=ck_levels)
    return model, meta


# ---------------------------------------------------------------------- outputs
def _fmt(x):
    return repr(float(x))


def WriteOutputs(model, meta, res, out):
    os.makedirs(out, exist_ok=True)
    series = res["series"]
    with open(os.path.join(out, "series.csv"), "w", newline="") as fh:
        fh.write(",".join(model.SeriesColumns()) + "\n")
        for row in series:
            fh.write(str(int(row[0])) + "," + ",".join(_fmt(x) for x in row[1:]) + "\n")
    with open(os.path.join(out, "checkpoints.csv"), "w", newline="") as fh:
        fh.write("id,level,monitored,turned_back,detected\n")
        for k, cid in enumerate(meta["ck_ids"]):
            w = csv.writer(fh, lineterminator="\n")
            w.writerow([cid, meta["ck_levels"][k], _fmt(res["ck"][0, k]),
                        _fmt(res["ck"][1, k]), _fmt(res["ck"][2, k])])
    pop = model.population
    ar = np.divide(res["inc"] + res["seeded"], pop, out=np.zeros_like(pop), where=pop > 0)
    with open(os.path.join(out, "villages.csv"), "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["id", "name", "population", "attack_rate", "peak_day",
                    "first_infected_day", "infected_ever"])
        for i, vid in enumerate(meta["ids"]):
            fi = int(res["first_infected_day"][i])
            w.writerow([vid, meta["names"][i], _fmt(pop[i]), _fmt(ar[i]), int(res["peak_day"][i]),
                        "" if fi < 0 else fi, 1 if fi >= 0 else 0])
    prevalence = series[:, 2] + series[:, 3] + series[:, 6] + series[:, 7] + series[:, 9] + series[:, 10]
    pk = int(np.argmax(prevalence))
    summary = dict(
        attack_rate=float((res["inc"].sum() + res["seeded"].sum()) / pop.sum()),
        peak_day=pk, peak_prevalence=float(prevalence[pk]),
        peak_H=float(series[:, 11].max()),
        beds=None if math.isinf(model.beds) else model.beds,
        days_over_capacity=int(np.sum(res["overflow"][1:] >= 1e-9)),
        villages_infected=int(np.sum(res["first_infected_day"] >= 0)),
        implementation="tests/reference/reference_model.py")
    with open(os.path.join(out, "summary.json"), "w") as fh:
        json.dump(summary, fh, indent=2)
        fh.write("\n")
    return summary


def RunScenario(path, out, keep_prevalence=False):
    """Load, run and write outputs; returns (model, meta, result, summary)."""
    model, meta = LoadScenario(path)
    res = Run(model, meta["days"], meta["dt"], meta["seeds"], keep_prevalence)
    summary = WriteOutputs(model, meta, res, out)
    return model, meta, res, summary


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("scenario")
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    try:
        RunScenario(args.scenario, args.out)
    except ScenarioError as exc:
        print("reference_model: %s" % exc, file=sys.stderr)
        return 2
    except (KeyError, ValueError, TypeError) as exc:
        print("reference_model: bad scenario: %r" % (exc,), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
