#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Self-tests of the numpy reference model against mathematics (exit 1 on failure).

1. one-patch SEIR, no detection, no imports, tiny seed: the attack rate at a
   long horizon solves the final-size equation z = 1 - exp(-R0 z) (1e-4);
2. population conservation without imports (1e-9 relative), and with
   imports: total(t) = total(0) + imported persons;
3. counter bookkeeping: series turned_back = sum of checkpoint turned_back,
   cumulative incidence + seeds = sum_i attack_rate_i * population_i;
4. the vectorized derivative equals a slow loop-over-pairs transcription of
   docs/model.md (dense p matrix, checkpoints walked route by route) read
   straight from the case's CSVs, at random states and switch times;
5. RK4 is 4th order on a scenario without switches;
6. the stochastic tau-leap stepper tracks the deterministic solution for a
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
    check(abs(cum_imp[-1] - exp_imp) < 1e-9 * exp_imp,
          "imported persons %.12g vs stage-weighted %.12g" % (cum_imp[-1], exp_imp))
    tb = ser[:, 15].sum()
    ck_tb = res["ck"][1].sum()
    check(abs(tb - ck_tb) <= 1e-9 * ck_tb and tb > 0,
          "series turned_back %.10g == sum checkpoints %.10g" % (tb, ck_tb))
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
    for i in range(P):
        p[i, i] = 1 - p[i].sum()
    Ist = p.T @ I + eh * Ih + ec * Ic + eH * H
    Nst = p.T @ F + eh * (Sh + Eh + Ih) + ec * (Sc + Ec + Ic) + eH * H
    L = np.where(Nst > 0, beta * m * Ist / np.where(Nst > 0, Nst, 1), 0)
    lam = p @ L
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
    cs = min(cc, 1 - ch)
    hs = ch + (0 if ac else cs)
    cs2 = cs if ac else 0
    fs = 1 - ch - cs
    dY = np.zeros_like(Y)
    dY[0] = -lam * S + omega * (Sh + Sc) + fs * iS
    dY[1] = lam * S - sigma * E + omega * (Eh + Ec) + fs * iE
    dY[2] = sigma * E - gamma * I - det * I + fs * iI
    dY[3] = gamma * (I + Ih + Ic) + gH * H
    dY[4] = -eh * L * Sh - omega * Sh + hs * iS
    dY[5] = eh * L * Sh - (sigma + omega) * Eh + hs * iE
    dY[6] = sigma * Eh - gamma * Ih - a * f * dq * Ih + (1 - a) * det * I + hs * iI
    dY[7] = -ec * L * Sc - omega * Sc + cs2 * iS
    dY[8] = ec * L * Sc - (sigma + omega) * Ec + cs2 * iE
    dY[9] = sigma * Ec - gamma * Ic - a * f * dq * Ic + cs2 * iI
    dY[10] = a * (det * I + f * dq * (Ih + Ic)) - gH * H
    rc = np.array([(lam * S + eh * L * Sh + ec * L * Sc).sum(),
                   (det * I).sum() + a * f * dq * (Ih + Ic).sum(),
                   (iS + iE + iI).sum(), tb.sum()])
    return dY, rc, np.stack([mon, tb, dk])


def test_against_slow(tmp):
    model, meta = load_case(tmp)
    base = os.path.join(tmp, "case")
    with open(os.path.join(base, "variant.yaml")) as fh:
        sc = yaml.safe_load(fh)
    rng = np.random.default_rng(7)
    P = model.P
    worst = 0.0
    for t in (0.0, 2.5, 3.25, 5.5, 7.25, 7.5, 10.125, 12.3, 20.125, 20.5, 30.375, 35.5, 45.7, 59.875):
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

    # the full case, 15 days at dt 0.25: conservation with imports, no negative counts
    model, meta = load_case(tmp)
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
    check(abs(region[rm.RC_TB] - ck[1].sum()) <= 1e-9 * ck[1].sum() and ck[1].sum() > 0,
          "stochastic case: turned_back = expected checkpoint counters")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        test_final_size()
        test_conservation(tmp)
        test_against_slow(tmp)
        test_rk4_order()
        test_stochastic(tmp)
    if FAILS:
        print("%d check(s) failed" % len(FAILS))
        return 1
    print("all reference self-tests passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
