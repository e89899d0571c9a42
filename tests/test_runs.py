"""Invariants of a run: determinism, common random numbers, timestamps (no case lost:
test_conservation.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import SMALL, small_run

from analysis.runs import run_point
from simulation.scenario import load

SCENARIOS = ("hierarchy_2011", "flat_2012")


@pytest.mark.parametrize("name", SCENARIOS)
def test_timestamps_in_order(name):
    df = small_run(name).cases
    seq = ["onset_min", "reported_min", "arrived_min", "first_response_min", "resolved_min"]
    for a, b in zip(seq, seq[1:]):
        both = df[a].notna() & df[b].notna()
        assert (df.loc[both, b] >= df.loc[both, a] - 1e-9).all(), (a, b)
    resolved = df["resolved_min"].notna()
    assert df.loc[resolved, "first_response_min"].notna().all()
    assert (df.loc[resolved, "response_min"] <= df.loc[resolved, "resolution_min"]).all()
    unreached = df["status"] == "unreached"
    assert df.loc[unreached, "reported_min"].isna().all()
    ack = df["acknowledged_min"].notna() & df["first_response_min"].notna()
    assert (df.loc[ack, "acknowledged_min"] <= df.loc[ack, "first_response_min"] + 1e-9).all()
    assert (df["onset_min"] < SMALL["days"] * 1440).all()


@pytest.mark.parametrize("name", SCENARIOS)
def test_same_seed_same_results(name):
    scn = load(name)
    a = run_point(scn, SMALL["seed"], SMALL["scale"], 5)
    b = run_point(scn, SMALL["seed"], SMALL["scale"], 5)
    assert a.summary == b.summary
    pd.testing.assert_frame_equal(a.cases, b.cases)
    pd.testing.assert_frame_equal(a.timeseries, b.timeseries)
    c = run_point(scn, SMALL["seed"] + 1, SMALL["scale"], 5)
    assert c.summary != a.summary


NEED_COLS = ["kind", "onset_min", "resident", "x", "y", "domain"]


def test_common_random_numbers_across_structures():
    h, s = small_run("hierarchy_2011").cases, small_run("flat_structure_only").cases
    pd.testing.assert_frame_equal(h[NEED_COLS], s[NEED_COLS])


def test_full_reform_faces_the_same_needs_less_those_prevented():
    h, f = small_run("hierarchy_2011"), small_run("flat_2012")
    hc, fc = h.cases[NEED_COLS], f.cases[NEED_COLS]
    both = hc.merge(fc, how="inner", on=NEED_COLS)
    assert len(both) == len(fc)  # every need of the reform is a need of 2011
    assert len(hc) - len(fc) == f.summary["needs_prevented"] > 0
    missing = hc.merge(fc, how="left", on=NEED_COLS, indicator=True)
    gone = missing[missing["_merge"] == "left_only"]
    assert set(gone["kind"].unique()) <= {"public_order", "dispute"}


def test_scale_samples_residents_but_keeps_the_city_s_load():
    small = small_run("flat_2012")
    assert small.manifest["residents_simulated"] == round(232_000 * SMALL["scale"])
    # every sampled resident carries 1/scale of the needs: about the full city's count
    per_year = small.summary["cases"]["total"] * 365 / SMALL["days"]
    assert 0.5 * 232_000 < per_year < 1.0 * 232_000
    assert small.summary["load"]["office_staff"] == 787 + 810 - 483 - 6 * 24 + 12 + 4 + 17 * 3


def test_structures_differ_where_expected():
    h, f = small_run("hierarchy_2011").summary, small_run("flat_2012").summary
    assert h["channels"].get("hotline", 0) == 0 and f["channels"]["hotline"] > 0
    assert h["channels"].get("grid", 0) == 0 and f["channels"]["grid"] > 0
    assert f["mean_handoffs"] < h["mean_handoffs"]


def test_queue_and_coverage_figures_in_range():
    for name in SCENARIOS:
        s = small_run(name).summary
        for key in ("service_circle_coverage", "patrol_coverage_24h", "visit_coverage",
                    "reach"):
            assert 0.0 <= s[key] <= 1.0
        assert 0.0 <= s["load"]["office_utilisation"] <= 1.0
        assert 0.0 < s["resolved_within_deadline"] <= 1.0
        assert np.isfinite(s["response_time_min"]["median"])
