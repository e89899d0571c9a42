"""The figures of a small run of each structure, pinned. (Which structure does better is
an output of the model, so no test asserts it.)

If this fails after a deliberate model change, rerun `python tests/regression.py` and
commit the new baseline with the reason.
"""

from __future__ import annotations

import json

import pytest
from regression import BASELINE, SCENARIOS, measure


@pytest.fixture(scope="module")
def now():
    return measure()


def test_figures_match_baseline(now):
    base = json.loads(BASELINE.read_text())
    assert base["point"] == now["point"]
    for name in SCENARIOS:
        for key, value in base[name].items():
            assert now[name][key] == pytest.approx(value, rel=1e-9), (
                f"{name}.{key} moved from {value} to {now[name][key]}; if intended, run "
                "`python tests/regression.py` and commit the new baseline")
