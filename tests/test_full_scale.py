"""Full-scale runs as the issue's "done when" asks (slow: run with `pytest -m slow`)."""

from __future__ import annotations

import json

import pytest
from conftest import cli

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("name", ["flat_2012", "hierarchy_2011"])
def test_full_scale_week(tmp_path, name):
    out = tmp_path / name
    r = cli("run", name, "--days", "7", "--seed", "1", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "Response time, median (h)" in r.stdout
    s = json.loads((out / "summary.json").read_text())
    m = json.loads((out / "manifest.json").read_text())
    assert m["residents_simulated"] == 232_000
    assert s["cases"]["total"] > 2_000
    import pandas as pd
    cases = pd.read_parquet(out / "cases.parquet")
    hops = pd.read_parquet(out / "hops.parquet")
    reported = set(cases.loc[cases["reported_min"].notna(), "case"])
    assert reported and reported <= set(hops["case"])
    assert 0 < s["load"]["utilisation"]["community"]["all"] < 1
    assert len(pd.read_parquet(out / "timeseries.parquet")) == 7 * 24 + 1


def test_main_job_prints_both_structures(tmp_path):
    r = cli()
    assert r.returncode == 0, r.stderr
    assert "hierarchy_2011" in r.stdout and "flat_2012" in r.stdout
    assert "Response time, median (h)" in r.stdout
