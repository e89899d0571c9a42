"""The comparison intervals, checked against scipy on synthetic data with known answers.

How often they cover the truth is measured in tests/test_stats_coverage.py; the
Kaplan-Meier quantiles are checked against scipy.stats.ecdf in tests/test_km.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from analysis.stats import BCA_FROM, bca_interval, fieller, paired, unpaired


def test_paired_t_interval_matches_scipy_and_covers_the_truth():
    rng = np.random.default_rng(1)
    base = rng.normal(100, 20, 30)  # large spread between seeds...
    other = base - 10 + rng.normal(0, 2, 30)  # ...but a small noise around a known -10
    c = paired(base, other, method="t")
    d = other - base
    lo, hi = stats.t.interval(0.95, len(d) - 1, loc=d.mean(), scale=stats.sem(d))
    assert c.method == "paired-t"
    assert c.diff == pytest.approx(d.mean())
    assert (c.diff_low, c.diff_high) == pytest.approx((lo, hi))
    assert c.diff_low < -10 < c.diff_high
    assert not c.inconclusive
    # every value positive: the ratio is the geometric mean of the paired ratios, with a
    # t interval on their logarithms
    logs = np.log(other / base)
    lo, hi = stats.t.interval(0.95, len(d) - 1, loc=logs.mean(), scale=stats.sem(logs))
    assert c.ratio_method == "log-t"
    assert c.ratio == pytest.approx(np.exp(logs.mean()))
    assert (c.ratio_low, c.ratio_high) == pytest.approx((np.exp(lo), np.exp(hi)))
    # pairing matters: the unpaired interval is far wider on the same data
    u = unpaired(base, other)
    assert (u.diff_high - u.diff_low) > 5 * (c.diff_high - c.diff_low)


def test_unpaired_matches_welch():
    rng = np.random.default_rng(2)
    a, b = rng.normal(50, 5, 12), rng.normal(58, 9, 20)
    c = unpaired(a, b)
    ci = stats.ttest_ind(b, a, equal_var=False).confidence_interval(0.95)
    assert c.method == "welch"
    assert (c.diff_low, c.diff_high) == pytest.approx((ci.low, ci.high))
    assert c.diff == pytest.approx(b.mean() - a.mean())


def test_t_interval_below_bca_from_bca_from_there_or_on_request():
    rng = np.random.default_rng(3)
    base = rng.normal(100, 1, 40)
    other = base + rng.exponential(5, 40) ** 2  # heavily skewed, positive
    few = paired(base[:6], other[:6])
    assert few.method == "paired-t"  # no normality pre-test decides at n = 6
    many = paired(base, other)
    assert len(base) >= BCA_FROM and many.method == "paired-bca"
    assert 0 < many.diff_low < many.diff < many.diff_high and not many.inconclusive
    ci = stats.bootstrap((other - base,), np.mean, method="BCa", n_resamples=4000,
                         random_state=np.random.default_rng(0)).confidence_interval
    assert (many.diff_low, many.diff_high) == pytest.approx((ci.low, ci.high))
    asked = paired(base[:6], other[:6], method="bca")
    assert asked.method == "paired-bca"
    assert paired(base[:25], other[:25], method="t").method == "paired-t"
    with pytest.raises(ValueError, match="method"):
        paired(base, other, method="shapiro")
    # BCa corrects for skew: its interval leans to the long tail, unlike t's
    lo, hi = bca_interval(other - base)
    mean = (other - base).mean()
    assert hi - mean > mean - lo


def test_ratio_with_a_zero_uses_fieller():
    base = np.array([0.0, 2.0, 1.0, 3.0, 2.0, 4.0])  # petitions: a zero is possible
    other = np.array([0.0, 1.0, 1.0, 1.0, 0.0, 2.0])
    c = paired(base, other)
    assert c.ratio_method == "fieller"
    assert c.ratio == pytest.approx(other.mean() / base.mean())
    assert c.ratio_low < c.ratio < c.ratio_high
    # Fieller's interval solves (b - r a)^2 = t^2 var(b - r a): check both ends
    n = len(base)
    t = stats.t.ppf(0.975, n - 1)
    for r in (c.ratio_low, c.ratio_high):
        e = other - r * base
        assert e.mean() ** 2 == pytest.approx(t * t * e.var(ddof=1) / n)
    # a baseline that cannot be told from zero has no bounded interval
    lo, hi = fieller(0.1, 1.0, 1.0, 1.0, 0.0, 5)
    assert np.isnan(lo) and np.isnan(hi)


def test_no_difference_is_flagged_inconclusive():
    rng = np.random.default_rng(4)
    base = rng.normal(10, 1, 10)
    other = base + rng.normal(0, 1, 10)
    c = paired(base, other)
    assert c.diff_low < 0 < c.diff_high and c.inconclusive


def test_too_few_replications():
    c = paired(np.array([1.0]), np.array([2.0]))
    assert c.method == "insufficient" and c.inconclusive and np.isnan(c.diff_low)


def test_missing_values_are_dropped_pairwise():
    base = np.array([1.0, 2.0, np.nan, 4.0, 5.0])
    other = np.array([2.0, 3.0, 3.0, np.nan, 6.1])
    c = paired(base, other)
    assert c.n == 3


def test_kaplan_meier_quantiles():
    from simulation.metrics import km_quantiles
    d = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0])
    all_seen = np.ones(10, bool)
    assert km_quantiles(d, all_seen) == [5.0, 9.0]
    # censoring the five longest waits at 10 (still waiting): median stays, p90 unknown
    waits = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 10, 10, 10, 10, 10])
    seen = np.array([True] * 5 + [False] * 5)
    assert km_quantiles(waits, seen) == [5.0, None]
    # dropping the censored cases would have given a median of 3
    assert float(np.median(waits[seen])) == 3.0
