"""Comparing two scenarios' figures across replications, with honest intervals.

Common random numbers pair replication r of every scenario (same seed, same residents,
same needs), so the comparison works on paired differences: a t interval on the mean
difference when the differences look normal, a percentile bootstrap of pairs when they do
not (or are few and skewed). Without pairing (different seeds or counts), Welch's
unpaired interval. The ratio's interval always comes from the bootstrap.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
from scipy import stats

CONFIDENCE = 0.95
BOOTSTRAP_SAMPLES = 4000
NORMALITY_ALPHA = 0.05


@dataclass
class Comparison:
    """One figure of one scenario against the baseline.

    Attributes:
        n: replications used (pairs when paired).
        baseline_mean, other_mean: means over replications.
        diff: other - baseline (mean of paired differences when paired).
        diff_low, diff_high: its confidence interval.
        ratio: other_mean / baseline_mean (NaN if the baseline mean is 0).
        ratio_low, ratio_high: bootstrap interval of the ratio.
        method: "paired-t", "paired-bootstrap", "welch" or "insufficient".
        inconclusive: the interval includes 0 (cannot tell the direction), or too few
            replications to compute one.
    """

    n: int
    baseline_mean: float
    other_mean: float
    diff: float
    diff_low: float
    diff_high: float
    ratio: float
    ratio_low: float
    ratio_high: float
    method: str
    inconclusive: bool

    def to_dict(self) -> dict:
        return asdict(self)


def _ratio(a: float, b: float) -> float:
    return b / a if a != 0 else math.nan


def looks_normal(values: np.ndarray) -> bool:
    """Shapiro-Wilk does not reject normality (3 or more values, not all equal)."""
    if len(values) < 3 or np.ptp(values) == 0:
        return True
    return bool(stats.shapiro(values).pvalue >= NORMALITY_ALPHA)


def paired(baseline: np.ndarray, other: np.ndarray, seed: int = 0,
           confidence: float = CONFIDENCE) -> Comparison:
    """Compare paired replications (element i of each array shares a seed)."""
    a = np.asarray(baseline, float)
    b = np.asarray(other, float)
    keep = np.isfinite(a) & np.isfinite(b)
    a, b = a[keep], b[keep]
    n = len(a)
    if n < 2:
        return _insufficient(a, b, n)
    d = b - a
    mean_d = float(d.mean())
    if looks_normal(d):
        if np.ptp(d) == 0:
            lo = hi = mean_d
        else:
            lo, hi = stats.t.interval(confidence, n - 1, loc=mean_d, scale=stats.sem(d))
        method = "paired-t"
    else:
        lo, hi = _bootstrap_ci(lambda idx: (b[idx] - a[idx]).mean(axis=1), n, seed,
                               confidence)
        method = "paired-bootstrap"
    r_lo, r_hi = _bootstrap_ci(lambda idx: b[idx].mean(axis=1) / a[idx].mean(axis=1), n,
                               seed + 1, confidence)
    return Comparison(n, float(a.mean()), float(b.mean()), mean_d, float(lo), float(hi),
                      _ratio(a.mean(), b.mean()), r_lo, r_hi, method,
                      bool(lo <= 0 <= hi) and not (lo == hi == 0))


def unpaired(baseline: np.ndarray, other: np.ndarray, seed: int = 0,
             confidence: float = CONFIDENCE) -> Comparison:
    """Welch's interval for two independent samples (no pairing)."""
    a = np.asarray(baseline, float)
    b = np.asarray(other, float)
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    if len(a) < 2 or len(b) < 2:
        return _insufficient(a, b, min(len(a), len(b)))
    res = stats.ttest_ind(b, a, equal_var=False)
    ci = res.confidence_interval(confidence)
    diff = float(b.mean() - a.mean())
    lo, hi = (float(ci.low), float(ci.high)) if np.isfinite(ci.low) else (diff, diff)
    rng = np.random.default_rng(seed)
    ia = rng.integers(0, len(a), (BOOTSTRAP_SAMPLES, len(a)))
    ib = rng.integers(0, len(b), (BOOTSTRAP_SAMPLES, len(b)))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = b[ib].mean(axis=1) / a[ia].mean(axis=1)
    r_lo, r_hi = _percentiles(ratios, confidence)
    return Comparison(min(len(a), len(b)), float(a.mean()), float(b.mean()), diff, lo, hi,
                      _ratio(a.mean(), b.mean()), r_lo, r_hi, "welch",
                      bool(lo <= 0 <= hi) and not (lo == hi == 0))


def _bootstrap_ci(statistic, n: int, seed: int, confidence: float) -> tuple[float, float]:
    idx = np.random.default_rng(seed).integers(0, n, (BOOTSTRAP_SAMPLES, n))
    with np.errstate(divide="ignore", invalid="ignore"):
        return _percentiles(statistic(idx), confidence)


def _percentiles(values: np.ndarray, confidence: float) -> tuple[float, float]:
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return math.nan, math.nan
    tail = (1 - confidence) / 2 * 100
    lo, hi = np.percentile(values, [tail, 100 - tail])
    return float(lo), float(hi)


def _insufficient(a: np.ndarray, b: np.ndarray, n: int) -> Comparison:
    am = float(a.mean()) if len(a) else math.nan
    bm = float(b.mean()) if len(b) else math.nan
    return Comparison(n, am, bm, bm - am, math.nan, math.nan, _ratio(am, bm), math.nan,
                      math.nan, "insufficient", True)
