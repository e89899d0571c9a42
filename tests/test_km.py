"""Kaplan-Meier quantiles of the response time (simulation.metrics.km_quantiles) against
scipy.stats.ecdf on right-censored data.

A need still waiting for its first response when a run ends is censored at its wait so
far. The q-quantile is the smallest time t at which the Kaplan-Meier survival S(t) is at
most 1 - q; none if S never gets there (too many needs still waiting).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from simulation.metrics import km_quantiles

QUANTILES = (0.25, 0.5, 0.75, 0.9)


def scipy_quantiles(durations: np.ndarray, observed: np.ndarray,
                    quantiles: tuple[float, ...] = QUANTILES) -> list[float | None]:
    """The same quantiles from scipy's Kaplan-Meier estimate of the survival function."""
    data = stats.CensoredData(uncensored=durations[observed], right=durations[~observed])
    sf = stats.ecdf(data).sf
    out = []
    for q in quantiles:
        below = np.flatnonzero(sf.probabilities <= 1.0 - q + 1e-12)
        out.append(float(sf.quantiles[below[0]]) if len(below) else None)
    return out


def case(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Waits of 5 to 400 needs: exponential, some censored (still waiting at the end of
    the run), every other case rounded to whole minutes so events and censorings tie."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 400))
    wait = rng.exponential(rng.uniform(10, 600), n)
    end = rng.uniform(0.3, 3.0) * np.median(wait) * 2  # the run ends: later waits censored
    started = rng.uniform(0, end, n)  # when each need arose
    observed = started + wait <= end
    durations = np.where(observed, wait, end - started)
    if seed % 2:
        durations = np.round(durations)
    return durations, observed


@pytest.mark.parametrize("seed", range(24))
def test_km_quantiles_match_scipy_ecdf(seed):
    durations, observed = case(seed)
    assert observed.any() and (~observed).any()  # both kinds of case in every sample
    ours = km_quantiles(durations, observed, QUANTILES)
    theirs = scipy_quantiles(durations, observed)
    for q, a, b in zip(QUANTILES, ours, theirs):
        assert (a is None) == (b is None), (q, a, b)
        if a is not None:
            assert a == pytest.approx(b), q


def test_heavy_censoring_leaves_upper_quantiles_unknown():
    durations = np.array([1.0, 2.0, 3.0, 50.0, 50.0, 50.0, 50.0, 50.0, 50.0, 50.0])
    observed = np.array([True, True, True] + [False] * 7)
    assert km_quantiles(durations, observed, (0.25, 0.5)) == [3.0, None]
    assert scipy_quantiles(durations, observed, (0.25, 0.5)) == [3.0, None]


def test_ties_between_events_and_censorings():
    # at t = 4 one need is answered and one is censored: the censored one is still at risk
    durations = np.array([2.0, 4.0, 4.0, 6.0, 8.0])
    observed = np.array([True, True, False, True, True])
    assert km_quantiles(durations, observed, QUANTILES) == scipy_quantiles(durations,
                                                                           observed)
