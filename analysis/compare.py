"""Every scenario of a batch against a baseline, figure by figure, paired by replication."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.stats import paired, unpaired


@dataclass(frozen=True)
class Figure:
    """A headline figure: its column in the runs table and how to show it."""

    column: str
    label: str
    label_zh: str
    unit: str
    factor: float
    lower_is_better: bool


HEADLINE = (
    Figure("response_time_min.median", "Response time, median", "响应时间中位数", "h",
           1 / 60, True),
    Figure("response_time_min.p90", "Response time, 90th percentile", "响应时间90分位", "h",
           1 / 60, True),
    Figure("response_time_km_min.median", "Median incl. still waiting",
           "响应时间中位数(含未响应)", "h", 1 / 60, True),
    Figure("acknowledged_time_min.median", "Acknowledged, median", "受理时间中位数", "h",
           1 / 60, True),
    Figure("resolution_time_min.median", "Resolution time, median", "办结时间中位数", "h",
           1 / 60, True),
    Figure("resolved_within_deadline", "Resolved within deadline", "按期办结率", "%", 100,
           False),
    Figure("load.utilisation.community.all", "Community staff utilisation", "社区人员负荷",
           "%", 100, True),
    Figure("load.utilisation.city.all", "City departments' utilisation", "市级部门负荷", "%",
           100, True),
    Figure("tasks.overdue", "Tasks overdue", "逾期任务数", "count", 1, True),
    Figure("service_circle_coverage", "Service-circle coverage", "15分钟服务圈覆盖率", "%",
           100, False),
    Figure("patrol_coverage_24h", "Patrol coverage (24 h)", "24小时巡逻覆盖率", "%", 100,
           False),
    Figure("visit_coverage", "Visit coverage", "走访覆盖率", "%", 100, False),
    Figure("reach", "Reach", "诉求触达率", "%", 100, False),
    Figure("repeat_contacts", "Repeat contacts", "重复诉求次数", "count", 1, True),
    Figure("petitions", "Petitions", "上访件数", "count", 1, True),
    Figure("cost.per_year_cny", "Yearly cost", "年度成本", "million CNY", 1e-6, True),
)
FIGURES = {f.column: f for f in HEADLINE}
IDENTITY = ("run_id", "scenario", "replication", "seed", "days", "scale", "status", "error",
            "wall_time_s", "started_utc", "host", "scenario_sha256", "residents_simulated")


def sweep_columns(runs: pd.DataFrame) -> list[str]:
    """Columns of swept keys (they are dotted parameter names, not figures)."""
    from simulation.parameters import iter_params
    keys = {k for k, _ in iter_params()}
    return [c for c in runs.columns if c in keys]


def compare_runs(runs: pd.DataFrame, baseline: str,
                 figures: tuple[Figure, ...] = HEADLINE) -> pd.DataFrame:
    """The comparison table: one row per scenario, swept values and figure.

    Replications pair when both scenarios ran them with the same seed (common random
    numbers); a scenario whose seeds do not match the baseline's is compared unpaired.

    Args:
        runs: the runs table (`analysis.load_batch`).
        baseline: the scenario every other is compared with.

    Returns:
        Columns: scenario, the swept keys, figure, label, unit, n, baseline, value, diff,
        diff_low, diff_high, ratio, ratio_low, ratio_high, method, verdict. Values are in
        the figure's unit (hours, per cent, ...).
    """
    ok = runs[runs["status"] == "ok"]
    if baseline not in set(ok["scenario"]):
        known = ", ".join(sorted(set(runs["scenario"])))
        raise ValueError(f"baseline {baseline!r} has no finished runs in this batch "
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
            for fig in figures:
                if fig.column not in group:
                    continue
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
                             "verdict": verdict(c.diff, c.inconclusive, fig)})
    return pd.DataFrame(rows)


def verdict(diff: float, inconclusive: bool, fig: Figure) -> str:
    """"better", "worse", "same" (no difference at all) or "can't tell"."""
    if inconclusive:
        return "can't tell"
    if diff == 0 or not np.isfinite(diff):
        return "same"
    return "better" if (diff < 0) == fig.lower_is_better else "worse"


def format_comparison(table: pd.DataFrame, baseline: str) -> str:
    """The comparison as a plain-text table, one block per scenario."""
    if table.empty:
        return "(nothing to compare: the batch has only the baseline)"
    lines = []
    extra = [c for c in table.columns if "." in c and c not in ("figure",)]
    for keys, block in table.groupby(["scenario", *extra], sort=False, dropna=False):
        keys = keys if isinstance(keys, tuple) else (keys,)
        title = f"{keys[0]} vs {baseline}"
        if extra:
            title += " (" + ", ".join(f"{k}={v}" for k, v in zip(extra, keys[1:])) + ")"
        n = int(block["n"].min())
        lines.append(f"{title}: {n} paired replications" if block["method"].str.startswith(
            "paired").any() else f"{title}: {n} replications, unpaired")
        lines.append(f"  {'figure':<34}{'baseline':>10}{'scenario':>10}"
                     f"{'difference [95% CI]':>30}{'ratio':>8}  verdict")
        for _, r in block.iterrows():
            unit = "" if r["unit"] == "count" else f" ({r['unit']})"
            ci = "" if not np.isfinite(r["diff_low"]) else \
                f" [{r['diff_low']:+.2f}, {r['diff_high']:+.2f}]"
            ratio = "-" if not np.isfinite(r["ratio"]) else f"{r['ratio']:.2f}"
            diff = f"{r['diff']:+.2f}{ci}"
            lines.append(f"  {(r['label'] + unit):<34}{r['baseline']:>10.2f}"
                         f"{r['value']:>10.2f}{diff:>30}{ratio:>8}  {r['verdict']}")
        lines.append("")
    return "\n".join(lines).rstrip()
