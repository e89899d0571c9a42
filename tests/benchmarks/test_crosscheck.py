"""A short cross-check in the default test run: engine and plain Mesa reference agree.

The reference (plain_mesa.py) is an independent, tick-by-tick implementation of the
engine's main path. On a small sample, the engine's median response time and reach must
lie within the 95 % bootstrap interval of the reference's (cases resampled). The full
comparison, over five seeds on a larger sample, is in test_bench_reference.py. If this
fails after a change to the model's main path, change plain_mesa.py to match, or explain.
"""

from __future__ import annotations

import numpy as np
import pytest

from simulation.metrics import case_table
from simulation.model import GovernanceModel

from .agreement import bootstrap_difference
from .plain_mesa import run_reference

SCALE, DAYS, SEED = 0.02, 14, 1


@pytest.mark.parametrize("name", ["flat_2012", "hierarchy_2011"])
def test_engine_and_plain_mesa_agree(name):
    engine = GovernanceModel(name, seed=SEED, scale=SCALE, days=DAYS)
    engine.run()
    df = case_table(engine)
    ref = run_reference(name, seed=SEED, scale=SCALE, days=DAYS)
    eng_resp = df["response_min"].dropna().to_numpy() / 60.0
    ref_resp = np.array([c.first_response - c.onset for c in ref.cases
                         if c.first_response is not None]) / 60.0
    eng_reached = df["reported_min"].notna().to_numpy(float)
    ref_reached = np.array([c.reported is not None for c in ref.cases], float)
    assert len(ref.cases) > 50 and len(df) > 50
    d, lo, hi = bootstrap_difference(eng_resp, ref_resp, np.median)
    assert lo <= 0 <= hi, (f"median response (h): engine {np.median(eng_resp):.1f}, "
                           f"reference {np.median(ref_resp):.1f}, difference {d:.1f} "
                           f"[{lo:.1f}, {hi:.1f}]")
    d, lo, hi = bootstrap_difference(eng_reached, ref_reached, np.mean)
    assert lo <= 0 <= hi, (f"reach: engine {eng_reached.mean():.3f}, reference "
                           f"{ref_reached.mean():.3f}, difference {d:.3f} [{lo:.3f}, {hi:.3f}]")
