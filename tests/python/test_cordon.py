# SPDX-License-Identifier: Apache-2.0
"""The Python package against the CLI: the same numbers to the bit, errors as
cordon.InputError, threads, progress and Ctrl-C (run by ctest: python_package)."""

import os
import shutil
import signal
import subprocess
import threading
import time

import numpy as np
import pandas as pd
import pytest

import cordon

CORDON = os.environ["CORDON_BIN"]
SAMPLES = os.environ["SAMPLES_DIR"]


@pytest.fixture
def network(tmp_path):
    """A copy of the network sample (network.yaml and its tables) in a fresh folder."""
    shutil.copytree(os.path.join(SAMPLES, "network"), tmp_path / "network")
    shutil.copy(os.path.join(SAMPLES, "network.yaml"), tmp_path / "network.yaml")
    return tmp_path / "network.yaml"


def cli(*args):
    subprocess.run([CORDON, *map(str, args), "-q"], check=True)


def test_run_equals_the_cli_to_the_bit(network, tmp_path):
    cli("run", network, "--out", tmp_path / "cli", "--set", "simulation.daily=csv")
    r = cordon.run(network, set={"simulation.daily": "csv"})
    expected = pd.read_csv(tmp_path / "cli" / "series.csv", float_precision="round_trip")
    pd.testing.assert_frame_equal(r.series, expected, check_exact=True)
    assert r.summary["attack_rate"] == pytest.approx(0.0038271444935221795, rel=0, abs=0)
    assert list(r.villages.columns[:4]) == ["id", "name", "population", "attack_rate"]
    # Every village's daily values: days x villages x columns, as daily.csv holds them.
    daily = pd.read_csv(tmp_path / "cli" / "daily.csv", float_precision="round_trip")
    assert r.daily.shape == (121, 50, len(r.daily_columns))
    s = r.daily_columns.index("S")
    np.testing.assert_array_equal(r.daily[:, :, s].ravel(), daily["S"].to_numpy())
    r.save(tmp_path / "saved")
    for name in ("series.csv", "villages.csv", "checkpoints.csv", "daily.csv"):
        assert (tmp_path / "saved" / name).read_bytes() == (tmp_path / "cli" / name).read_bytes()


def test_daily_values_are_the_engines_buffer_not_a_copy(network, tmp_path):
    r = cordon.run(network, set={"simulation.start_date": "2020-01-15"}, threads=2)
    d = r.daily
    # A view of the buffer the run filled: numpy owns no data; the base is the engine's
    # capsule; read-only (the run's values); every access the same memory.
    assert not d.flags.owndata and not d.flags.writeable
    assert type(d.base).__name__ == "PyCapsule"
    assert r.daily is d and np.shares_memory(r.daily, d)
    s, e = r.daily_columns.index("S"), r.daily_columns.index("E")
    # days x villages x columns by strides over the engine's day-major, column-major layout
    assert d.strides == (d.shape[1] * d.shape[2] * 8, 8, d.shape[1] * 8)
    ds = r.daily_dataset()
    assert ds["S"].dims == ("day", "village")
    assert list(ds["village"].values[:2]) == r.village_ids[:2]
    assert np.shares_memory(ds["S"].values, d) and np.shares_memory(ds["E"].values, d)
    np.testing.assert_array_equal(ds["E"].values, d[:, :, e])
    assert ds["date"].values[10] == np.datetime64("2020-01-25")
    with pytest.raises(ValueError):
        d[0, 0, s] = 1.0
    # A run into a folder of yours writes daily.nc there, as the CLI does, and keeps the
    # values in memory: the same values.
    kept = cordon.run(network, set={"simulation.start_date": "2020-01-15"},
                      out=tmp_path / "kept", daily=True)
    assert (tmp_path / "kept" / "daily.nc").exists()
    np.testing.assert_array_equal(kept.daily, d)
    # The folder opened later reads daily.nc: float32 values, the run's to 7 digits.
    again = cordon.Result.open(tmp_path / "kept")
    assert again.daily_columns == r.daily_columns and again.village_ids == r.village_ids
    np.testing.assert_array_equal(again.daily, d.astype(np.float32))
    assert again.daily_dataset()["date"].values[10] == np.datetime64("2020-01-25")


def test_daily_nc_is_cf_netcdf_for_xarray_and_gdal(network, tmp_path):
    import xarray
    cli("run", network, "--out", tmp_path / "cli", "--set", "simulation.start_date=2020-01-15")
    r = cordon.run(network, set={"simulation.start_date": "2020-01-15"})
    with xarray.open_dataset(tmp_path / "cli" / "daily.nc") as ds:
        # Dates from start_date, villages by id, a variable per column, lon/lat coordinates.
        assert ds["time"].values[10] == np.datetime64("2020-01-25")
        assert list(ds["day"].values[:3]) == [0, 1, 2]
        assert list(ds["village"].values) == r.village_ids
        assert ds["S"].dims == ("time", "village") and ds["S"].attrs["units"] == "persons"
        assert ds["incidence"].attrs["cell_methods"] == "time: sum"
        assert abs(float(ds["lon"][0]) - 98.9) < 1.0 and abs(float(ds["lat"][0]) - 28.4) < 1.0
        assert ds.attrs["Conventions"] == "CF-1.8"
        for k, c in enumerate(r.daily_columns):
            np.testing.assert_array_equal(ds[c].values, r.daily[:, :, k].astype(np.float32))
    info = subprocess.run(["gdalinfo", str(tmp_path / "cli" / "daily.nc")], check=True,
                          capture_output=True, text=True).stdout
    assert "Conventions=CF-1.8" in info and ':incidence' in info
    # save() of an in-memory run writes the same file.
    r.save(tmp_path / "saved")
    with xarray.open_dataset(tmp_path / "saved" / "daily.nc") as saved:
        np.testing.assert_array_equal(saved["I"].values, r.daily[:, :, r.daily_columns.index("I")]
                                      .astype(np.float32))


def test_a_seeded_ensemble_equals_the_cli(network, tmp_path):
    settings = {"simulation.mode": "stochastic", "simulation.runs": 6, "simulation.seed": 9}
    cli("run", network, "--out", tmp_path / "cli", *[x for k, v in settings.items()
                                                     for x in ("--set", "%s=%s" % (k, v))])
    r = cordon.run(network, set=settings, threads=2)
    expected = pd.read_csv(tmp_path / "cli" / "series.csv", float_precision="round_trip")
    pd.testing.assert_frame_equal(r.series, expected, check_exact=True)
    assert len(r.runs) == 6
    assert r.summary["flows"]["incidence"]["total_q95"] >= r.summary["flows"]["incidence"]["total_q05"]


def test_threads_give_the_same_bits(network):
    one = cordon.run(network, threads=1, daily=False)
    two = cordon.run(network, threads=2, daily=False)
    pd.testing.assert_frame_equal(one.series, two.series, check_exact=True)


def test_dates_are_datetimes(network):
    r = cordon.run(network, set={"simulation.start_date": "2020-01-15"}, daily=False)
    assert r.series["date"].dtype.kind == "M"
    assert r.series["date"].iloc[10] == pd.Timestamp("2020-01-25")


def test_bad_input_is_an_input_error_naming_it(network, tmp_path):
    missing = tmp_path / "nowhere.yaml"
    with pytest.raises(cordon.InputError, match="nowhere.yaml"):
        cordon.run(missing)
    with pytest.raises(ValueError, match="disease.r1"):
        cordon.run(network, set={"disease.r1": 3})
    with pytest.raises(cordon.InputError, match="nowhere.yaml"):
        cordon.Scenario.load(missing)


def test_scenario_edits_round_trip(network, tmp_path):
    s = cordon.Scenario.load(network).set("disease.r0", 3).set("policies[3].beds", 40)
    written = tmp_path / "edited.yaml"
    written.write_text(s.to_yaml(tmp_path))
    a = cordon.run(s, daily=False)
    b = cordon.run(written, daily=False)
    pd.testing.assert_frame_equal(a.series, b.series, check_exact=True)
    assert a.summary["beds"] == 40
    with pytest.raises(cordon.InputError):
        s.set("policies[9].beds", 1)


def test_models_are_data():
    seir = cordon.Model.load("seir")
    assert [c["name"] for c in seir.compartments] == ["S", "E", "I", "R"]
    assert "r0" in [p["name"] for p in seir.parameters]
    assert [f["name"] for f in seir.flows if f["infections"]] == ["incidence"]
    assert not seir.reinfection


def test_sweep_compare_and_calibrate_give_tables(network, tmp_path):
    (tmp_path / "grid.yaml").write_text(
        "base: network.yaml\nvary:\n  disease.r0: [2, 3]\n")
    points = cordon.sweep(tmp_path / "grid.yaml", threads=2)
    assert list(points["disease.r0"]) == [2, 3]
    assert points["attack_rate_mean"].iloc[1] > points["attack_rate_mean"].iloc[0]
    table = cordon.compare([network, network], labels=["as planned", "again"])
    assert list(table["metric"])[:2] == ["attack_rate", "peak_day"]
    assert (table["again_minus_as planned"].fillna(0) == 0).all()
    # The run's own series.csv is an observation file as it is.
    cli("run", network, "--out", tmp_path / "truth")
    (tmp_path / "fit.yaml").write_text(
        "scenario: network.yaml\nset: {disease.r0: 2}\nobservations:\n"
        "  - {csv: truth/series.csv, flow: incidence, window: [1, 60]}\n"
        "parameters:\n  - {key: disease.r0, low: 1.5, high: 4}\nmethod: {name: mle, starts: 2}\n")
    fit = cordon.calibrate(tmp_path / "fit.yaml", threads=2)
    r0 = fit.posterior.set_index("parameter").loc["disease.r0"]
    assert r0["median"] == pytest.approx(2.38, rel=1e-3)
    assert len(fit.fit) == 60


def test_progress_reports_and_its_errors_stop_the_call(network):
    seen = []
    cordon.run(network, set={"simulation.mode": "stochastic", "simulation.runs": 4},
               progress=lambda done, total: seen.append((done, total)), daily=False)
    assert seen and seen[-1] == (4, 4)

    def fail(done, total):
        raise RuntimeError("stopped by the callback")
    with pytest.raises(RuntimeError, match="stopped by the callback"):
        cordon.run(network, set={"simulation.mode": "stochastic", "simulation.runs": 8},
                   progress=fail, daily=False)


def test_ctrl_c_stops_a_long_run(network):
    # A long deterministic run; SIGINT from another thread while the engine runs.
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
    start = time.monotonic()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        cordon.run(network, set={"simulation.days": 100000, "simulation.dt": 1}, daily=False)
    timer.cancel()
    assert time.monotonic() - start < 30
    # Python's own handler is back.
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
