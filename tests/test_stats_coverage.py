"""How often the comparison's 95 % intervals cover the truth, measured on synthetic
experiments with a known answer, at n = 6 (the headline comparison's replications) and
n = 30.

Each synthetic experiment draws n paired replications: a baseline figure that varies a
lot between seeds, and a scenario figure = baseline + a known difference + a small noise
(common random numbers make the pairs close). The coverage is the share of experiments
whose interval holds the known difference (or ratio). Run this file as a script to print
the table: `python tests/test_stats_coverage.py`.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from analysis.stats import fieller, paired

NOMINAL = 0.95
#: The level an honest 95 % interval must reach on these experiments (the Monte Carlo
#: error of 2,000 experiments is about 0.005).
FLOOR = 0.92
EXPERIMENTS = {6: 2000, 30: 2000}
SEED = 20260
DIFF, RATIO = -10.0, 0.8


def coverage_of_difference(n: int, experiments: int, noise: str = "normal",
                           seed: int = SEED) -> tuple[float, str]:
    """Share of `paired` difference intervals holding DIFF; and the method used."""
    rng = np.random.default_rng([seed, n])
    hits, method = 0, ""
    for i in range(experiments):
        base = rng.normal(100, 20, n)
        e = rng.normal(0, 3, n) if noise == "normal" else rng.exponential(3, n) - 3
        c = paired(base, base + DIFF + e, seed=i)
        hits += c.diff_low <= DIFF <= c.diff_high
        method = c.method
    return hits / experiments, method


def coverage_of_log_ratio(n: int, experiments: int, seed: int = SEED) -> float:
    """Share of `paired` ratio intervals (log-t) holding the known geometric ratio."""
    rng = np.random.default_rng([seed, n, 1])
    hits = 0
    for _ in range(experiments):
        base = rng.lognormal(np.log(50), 0.4, n)
        other = base * RATIO * np.exp(rng.normal(0, 0.05, n))
        c = paired(base, other)
        assert c.ratio_method == "log-t"
        hits += c.ratio_low <= RATIO <= c.ratio_high
    return hits / experiments


def coverage_of_fieller(n: int, experiments: int, seed: int = SEED) -> float:
    """Share of Fieller intervals holding the known ratio of means (paired, normal)."""
    rng = np.random.default_rng([seed, n, 2])
    hits = 0
    for _ in range(experiments):
        base = rng.normal(10, 3, n)
        other = RATIO * base + rng.normal(0, 1, n)
        cov = np.cov(base, other, ddof=1) / n
        lo, hi = fieller(base.mean(), other.mean(), cov[0, 0], cov[1, 1], cov[0, 1], n - 1)
        hits += lo <= RATIO <= hi
    return hits / experiments


def coverage_of_old_method(n: int, experiments: int, seed: int = SEED) -> float:
    """The method this replaced: a Shapiro-Wilk pre-test choosing between the t interval
    and a percentile bootstrap, on skewed differences (for the record, not asserted)."""
    rng = np.random.default_rng([seed, n, 3])
    hits = 0
    for i in range(experiments):
        d = DIFF + rng.exponential(3, n) - 3
        if stats.shapiro(d).pvalue >= 0.05:
            lo, hi = stats.t.interval(NOMINAL, n - 1, loc=d.mean(), scale=stats.sem(d))
        else:
            idx = np.random.default_rng(i).integers(0, n, (4000, n))
            lo, hi = np.percentile(d[idx].mean(axis=1), [2.5, 97.5])
        hits += lo <= DIFF <= hi
    return hits / experiments


@pytest.mark.parametrize("n", sorted(EXPERIMENTS))
def test_difference_interval_holds_its_level(n):
    covered, method = coverage_of_difference(n, EXPERIMENTS[n])
    print(f"\ndifference, n = {n}: {method} covers {covered:.3f} of {EXPERIMENTS[n]} "
          "experiments")
    assert method == ("paired-t" if n < 20 else "paired-bca")
    assert covered >= FLOOR
    assert covered <= 0.98  # not an interval made wide to pass


@pytest.mark.parametrize("n", sorted(EXPERIMENTS))
def test_ratio_intervals_hold_their_level(n):
    log_t = coverage_of_log_ratio(n, EXPERIMENTS[n])
    fl = coverage_of_fieller(n, EXPERIMENTS[n])
    print(f"\nratio, n = {n}: log-t covers {log_t:.3f}, Fieller covers {fl:.3f}")
    assert FLOOR <= log_t <= 0.98
    assert FLOOR <= fl <= 0.98


def table() -> list[tuple[str, int, float]]:
    """Every measured coverage, for the record."""
    rows = []
    for n, k in sorted(EXPERIMENTS.items()):
        for noise in ("normal", "skewed"):
            covered, method = coverage_of_difference(n, k, noise)
            rows.append((f"difference, {noise} noise ({method})", n, covered))
        rows.append(("ratio, log-t", n, coverage_of_log_ratio(n, k)))
        rows.append(("ratio, Fieller", n, coverage_of_fieller(n, k)))
        rows.append(("old: Shapiro-Wilk, then t or percentile bootstrap, skewed", n,
                     coverage_of_old_method(n, k)))
    return rows


if __name__ == "__main__":
    print(f"| interval | n | coverage of a nominal {NOMINAL:.0%} interval |")
    print("|---|---:|---:|")
    for name, n, covered in table():
        print(f"| {name} | {n} | {covered:.3f} |")
