"""Exploratory modelling: where does the verdict between two scenarios flip?

A Latin hypercube sample (scipy.stats.qmc, seeded) of the uncertain parameters; at each
sample point i both scenarios run with the point's values and the seed S + i (paired:
the same residents and needs), as a batch (`run_batch`: any backend, `--resume`, only the
rows of figures written). For every headline figure (`analysis.labels.COMPARED`) the
paired difference is taken, and "SCENARIO worse than BASELINE on the figure" is the
outcome that scenario discovery (PRIM, `analysis.discovery`) explains.

Each point has its own seed, so the sample covers chance as well as the parameters: a
box PRIM finds is a region where the verdict flips whatever the draw of needs, and a
figure that flips at scattered points only is one the two scenarios tie on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis.design import Point, column_value, run_id
from analysis.labels import COMPARED, figure
from analysis.ranges import Range
from simulation.randomness import SEED_MAX
from simulation.scenario import Scenario, ScenarioError

SAMPLING = "Latin hypercube (scipy.stats.qmc.LatinHypercube, scrambled, seeded with --seed)"
SEED_RULE = "sample point i runs both scenarios with seed S + i (paired)"


@dataclass
class ExploreDesign:
    """Both scenarios at every point of a Latin hypercube sample of the ranges.

    Has the interface of `analysis.design.Design` that the batch runner uses. A point's
    `replication` is its index in the sample.
    """

    baseline: Scenario
    scenario: Scenario
    ranges: dict[str, Range]
    n: int
    seed: int
    days: int
    scale: float
    replications: int = 1
    sweep: dict[str, list[Any]] = field(init=False)
    scenarios: list[Scenario] = field(init=False)

    def __post_init__(self) -> None:
        self.sweep = {k: [] for k in self.ranges}
        self.scenarios = [self.baseline, self.scenario]

    def unit_sample(self) -> np.ndarray:
        """The sample in the unit cube (n x parameters)."""
        from scipy.stats import qmc  # scipy.stats: imported when a design is drawn

        return qmc.LatinHypercube(d=len(self.ranges), rng=self.seed).random(self.n)

    def sample(self) -> pd.DataFrame:
        """The parameter values of every point (typed as the scenarios take them)."""
        unit = self.unit_sample()
        return pd.DataFrame({k: [r.at(u) for u in unit[:, j]]
                             for j, (k, r) in enumerate(self.ranges.items())})

    def points(self) -> list[Point]:
        """Both scenarios at every sample point, point by point.

        Raises:
            ScenarioError: naming --seed if S + n - 1 is beyond 2**63 - 1, or naming a
                parameter whose value breaks a scenario's rule.
        """
        if self.seed + self.n - 1 > SEED_MAX:
            raise ScenarioError("command line", "--seed", f"point {self.n - 1} would run with "
                                f"seed {self.seed} + {self.n - 1}, beyond 2**63 - 1")
        points = []
        for i, row in enumerate(self.sample().to_dict("records")):
            values = {k: (int(v) if self.ranges[k].is_int else float(v)) for k, v in row.items()}
            cols = {k: column_value(v) for k, v in values.items()}
            for s in self.scenarios:
                try:
                    variant = s.with_overrides(values, label=f"explore point {i}")
                except ScenarioError as exc:
                    raise ScenarioError("--param", exc.key, f"point {i} breaks a rule of "
                                        f"{s.name}: {exc.message}") from None
                points.append(Point(run_id(variant, cols, i, self.seed + i, self.days,
                                           self.scale),
                                    variant, cols, i, self.seed + i, self.days, self.scale))
        return points

    def describe(self) -> dict[str, Any]:
        """The design as data: what `--resume` must match."""
        return {"kind": "explore", "baseline": self.baseline.name,
                "scenarios": {s.name: s.digest for s in self.scenarios},
                "params": {k: r.describe() for k, r in self.ranges.items()},
                "sweep": {k: [] for k in self.ranges}, "n": self.n, "sampling": SAMPLING,
                "base_seed": self.seed, "seed_rule": SEED_RULE, "days": self.days,
                "scale": self.scale, "replications": 1, "runs": 2 * self.n}


def shared_differences(baseline: Scenario, scenario: Scenario, keys: list[str]) -> list[str]:
    """Keys the two scenarios set differently: one value for both erases that difference."""
    def get(params: dict, key: str) -> Any:
        node: Any = params
        for part in key.split("."):
            node = node[part]
        return node

    return [f"{k} ({get(baseline.params, k)} in {baseline.name}, {get(scenario.params, k)} "
            f"in {scenario.name})" for k in keys
            if get(baseline.params, k) != get(scenario.params, k)]


def points_table(design: ExploreDesign, runs: pd.DataFrame) -> pd.DataFrame:
    """One row per sample point: index, seed, parameter values, and for every headline
    figure the baseline's and scenario's values, their difference (in the figure's unit)
    and whether the scenario is worse. Points with a failed run are left out."""
    sample = design.sample()
    ok = runs[runs["status"] == "ok"]
    base = ok[ok["scenario"] == design.baseline.name].set_index("replication")
    other = ok[ok["scenario"] == design.scenario.name].set_index("replication")
    both = sorted(set(base.index) & set(other.index))
    table = sample.loc[both].copy()
    table.insert(0, "seed", [design.seed + int(i) for i in both])
    table.insert(0, "point", [int(i) for i in both])
    columns = {}
    for key in COMPARED:
        if key not in ok.columns:
            continue
        fig = figure(key)
        b = base.loc[both, key].to_numpy(float) * fig.factor
        o = other.loc[both, key].to_numpy(float) * fig.factor
        diff = o - b
        columns[f"{key}:baseline"] = b
        columns[f"{key}:scenario"] = o
        columns[f"{key}:diff"] = diff
        if fig.lower_is_better is not None:
            worse = diff > 0 if fig.lower_is_better else diff < 0
            columns[f"{key}:worse"] = np.where(np.isfinite(diff), worse, False)
    return pd.concat([table.reset_index(drop=True),
                      pd.DataFrame(columns, index=range(len(both)))], axis=1)


def flip_figures(points: pd.DataFrame) -> list[str]:
    """The figures with a better direction, in the order of COMPARED."""
    return [c.removesuffix(":worse") for c in points.columns if c.endswith(":worse")]


def ranges_text(design: ExploreDesign) -> str:
    """The ranges searched, in words."""
    return "; ".join(f"{k} {r.low:g}..{r.high:g}" + (f" {r.param.unit}" if r.param.unit else "")
                     for k, r in design.ranges.items())


def summary_row(points: pd.DataFrame, key: str) -> dict[str, Any]:
    """How often the scenario is worse on one figure, and the mean difference."""
    worse = points[f"{key}:worse"].to_numpy(bool)
    diff = points[f"{key}:diff"].to_numpy(float)
    return {"figure": key, "label": figure(key).title(), "points": int(len(points)),
            "worse": int(worse.sum()),
            "mean_diff": float(np.nanmean(diff)) if np.isfinite(diff).any() else math.nan,
            "min_diff": float(np.nanmin(diff)) if np.isfinite(diff).any() else math.nan,
            "max_diff": float(np.nanmax(diff)) if np.isfinite(diff).any() else math.nan}
