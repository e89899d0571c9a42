"""Do two models agree on a figure? Confidence intervals over seeds or over cases."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import stats


def mean_ci(values: Sequence[float], level: float = 0.95) -> tuple[float, float, float]:
    """Mean of per-seed values and its t-interval: (mean, low, high)."""
    v = np.asarray(values, float)
    m = float(v.mean())
    if len(v) < 2:
        return m, math.nan, math.nan
    half = stats.t.ppf(0.5 + level / 2, len(v) - 1) * v.std(ddof=1) / math.sqrt(len(v))
    return m, m - half, m + half


def compare_seeds(engine: Sequence[float], reference: Sequence[float],
                  level: float = 0.95) -> dict[str, object]:
    """Compare per-seed figures of two models.

    Returns:
        Each model's mean and interval, whether the intervals overlap, and the Welch
        interval of the difference (reference - engine) and whether it contains 0.
    """
    e, r = np.asarray(engine, float), np.asarray(reference, float)
    me, lo_e, hi_e = mean_ci(e, level)
    mr, lo_r, hi_r = mean_ci(r, level)
    ve, vr = e.var(ddof=1) / len(e), r.var(ddof=1) / len(r)
    se = math.sqrt(ve + vr)
    dof = (ve + vr) ** 2 / (ve**2 / (len(e) - 1) + vr**2 / (len(r) - 1)) if se > 0 else 1.0
    half = stats.t.ppf(0.5 + level / 2, dof) * se
    diff = mr - me
    return {
        "engine": [me, lo_e, hi_e], "reference": [mr, lo_r, hi_r],
        "intervals_overlap": bool(lo_e <= hi_r and lo_r <= hi_e),
        "difference": [diff, diff - half, diff + half],
        "difference_contains_0": bool(diff - half <= 0 <= diff + half),
    }


def bootstrap_difference(a: Sequence[float], b: Sequence[float], statistic=np.median,
                         n_boot: int = 2000, level: float = 0.95,
                         seed: int = 0) -> tuple[float, float, float]:
    """statistic(b) - statistic(a) and its percentile bootstrap interval (cases resampled)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    rng = np.random.default_rng(seed)
    ia = rng.integers(0, len(a), (n_boot, len(a)))
    ib = rng.integers(0, len(b), (n_boot, len(b)))
    d = statistic(b[ib], axis=1) - statistic(a[ia], axis=1)
    lo, hi = np.quantile(d, [(1 - level) / 2, (1 + level) / 2])
    return float(statistic(b) - statistic(a)), float(lo), float(hi)
