"""Every scenario of a batch against a baseline, figure by figure, paired by replication."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.labels import COMPARED, FIGURES, Figure, figure, present
from analysis.stats import paired, unpaired
from simulation.parameters import iter_params
from simulation.scenario import ScenarioError

__all__ = ["FIGURES", "compare_runs", "format_comparison", "sweep_columns", "verdict"]

#: Every scenario parameter's dotted key: a runs table's swept columns are among them.
PARAMETER_KEYS = frozenset(k for k, _ in iter_params())
IDENTITY = ("run_id", "scenario", "replication", "seed", "days", "scale", "status", "error",
            "wall_time_s", "started_utc", "host", "scenario_sha256", "residents_simulated")


def sweep_columns(runs: pd.DataFrame) -> list[str]:
    """Columns of swept keys (they are dotted parameter names, not figures)."""
    return [c for c in runs.columns if c in PARAMETER_KEYS]


def compare_runs(runs: pd.DataFrame, baseline: str,
                 figures: tuple[str, ...] = COMPARED) -> pd.DataFrame:
    """The comparison table: one row per scenario, swept values and figure.

    Replications pair when both scenarios ran them with the same seed (common random
    numbers); a scenario whose seeds do not match the baseline's is compared unpaired.

    Args:
        runs: the runs table (`analysis.load_batch`).
        baseline: the scenario every other is compared with.
        figures: keys of the figures to compare (those the runs table lacks are skipped).

    Returns:
        Columns: scenario, the swept keys, figure, label, unit, n, baseline, value, diff,
        diff_low, diff_high, ratio, ratio_low, ratio_high, method, ratio_method, verdict.
        Values are in the figure's unit (hours, per cent, ...).

    Raises:
        ScenarioError: (a ValueError) if the baseline has no finished run.
    """
    ok = runs[runs["status"] == "ok"]
    if baseline not in set(ok["scenario"].astype(str)):
        known = ", ".join(sorted(set(runs["scenario"].astype(str))))
        raise ScenarioError("--baseline", baseline, f"has no finished runs in this batch "
                            f"(scenarios: {known})")
    sweeps = sweep_columns(runs)
    rows = []
    groups = ok.groupby(sweeps, dropna=False) if sweeps else [((), ok)]
    for key, group in groups:
        key = key if isinstance(key, tuple) else (key,)
        base = group[group["scenario"] == baseline].set_index("seed")
        for scenario in sorted(set(group["scenario"]) - {baseline}):
            other = group[group["scenario"] == scenario].set_index("seed")
            common = base.index.intersection(other.index)
            for fig in present(figures, group.columns):
                if len(common) >= 2:
                    c = paired(base.loc[common, fig.column].to_numpy(float) * fig.factor,
                               other.loc[common, fig.column].to_numpy(float) * fig.factor)
                else:
                    c = unpaired(base[fig.column].to_numpy(float) * fig.factor,
                                 other[fig.column].to_numpy(float) * fig.factor)
                rows.append({"scenario": scenario, **dict(zip(sweeps, key)),
                             "figure": fig.column, "label": fig.label, "unit": fig.unit,
                             "n": c.n, "baseline": c.baseline_mean, "value": c.other_mean,
                             "diff": c.diff, "diff_low": c.diff_low, "diff_high": c.diff_high,
                             "ratio": c.ratio, "ratio_low": c.ratio_low,
                             "ratio_high": c.ratio_high, "method": c.method,
                             "ratio_method": c.ratio_method,
                             "verdict": verdict(c.diff, c.inconclusive, fig)})
    return pd.DataFrame(rows)


def verdict(diff: float, inconclusive: bool, fig: Figure) -> str:
    """"better", "worse", "same" (no difference at all), "can't tell", or "changed" for a
    figure with no better direction (utilisation)."""
    if inconclusive:
        return "can't tell"
    if diff == 0 or not np.isfinite(diff) or fig.lower_is_better is None:
        return "same" if diff == 0 or not np.isfinite(diff) else "changed"
    return "better" if (diff < 0) == fig.lower_is_better else "worse"


def format_comparison(table: pd.DataFrame, baseline: str) -> str:
    """The comparison as a plain-text table, one block per scenario (and swept values)."""
    if table.empty:
        return "(nothing to compare: the batch has only the baseline)"
    lines = []
    extra = [c for c in table.columns if c in PARAMETER_KEYS]
    width = max(34, *(len(figure(f).title()) + 2 for f in table["figure"]))
    for keys, block in table.groupby(["scenario", *extra], sort=False, dropna=False):
        keys = keys if isinstance(keys, tuple) else (keys,)
        title = f"{keys[0]} vs {baseline}"
        if extra:
            title += " (" + ", ".join(f"{k}={v}" for k, v in zip(extra, keys[1:])) + ")"
        n = int(block["n"].min())
        lines.append(f"{title}: {n} paired replications" if block["method"].str.startswith(
            "paired").any() else f"{title}: {n} replications, unpaired")
        lines.append(f"  {'figure':<{width}}{'baseline':>10}{'scenario':>10}"
                     f"{'difference [95% CI]':>30}{'ratio [95% CI]':>24}  verdict")
        for _, r in block.iterrows():
            diff = _with_ci(r["diff"], r["diff_low"], r["diff_high"], "+.2f")
            ratio = _with_ci(r["ratio"], r["ratio_low"], r["ratio_high"], ".2f")
            lines.append(f"  {figure(r['figure']).title():<{width}}{r['baseline']:>10.2f}"
                         f"{r['value']:>10.2f}{diff:>30}{ratio:>24}  {r['verdict']}")
        lines.append("")
    return "\n".join(lines).rstrip()


def _with_ci(value: float, low: float, high: float, spec: str) -> str:
    """`value [low, high]`, the interval left out when it is missing; "-" for no value."""
    if not np.isfinite(value):
        return "-"
    ci = f" [{low:{spec}}, {high:{spec}}]" if np.isfinite(low) and np.isfinite(high) else ""
    return f"{value:{spec}}{ci}"
