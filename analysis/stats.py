"""Comparing two scenarios' figures across replications, with intervals that hold at small n.

Common random numbers pair replication r of every scenario (same seed, same residents,
same needs), so the comparison works on paired differences:

* **difference**: the paired t interval on the mean difference by default. From
  `BCA_FROM` pairs on (or when asked, `method="bca"`), a BCa bootstrap of the mean
  difference (`scipy.stats.bootstrap(..., method="BCa")`). There is no normality
  pre-test: at n = 6 a Shapiro-Wilk test cannot tell skewed from normal, and the
  percentile bootstrap it chose under-covers at that size; the t interval holds
  its level far better there (tests/test_stats_coverage.py measures both methods).
* **ratio** (scenario / baseline): when every value is positive, a t interval on the
  paired log ratios, log(scenario / baseline), taken back with exp: it estimates the
  geometric mean of the paired ratios and holds at n = 6 when the ratios are roughly
  log-normal. When a value is zero or negative (a count of petitions that is 0), the
  ratio of the means with Fieller's interval, which allows for the variance and
  covariance of both means; when the baseline mean cannot be told from 0, the interval
  is unbounded and is reported as missing (NaN).

Without pairing (different seeds or counts), Welch's unpaired interval for the
difference, and the same two ratio methods on independent samples.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
from scipy import stats

CONFIDENCE = 0.95
#: Pairs from which the automatic choice uses the BCa bootstrap for the difference.
BCA_FROM = 20
BOOTSTRAP_SAMPLES = 4000
METHODS = ("auto", "t", "bca")


@dataclass
class Comparison:
    """One figure of one scenario against the baseline.

    Attributes:
        n: replications used (pairs when paired).
        baseline_mean, other_mean: means over replications.
        diff: other - baseline (mean of paired differences when paired).
        diff_low, diff_high: its confidence interval.
        ratio: other / baseline: the geometric mean of the paired ratios ("log-t"), or
            the ratio of the means ("fieller"); NaN if it cannot be formed.
        ratio_low, ratio_high: its confidence interval (NaN when unbounded).
        method: "paired-t", "paired-bca", "welch" or "insufficient".
        ratio_method: "log-t", "fieller" or "none".
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
    ratio_method: str = "none"

    def to_dict(self) -> dict:
        return asdict(self)


def t_interval(values: np.ndarray, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Student's t interval for the mean of `values` (a point if they are all equal)."""
    mean = float(np.mean(values))
    if np.ptp(values) == 0:
        return mean, mean
    lo, hi = stats.t.interval(confidence, len(values) - 1, loc=mean, scale=stats.sem(values))
    return float(lo), float(hi)


def bca_interval(values: np.ndarray, seed: int = 0,
                 confidence: float = CONFIDENCE) -> tuple[float, float]:
    """BCa bootstrap interval for the mean of `values` (a point if they are all equal)."""
    if np.ptp(values) == 0:
        return float(values[0]), float(values[0])
    res = stats.bootstrap((values,), np.mean, confidence_level=confidence,
                          n_resamples=BOOTSTRAP_SAMPLES, method="BCa",
                          random_state=np.random.default_rng(seed))
    return float(res.confidence_interval.low), float(res.confidence_interval.high)


def paired(baseline: np.ndarray, other: np.ndarray, seed: int = 0,
           confidence: float = CONFIDENCE, method: str = "auto") -> Comparison:
    """Compare paired replications (element i of each array shares a seed).

    Args:
        baseline, other: the figure in each replication; pairs with a missing value
            (NaN) are dropped.
        seed: seed of the bootstrap (BCa only).
        confidence: level of the intervals.
        method: "auto" (t below `BCA_FROM` pairs, BCa from there), "t" or "bca".
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    a, b = _finite_pairs(baseline, other)
    n = len(a)
    if n < 2:
        return _insufficient(a, b, n)
    d = b - a
    use_bca = method == "bca" or (method == "auto" and n >= BCA_FROM)
    lo, hi = bca_interval(d, seed, confidence) if use_bca else t_interval(d, confidence)
    ratio, r_lo, r_hi, ratio_method = _paired_ratio(a, b, confidence)
    return Comparison(n, float(a.mean()), float(b.mean()), float(d.mean()), lo, hi, ratio,
                      r_lo, r_hi, "paired-bca" if use_bca else "paired-t",
                      _inconclusive(lo, hi), ratio_method)


def unpaired(baseline: np.ndarray, other: np.ndarray, seed: int = 0,
             confidence: float = CONFIDENCE) -> Comparison:
    """Welch's interval for two independent samples (no pairing)."""
    a = np.asarray(baseline, float)
    b = np.asarray(other, float)
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    if len(a) < 2 or len(b) < 2:
        return _insufficient(a, b, min(len(a), len(b)))
    diff = float(b.mean() - a.mean())
    if np.ptp(a) == 0 and np.ptp(b) == 0:
        lo = hi = diff
    else:
        ci = stats.ttest_ind(b, a, equal_var=False).confidence_interval(confidence)
        lo, hi = float(ci.low), float(ci.high)
    ratio, r_lo, r_hi, ratio_method = _unpaired_ratio(a, b, confidence)
    return Comparison(min(len(a), len(b)), float(a.mean()), float(b.mean()), diff, lo, hi,
                      ratio, r_lo, r_hi, "welch", _inconclusive(lo, hi), ratio_method)


def fieller(mean_a: float, mean_b: float, var_a: float, var_b: float, cov: float,
            df: float, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Fieller's interval for mean_b / mean_a, given the variances of the two means and
    their covariance; (NaN, NaN) when the interval is unbounded (mean_a not told from 0).
    """
    t = stats.t.ppf(0.5 + confidence / 2, df)
    if mean_a == 0 or var_a < 0:
        return math.nan, math.nan
    g = t * t * var_a / (mean_a * mean_a)
    if g >= 1:
        return math.nan, math.nan
    r = mean_b / mean_a
    centre = r - g * cov / var_a if var_a > 0 else r
    spread = var_b - 2 * r * cov + r * r * var_a - g * (var_b - cov * cov / var_a
                                                         if var_a > 0 else 0.0)
    half = t / abs(mean_a) * math.sqrt(max(spread, 0.0))
    lo, hi = (centre - half) / (1 - g), (centre + half) / (1 - g)
    return float(min(lo, hi)), float(max(lo, hi))


def _paired_ratio(a: np.ndarray, b: np.ndarray,
                  confidence: float) -> tuple[float, float, float, str]:
    n = len(a)
    if (a > 0).all() and (b > 0).all():
        logs = np.log(b / a)
        lo, hi = t_interval(logs, confidence)
        return float(np.exp(logs.mean())), math.exp(lo), math.exp(hi), "log-t"
    if a.mean() == 0:
        return math.nan, math.nan, math.nan, "none"
    cov = np.cov(a, b, ddof=1) / n
    lo, hi = fieller(a.mean(), b.mean(), cov[0, 0], cov[1, 1], cov[0, 1], n - 1, confidence)
    return float(b.mean() / a.mean()), lo, hi, "fieller"


def _unpaired_ratio(a: np.ndarray, b: np.ndarray,
                    confidence: float) -> tuple[float, float, float, str]:
    if (a > 0).all() and (b > 0).all():
        la, lb = np.log(a), np.log(b)
        ratio = float(np.exp(lb.mean() - la.mean()))
        if np.ptp(la) == 0 and np.ptp(lb) == 0:
            return ratio, ratio, ratio, "log-t"
        ci = stats.ttest_ind(lb, la, equal_var=False).confidence_interval(confidence)
        return ratio, math.exp(ci.low), math.exp(ci.high), "log-t"
    if a.mean() == 0:
        return math.nan, math.nan, math.nan, "none"
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    df = _welch_df(va, vb, len(a), len(b))
    lo, hi = fieller(a.mean(), b.mean(), va, vb, 0.0, df, confidence)
    return float(b.mean() / a.mean()), lo, hi, "fieller"


def _welch_df(va: float, vb: float, na: int, nb: int) -> float:
    """Welch-Satterthwaite degrees of freedom from the variances of two means."""
    if va + vb == 0:
        return float(min(na, nb) - 1)
    return (va + vb) ** 2 / (va * va / (na - 1) + vb * vb / (nb - 1))


def _finite_pairs(baseline: np.ndarray, other: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a = np.asarray(baseline, float)
    b = np.asarray(other, float)
    keep = np.isfinite(a) & np.isfinite(b)
    return a[keep], b[keep]


def _inconclusive(lo: float, hi: float) -> bool:
    return bool(lo <= 0 <= hi) and not (lo == hi == 0)


def _insufficient(a: np.ndarray, b: np.ndarray, n: int) -> Comparison:
    am = float(a.mean()) if len(a) else math.nan
    bm = float(b.mean()) if len(b) else math.nan
    ratio = bm / am if am not in (0.0,) and math.isfinite(am) else math.nan
    return Comparison(n, am, bm, bm - am, math.nan, math.nan, ratio, math.nan, math.nan,
                      "insufficient", True)
