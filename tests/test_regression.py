"""The direction of the headline result, and its figures, pinned on a small run.

If this fails after a deliberate model change, rerun `python tests/regression.py` and
commit the new baseline with the reason.
"""

from __future__ import annotations

import json

import pytest
from regression import BASELINE, measure


@pytest.fixture(scope="module")
def now():
    return measure()


def test_flat_responds_faster_and_reaches_more(now):
    h, f = now["hierarchy_2011"], now["flat_2012"]
    assert f["response_median_min"] < 0.5 * h["response_median_min"]
    assert f["response_p90_min"] < h["response_p90_min"]
    assert f["resolution_median_min"] < h["resolution_median_min"]
    assert f["reach"] > h["reach"]
    assert f["service_circle_coverage"] >= h["service_circle_coverage"]
    assert f["visit_coverage"] >= h["visit_coverage"]


def test_figures_match_baseline(now):
    base = json.loads(BASELINE.read_text())
    assert base["point"] == now["point"]
    for name in ("hierarchy_2011", "flat_2012"):
        for key, value in base[name].items():
            assert now[name][key] == pytest.approx(value, rel=1e-9), (
                f"{name}.{key} moved from {value} to {now[name][key]}; if intended, run "
                "`python tests/regression.py` and commit the new baseline")
