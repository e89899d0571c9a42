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
    c = s["cases"]
    assert c["resolved"] + c["in_progress"] + c["unreached"] == c["total"] > 2_000
    assert (out / "cases.parquet").stat().st_size > 0
    assert (out / "timeseries.parquet").stat().st_size > 0


def test_main_job_prints_both_structures(tmp_path):
    r = cli()
    assert r.returncode == 0, r.stderr
    assert "hierarchy_2011" in r.stdout and "flat_2012" in r.stdout
    assert "Response time, median (h)" in r.stdout
