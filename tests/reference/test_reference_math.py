#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Self-tests of the numpy reference model against mathematics (exit 1 on failure).

1. one-patch SEIR, no detection, no imports, tiny seed: the attack rate at a
   long horizon solves the final-size equation z = 1 - exp(-R0 z) (1e-4);
2. population conservation without imports (1e-9 relative), and with
   imports: total(t) = total(0) + imported persons;
3. counter bookkeeping: series turned_back = sum of checkpoint turned_back
   + imports turned back at the gates, imports arriving + turned back = the
   stage-weighted streams, cumulative incidence + seeds = sum_i
   attack_rate_i * population_i;
4. the vectorized derivative equals a slow loop-over-pairs transcription of
   docs/model.md (dense p matrix, checkpoints walked route by route, gate
   routes walked village by village for imports and external trips) read
   straight from the case's CSVs, at random states and switch times;
5. external trips in closed form: with no infection and no OD, a gate
   checkpoint monitors X pass_<m out + X pass_io back per day, turns back
   (1-e) X prod_{l<m}(1-b_l) b_m; lambda = d x pass_io beta pi(t) and
   det = f (delta + x pass_io q_io) at the stage times;
6. RK4 is 4th order on a scenario without switches;
7. the stochastic tau-leap stepper tracks the deterministic solution for a
   large single patch.
"""

import csv
import math
import os
import sys
import tempfile

import numpy as np
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_case  # noqa: E402
import reference_model as rm  # noqa: E402

FAILS = []


def check(cond, msg):
    print(("ok    " if cond else "FAIL  ") + msg)
    if not cond:
        FAILS.append(msg)


def one_patch(days, dt, r0=2.38, pop=1e7, seed_i=1.0, disease=None, imports=()):
    dis = dict(r0=r0, febrile_fraction=0.0)
    dis.update(disease or {})
    m = rm.Model([pop], [], [], [], disease=dis, imports=imports)
    return m, rm.Run(m, days, dt, seeds=[(0, 0.0, seed_i)])


def test_final_size():
    for r0 in (1.5, 2.38, 3.0):
        m, res = one_patch(800, 0.25, r0=r0)
        ar = (res["inc"][0] + res["seeded"][0]) / 1e7
        z = 0.5
        for _ in range(200):
            z = z - (z - 1 + math.exp(-r0 * z)) / (1 - r0 * math.exp(-r0 * z))
        check(abs(ar - z) < 1e-4, "final size R0=%g: attack %.8f vs z %.8f" % (r0, ar, z))
        tot = res["Y"].sum()
        check(abs(tot - 1e7) <= 1e-9 * 1e7, "one-patch conservation: %r" % tot)


def load_case(tmp, drop_imports=False, mutate=None):
    path = make_case.MakeCase(os.path.join(tmp, "case"))
    with open(path) as fh:
        sc = yaml.safe_load(fh)
    if drop_imports:
        sc["imports"] = []
    if mutate:
        mutate(sc)
    p2 = os.path.join(tmp, "case", "variant.yaml")
    with open(p2, "w") as fh:
        yaml.safe_dump(sc, fh)
    return rm.LoadScenario(p2)


def drop_gates(sc):
    """Scenario variant without the gate table: imports meet no checkpoint."""
    sc["checkpoints"] = [c for c in sc["checkpoints"] if "gates" not in c]


def test_conservation(tmp):
    model, meta = load_case(tmp, drop_imports=True)
    res = rm.Run(model, meta["days"], meta["dt"], meta["seeds"])
    ser = res["series"]
    tot = ser[:, 1:12].sum(axis=1)
    N0 = model.population.sum()
    err = np.max(np.abs(tot - N0)) / N0
    check(err <= 1e-9, "conservation without imports: max rel err %.3g" % err)

    model, meta = load_case(tmp)
    res = rm.Run(model, meta["days"], meta["dt"], meta["seeds"])
    ser = res["series"]
    tot = ser[:, 1:12].sum(axis=1)
    cum_imp = np.cumsum(ser[:, 14])
    err = np.max(np.abs(tot - N0 - cum_imp)) / N0
    check(err <= 1e-9, "conservation with imports (total = N0 + imports): max rel err %.3g" % err)
    # imports: 40/day on [0, 20.5) + 6/day on [3.5, 10.125), switched at the RK4
    # stage times t, t+dt/2, t+dt/2, t+dt with weights 1/6, 2/6, 2/6, 1/6
    dt = meta["dt"]
    exp_imp = 0.0
    for n in range(int(round(meta["days"] / dt))):
        t = n * dt
        for ts, w in ((t, 1), (t + dt / 2, 4), (t + dt, 1)):
            exp_imp += dt * w / 6 * (40 * (0 <= ts < 20.5) + 6 * (3.5 <= ts < 10.125))
    # with gates, imports are turned back there too and counted by the gate checkpoints
    # (docs/model.md "Imports"), so the series turned_back is the checkpoints' sum: the
    # blocked shares along a route add up to 1 - pass
    tb = ser[:, 15].sum()
    ck_tb = res["ck"][1].sum()
    imp_tb = exp_imp - cum_imp[-1]
    check(imp_tb > 0 and abs(tb - ck_tb) <= 1e-9 * ck_tb,
          "imports turned back at gates %.12g; series turned_back %.12g == checkpoints' %.12g"
          % (imp_tb, tb, ck_tb))
    model_ng, meta_ng = load_case(tmp, mutate=drop_gates)
    res_ng = rm.Run(model_ng, meta_ng["days"], meta_ng["dt"], meta_ng["seeds"])
    imp_ng = res_ng["series"][:, 14].sum()
    check(abs(imp_ng - exp_imp) < 1e-9 * exp_imp,
          "without gates: imported persons %.12g vs stage-weighted %.12g" % (imp_ng, exp_imp))
    tb_ng = res_ng["series"][:, 15].sum()
    ck_ng = res_ng["ck"][1].sum()
    check(abs(tb_ng - ck_ng) <= 1e-9 * ck_ng and tb_ng > 0,
          "without gates: series turned_back %.10g == sum checkpoints %.10g" % (tb_ng, ck_ng))
    inc = ser[:, 12].sum() + res["seeded"].sum()
    inc2 = (res["inc"] + res["seeded"]).sum()
    check(abs(inc - inc2) <= 1e-9 * inc2, "incidence series vs per-village %.10g %.10g" % (inc, inc2))
    # detections: every H admission comes from a detection, so cum detections >= H + (R from H)
    check(ser[:, 13].sum() >= ser[-1, 11], "detections >= H")
    check(ser[:, 11].max() >= make_case.BEDS - 1e-6, "beds bind in the case (max H %.4g)" % ser[:, 11].max())
    central = ser[:, 8] + ser[:, 9] + ser[:, 10]
    check(central.max() >= make_case.CENTRAL_CAPACITY - 0.5,
          "central capacity binds in the case (max %.4g)" % central.max())
    check(res["overflow"][1:].max() > 1e-6, "bed overflow happens")


# -------------------------------------------------------------- slow transcription
def slow_derivative(sc, base, t, Y):
    """docs/model.md written out with loops and a dense p matrix."""
    rd = lambda name: list(csv.DictReader(open(os.path.join(base, name))))
    vil = rd("villages.csv")
    ids = [v["id"] for v in vil]
    ix = {v: i for i, v in enumerate(ids)}
    P = len(ids)
    pop = np.array([float(v["population"]) for v in vil])
    dis = sc["disease"]
    d = sc["mobility"]["visit_days"]
    sigma = 1 / dis["latent_days"]
    gamma = 1 / dis["infectious_days"]
    beta = dis["r0"] * gamma
    f, delta, dq = dis["febrile_fraction"], dis["detect_rate"], dis["detect_rate_isolated"]
    eh, ec, eH = dis["leak_home"], dis["leak_central"], dis["leak_hospital"]
    omega, gH = 1 / dis["isolation_days"], 1 / dis["hospital_days"]

    def on(obj):
        s = obj.get("start")
        e = obj.get("end")
        s = 0.0 if s in (None, "") else float(s)
        e = math.inf if e in (None, "") else float(e)
        return s <= t < e

    cks = {c["id"]: c for c in rd("checkpoints.csv")}
    routes = {}
    for row in rd("routes.csv"):
        routes.setdefault((ix[row["origin"]], ix[row["destination"]]), []).append(
            (float(row["order"]), row["checkpoint"]))
    gates = {}
    if any("gates" in c for c in sc["checkpoints"]):
        for row in rd("gates.csv"):
            gates.setdefault(ix[row["village"]], []).append((float(row["order"]), row["checkpoint"]))
    ext = sc.get("external_trips") or {}
    xw = float(ext.get("per_day", 0.0)) if ext and on(ext) else 0.0
    pi = 0.0
    if ext:
        prev = ext["prevalence"]
        if isinstance(prev, list):
            pi = prev[0][1]  # before the first listed day: the first share
            for day, share in prev:
                if day <= t:
                    pi = share
        else:
            pi = prev
    e = 0.0
    m = np.ones(P)
    u = np.ones(P)  # travel_reduction: share of trips still attempted
    ch, cc, B, C = 0.0, 0.0, math.inf, math.inf
    for pol in sc["policies"]:
        if pol["type"] == "hospital":
            B = pol["beds"]
        if pol["type"] == "central_isolation":
            C = pol["capacity"]
        if not on(pol):
            continue
        if pol["type"] == "essential_flows":
            e = pol["fraction"]
        if pol["type"] in ("gathering_ban", "masks", "contact_reduction"):
            for i in range(P):
                if "villages" not in pol or ids[i] in pol["villages"]:
                    m[i] *= pol["multiplier"]
        if pol["type"] == "travel_reduction":
            for i in range(P):
                if "villages" not in pol or ids[i] in pol["villages"]:
                    u[i] *= pol["multiplier"]
        if pol["type"] == "returnee_home_isolation":
            ch = 1 - (1 - ch) * (1 - pol["coverage"])
        if pol["type"] == "central_isolation":
            cc = 1 - (1 - cc) * (1 - pol["coverage"])
    S, E, I, R, Sh, Eh, Ih, Sc, Ec, Ic, H = [Y[k].copy() for k in range(11)]
    F = S + E + I + R
    p = np.zeros((P, P))
    rq = np.zeros(P)
    K = len(cks)
    kid = {k: n for n, k in enumerate(cks)}
    mon, tb, dk = np.zeros(K), np.zeros(K), np.zeros(K)
    for row in rd("od.csv"):
        i, j = ix[row["origin"]], ix[row["destination"]]
        r = u[i] * float(row["trips_per_person_per_day"])
        pb, ps = 1.0, 1.0
        A = r * F[i]
        walk = []
        for _, c in sorted(routes.get((i, j), [])):
            act = on(cks[c])
            b = float(cks[c]["block"]) if act else 0.0
            s = float(cks[c]["screen"]) if act else 0.0
            if act:
                mon[kid[c]] += A * (e + (1 - e) * pb)
            tb[kid[c]] += (1 - e) * A * pb * b
            walk.append((c, ps, s))
            pb *= 1 - b
            ps *= 1 - s
        pas = e + (1 - e) * pb
        for c, psb, s in walk:
            dk[kid[c]] += f * I[i] * r * pas * psb * s
        p[i, j] += d * r * pas
        rq[i] += r * pas * (1 - ps)
    # gate routes: walked outbound (decreasing order) by external trips, also
    # giving the imports' pass, screen and isolate products
    pio, qio, hio = np.zeros(P), np.zeros(P), np.ones(P)
    for i in range(P):
        x = u[i] * xw
        X = x * F[i]
        pb, ps = 1.0, 1.0
        walk = []
        for _, c in sorted(gates.get(i, []), reverse=True):
            act = on(cks[c])
            b = float(cks[c]["block"]) if act else 0.0
            s = float(cks[c]["screen"]) if act else 0.0
            h = float(cks[c]["isolate"]) if act else 0.0
            if act:
                mon[kid[c]] += X * (e + (1 - e) * pb)
            tb[kid[c]] += (1 - e) * X * pb * b
            walk.append((c, act, ps, s))
            pb *= 1 - b
            ps *= 1 - s
            hio[i] *= 1 - h
        pio[i] = e + (1 - e) * pb
        qio[i] = 1 - ps
        for c, act, psb, s in walk:
            if act:
                mon[kid[c]] += X * pio[i]  # the way back: nobody is turned back home
            dk[kid[c]] += f * I[i] * x * pio[i] * psb * s
        rq[i] += x * pio[i] * qio[i]
    # time outside: those residents are absent from every pool
    p_io = np.array([d * u[i] * xw * pio[i] for i in range(P)])
    for i in range(P):
        p[i, i] = 1 - p[i].sum() - p_io[i]
    Ist = p.T @ I + eh * Ih + ec * Ic + eH * H
    Nst = p.T @ F + eh * (Sh + Eh + Ih) + ec * (Sc + Ec + Ic) + eH * H
    L = np.where(Nst > 0, beta * m * Ist / np.where(Nst > 0, Nst, 1), 0)
    lam = p @ L + p_io * beta * pi
    det = f * (delta + rq)
    a = 1.0 if H.sum() < B else 0.0
    ac = 1.0 if (Sc + Ec + Ic).sum() < C else 0.0
    iS, iE, iI = np.zeros(P), np.zeros(P), np.zeros(P)
    for st in sc["imports"]:
        if not (st["days"][0] <= t < st["days"][1]):
            continue
        if st["to"] == "all":
            io = st["per_day"] * pop / pop.sum()
        else:
            io = np.zeros(P)
            io[ix[st["to"]]] = st["per_day"]
        iS += io * (1 - st["exposed"] - st["infectious"])
        iE += io * st["exposed"]
        iI += io * st["infectious"]
    # imports meet their village's gate route, border first: counted, then pass, screen, isolate
    route_tb = tb.sum()
    for i in range(P):
        io, pb, ps = iS[i] + iE[i] + iI[i], 1.0, 1.0
        for _, c in sorted(gates.get(i, [])):
            act = on(cks[c])
            b = float(cks[c]["block"]) if act else 0.0
            s = float(cks[c]["screen"]) if act else 0.0
            if act:
                mon[kid[c]] += io * (e + (1 - e) * pb)
            tb[kid[c]] += (1 - e) * io * pb * b
            dk[kid[c]] += f * iI[i] * pio[i] * ps * s
            pb *= 1 - b
            ps *= 1 - s
    itb = (iS + iE + iI) * (1 - pio)
    iS, iE, iI = iS * pio, iE * pio, iI * pio
    idet = iI * f * qio
    iI = iI - idet
    iso = 1 - (1 - ch) * hio
    cs = np.minimum(cc, 1 - iso)
    hs = iso + (0 if ac else cs)
    cs2 = cs if ac else 0
    fs = 1 - iso - cs
    dY = np.zeros_like(Y)
    dY[0] = -lam * S + omega * (Sh + Sc) + fs * iS
    dY[1] = lam * S - sigma * E + omega * (Eh + Ec) + fs * iE
    dY[2] = sigma * E - gamma * I - det * I + fs * iI
    dY[3] = gamma * (I + Ih + Ic) + gH * H
    dY[4] = -eh * L * Sh - omega * Sh + hs * iS
    dY[5] = eh * L * Sh - (sigma + omega) * Eh + hs * iE
    dY[6] = sigma * Eh - gamma * Ih - a * f * dq * Ih + (1 - a) * (det * I + idet) + hs * iI
    dY[7] = -ec * L * Sc - omega * Sc + cs2 * iS
    dY[8] = ec * L * Sc - (sigma + omega) * Ec + cs2 * iE
    dY[9] = sigma * Ec - gamma * Ic - a * f * dq * Ic + cs2 * iI
    dY[10] = a * (det * I + f * dq * (Ih + Ic) + idet) - gH * H
    rc = np.array([(lam * S + eh * L * Sh + ec * L * Sc).sum(),
                   (det * I).sum() + a * f * dq * (Ih + Ic).sum() + idet.sum(),
                   (iS + iE + iI + idet).sum(), route_tb + itb.sum()])
    return dY, rc, np.stack([mon, tb, dk])


def test_against_slow(tmp):
    model, meta = load_case(tmp)
    base = os.path.join(tmp, "case")
    with open(os.path.join(base, "variant.yaml")) as fh:
        sc = yaml.safe_load(fh)
    rng = np.random.default_rng(7)
    P = model.P
    worst = 0.0
    for t in (0.0, 1.5, 2.5, 3.0, 3.25, 5.5, 6.375, 6.5, 7.25, 7.5, 10.125, 12.3, 18.125, 20.125,
              20.5, 30.375, 33.75, 33.875, 35.5, 45.7, 59.875):
        for hbig in (False, True):
            Y = rng.uniform(0, 1, (11, P)) * model.population * 0.1
            Y[10] *= (60.0 if hbig else 0.1) / Y[10].sum()
            Y[7:10] *= (40.0 if hbig else 5.0) / Y[7:10].sum()
            dY, dinc, rc, ck = model.Derivative(t, Y)
            sY, src, sck = slow_derivative(sc, base, t, Y)
            for name, a, b in (("dY", dY, sY), ("counters", rc[:4], src), ("ck", ck, sck)):
                scale = max(np.abs(b).max(), 1e-300)
                err = np.abs(a - b).max() / scale
                worst = max(worst, err)
                if err > 1e-12:
                    check(False, "vectorized vs loop %s at t=%g hbig=%s: rel err %.3g" % (name, t, hbig, err))
                    return
    check(worst <= 1e-12, "vectorized derivative == loop transcription (worst %.3g)" % worst)


# -------------------------------------------------------------- external trips
# One village, no OD, a gate route of two checkpoints: order 1 at the border,
# order 2 at the village, so the outbound walk meets checkpoint 1 first.
EXT_B = (0.5, 0.3)    # block of checkpoint 0 (border), 1 (village side)
EXT_S = (0.25, 0.4)   # screen
EXT_E, EXT_U, EXT_X, EXT_M = 0.1, 0.5, 0.4, 0.5   # essential, travel, per_day, contact


def external_model(prevalence, start, end, pop=1000.0):
    pols = [{"type": "essential_flows", "fraction": EXT_E},
            {"type": "travel_reduction", "multiplier": EXT_U},
            {"type": "gathering_ban", "multiplier": EXT_M}]
    return rm.Model([pop], [], [], [], ck_block=EXT_B, ck_screen=EXT_S, ck_isolate=[0.0, 0.0],
                    ck_start=[0.0, 0.0], ck_end=[math.inf, math.inf], policies=pols,
                    gate_village=[0, 0], gate_order=[1, 2], gate_ck=[0, 1],
                    external=dict(per_day=EXT_X, prevalence=prevalence, start=start, end=end))


def test_external_trips():
    e, (b0, b1), (s0, s1) = EXT_E, EXT_B, EXT_S
    x = EXT_U * EXT_X
    pass_io = e + (1 - e) * (1 - b1) * (1 - b0)
    q_io = 1 - (1 - s1) * (1 - s0)

    # counters: nobody infected, so F stays the population; window [1.125, 3)
    # seen at the RK4 stage times (weights 1/6, 4/6, 1/6 of dt)
    pop, dt, days = 1000.0, 0.25, 5
    m = external_model(0.0, 1.125, 3.0, pop)
    res = rm.Run(m, days, dt)
    w = 0.0
    for n in range(int(round(days / dt))):
        t = n * dt
        for ts, wt in ((t, 1), (t + dt / 2, 4), (t + dt, 1)):
            w += dt * wt / 6 * (1.125 <= ts < 3.0)
    X = x * pop
    mon = [X * (e + (1 - e) * (1 - b1)) + X * pass_io, X + X * pass_io]   # out + back
    tb = [(1 - e) * X * (1 - b1) * b0, (1 - e) * X * b1]
    err = max(abs(res["ck"][0, k] - w * mon[k]) / (w * mon[k]) for k in (0, 1))
    check(err < 1e-12, "external trips: gate monitored = X pass_<m + X pass_io (rel err %.3g)" % err)
    err = max(abs(res["ck"][1, k] - w * tb[k]) / (w * tb[k]) for k in (0, 1))
    check(err < 1e-12, "external trips: gate turned_back = (1-e) X prod b (rel err %.3g)" % err)
    tbs = res["series"][:, 15].sum()
    check(abs(tbs - w * sum(tb)) < 1e-12 * tbs, "external trips: region turned_back %.12g vs %.12g"
          % (tbs, w * sum(tb)))
    check(abs(res["Y"].sum() - pop) < 1e-9 * pop and res["inc"][0] == 0.0,
          "external trips: nobody infected with pi = 0")

    # rates: L_out = beta pi(t) (no contact multiplier), pi before its first day = first share
    m = external_model([[2.0, 0.01], [2.5, 0.03]], 1.0, 3.0)
    I = 10.0
    Y = np.zeros((rm.NC, 1))
    Y[rm.S_] = 990.0
    Y[rm.I_] = I
    worst = 0.0
    for t, pi, on in ((0.5, 0.01, 0), (1.0, 0.01, 1), (2.375, 0.01, 1), (2.5, 0.03, 1),
                      (2.875, 0.03, 1), (3.0, 0.03, 0)):
        R = m.Rates(t, Y)
        p_io = m.d * x * pass_io * on
        L = m.beta * EXT_M * I / 1000.0   # one village: p_ii cancels in I*/N*
        lam = (1 - p_io) * L + p_io * m.beta * pi
        det = m.f * (m.delta + on * x * pass_io * q_io)
        ckd = [m.f * I * x * pass_io * (1 - s1) * s0 * on, m.f * I * x * pass_io * s1 * on]
        worst = max(worst, abs(R["lam"][0] - lam) / lam, abs(R["det"][0] - det) / det,
                    max(abs(R["ck_det"][k] - ckd[k]) for k in (0, 1)) / (m.f * I))
    check(worst < 1e-14, "external trips: lambda, det_i, gate detected in closed form (worst %.3g)"
          % worst)


def test_rk4_order():
    # smooth two-patch problem (no switches crossed): error ratio ~ 16 when dt halves
    def run(dt):
        m = rm.Model([5e4, 2e4], [0, 1], [1, 0], [0.4, 0.2],
                     ck_block=[0.3], ck_screen=[0.5], ck_isolate=[0.0], ck_start=[0.0], ck_end=[math.inf],
                     route_origin=[0], route_dest=[1], route_order=[1], route_ck=[0],
                     policies=[{"type": "essential_flows", "fraction": 0.2}])
        return rm.Run(m, 30, dt, seeds=[(0, 3.0, 2.0)])["Y"]
    y1, y2, y3 = run(0.5), run(0.25), run(0.125)
    e1 = np.abs(y1 - y3).max()
    e2 = np.abs(y2 - y3).max()
    # with err(h) = c h^4: (err(h) - err(h/2)) / (err(h/2) - err(h/4)) = 16, and
    # e1 - e2 ~ err(0.5) - err(0.25) - ..., e2 ~ err(0.25) - err(0.125)
    ratio = (e1 - e2) / max(e2, 1e-300)
    check(10 < ratio < 25, "RK4 order: Richardson ratio %.2f (16 expected)" % ratio)


def test_stochastic(tmp):
    # the chain-binomial scheme is first order in dt: compare at a small dt
    N, seed_i, days, dt = 2e7, 20000.0, 30, 0.01
    m = rm.Model([N], [], [], [], disease=dict(r0=2.0))
    det = rm.Run(m, days, 0.25, seeds=[(0, 0.0, seed_i)])
    rng = np.random.default_rng(3)
    Y, _ = m.InitialState([(0, 0.0, seed_i)])
    Y = np.rint(Y).astype(np.int64)
    region = np.zeros(rm.NRC)
    for step in range(int(round(days / dt))):
        Y = rm.StochasticStep(m, step * dt, Y, dt, rng, region=region)
    check(Y.sum() == N, "stochastic conservation (one patch)")
    dS = det["Y"][0][0]
    rel = abs(Y[0][0] - dS) / (N - dS)
    check(rel < 0.03, "stochastic (dt=0.01) vs deterministic infected-so-far at day %d: rel diff %.3g"
          % (days, rel))
    check(abs(region[0] - (N - seed_i - Y[0][0])) < 1e-6, "stochastic incidence counter")

    # the full case without gates (the checkpoints then count commuters and external trips
    # alone), 15 days at dt 0.25: conservation with imports, no negative counts
    model, meta = load_case(tmp, mutate=drop_gates)
    Y, _ = model.InitialState(meta["seeds"])
    Y = np.rint(Y).astype(np.int64)
    N0 = Y.sum()
    region = np.zeros(rm.NRC)
    ck = np.zeros((3, model.K))
    neg = False
    for step in range(60):
        Y = rm.StochasticStep(model, step * 0.25, Y, 0.25, rng, region=region, ck=ck)
        neg |= bool((Y < 0).any())
    check(not neg, "stochastic case: no negative compartments")
    check(Y.sum() == N0 + region[rm.RC_IMP], "stochastic case: total = N0 + imports (%d, %d + %d)"
          % (Y.sum(), N0, region[rm.RC_IMP]))
    # turned_back = expected checkpoint counters + whole imports turned back at gates
    imp_tb = region[rm.RC_TB] - ck[1].sum()
    check(abs(imp_tb - round(imp_tb)) <= 1e-6 * ck[1].sum() and imp_tb > -0.5 and ck[1].sum() > 0,
          "stochastic case: turned_back = expected checkpoint counters + %d imports" % round(imp_tb))


def main():
    with tempfile.TemporaryDirectory() as tmp:
        test_final_size()
        test_conservation(tmp)
        test_against_slow(tmp)
        test_external_trips()
        test_rk4_order()
        test_stochastic(tmp)
    if FAILS:
        print("%d check(s) failed" % len(FAILS))
        return 1
    print("all reference self-tests passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
