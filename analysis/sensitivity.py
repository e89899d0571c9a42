"""Which assumptions move the results most: Morris screening (default) or Sobol, via SALib.

The sample is a batch like any other: every sample point is one run of the scenario with
its parameters overridden, all under one seed (common random numbers, so the effects are
the parameters'), run by the batch machinery on any backend, resumable.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.argtypes import positive_int
from analysis.batch import format_report, run_batch
from analysis.batch_cli import check_scheduler_workers
from analysis.dataset import load_batch
from analysis.design import Point, column_value, run_id
from analysis.options import all_cores, shared_options
from analysis.outputs import result_folder, write_atomic
from analysis.ranges import parse_ranges
from analysis.runs import code_version
from simulation.parameters import iter_params
from simulation.scenario import Scenario, ScenarioError, load

OUTPUTS = ("response_time_min.median", "response_time_min.p90", "resolved_within_deadline",
           "reach", "load.utilisation.community.all",
           "service_circle_coverage", "patrol_coverage_24h", "visit_coverage")
PARAMS = dict(iter_params())
NUM_LEVELS = 4


@dataclass
class SampleDesign:
    """A batch whose points are the rows of a SALib sample (one seed for all).

    Has the interface of `analysis.design.Design` that the batch runner uses.
    """

    scenario: Scenario
    bounds: dict[str, tuple[float, float]]
    method: str
    samples: np.ndarray
    seed: int
    days: int
    scale: float
    replications: int = 1
    sweep: dict[str, list[Any]] = field(default_factory=dict)

    def __post_init__(self):
        self.scenarios = [self.scenario]
        self.sweep = {k: [] for k in self.bounds}

    def values(self, row: np.ndarray) -> dict[str, Any]:
        return {k: (int(round(v)) if PARAMS[k].kind == "int" else float(v))
                for k, v in zip(self.bounds, row)}

    def points(self) -> list[Point]:
        """One point per distinct row (Morris trajectories repeat rows)."""
        points, seen = [], set()
        for row in self.samples:
            values = self.values(row)
            label = ", ".join(f"{k}={v}" for k, v in values.items())
            variant = self.scenario.with_overrides(values, label=f"--param {label}")
            cols = {k: column_value(v) for k, v in values.items()}
            rid = run_id(variant, cols, 0, self.seed, self.days, self.scale)
            if rid not in seen:
                seen.add(rid)
                points.append(Point(rid, variant, cols, 0, self.seed, self.days, self.scale))
        return points

    def describe(self) -> dict[str, Any]:
        return {"method": self.method, "scenarios": {self.scenario.name: self.scenario.digest},
                "bounds": {k: list(v) for k, v in self.bounds.items()},
                "sweep": {k: [] for k in self.bounds},
                "samples": int(len(self.samples)), "base_seed": self.seed,
                "seed_rule": "one seed for every sample point (common random numbers)",
                "days": self.days, "scale": self.scale, "runs": len(self.points()),
                "replications": 1}


def problem(bounds: dict[str, tuple[float, float]]) -> dict[str, Any]:
    return {"num_vars": len(bounds), "names": list(bounds),
            "bounds": [list(b) for b in bounds.values()]}


def make_sample(bounds: dict[str, tuple[float, float]], method: str, n: int,
                seed: int) -> np.ndarray:
    """Morris trajectories (n of them) or a Sobol sample (n a power of two)."""
    from SALib.sample import morris as morris_sample  # SALib: imported when a study runs
    from SALib.sample import sobol as sobol_sample

    prob = problem(bounds)
    if method == "morris":
        return morris_sample.sample(prob, n, num_levels=NUM_LEVELS, seed=seed)
    return sobol_sample.sample(prob, n, calc_second_order=False, seed=seed)


def analyse(design: SampleDesign, runs: pd.DataFrame,
            outputs: tuple[str, ...] = OUTPUTS) -> pd.DataFrame:
    """Sensitivity indices per parameter and output, ranked within each output.

    Rows follow the sample's order (matched by the parameter values of each run).
    """
    ok = runs[runs["status"] == "ok"]
    keys = list(design.bounds)
    order = [tuple(column_value(v) for v in design.values(row).values())
             for row in design.samples]
    by_values = ok.drop_duplicates(keys).set_index(keys)
    missing = [v for v in order if v not in by_values.index]
    if missing:
        raise RuntimeError(f"{len(missing)} sample points have no finished run; rerun with "
                           "--resume")
    from SALib.analyze import morris as morris_analyze
    from SALib.analyze import sobol as sobol_analyze

    prob = problem(design.bounds)
    rows = []
    for out in outputs:
        if out not in by_values:
            continue
        y = by_values.loc[order, out].to_numpy(float)
        if not np.isfinite(y).all():
            y = np.where(np.isfinite(y), y, np.nanmean(y))
        if design.method == "morris":
            res = morris_analyze.analyze(prob, design.samples, y, num_levels=NUM_LEVELS,
                                         seed=design.seed)
            for i, k in enumerate(keys):
                rows.append({"output": out, "param": k, "mu_star": res["mu_star"][i],
                             "mu_star_conf": res["mu_star_conf"][i], "sigma": res["sigma"][i],
                             "mu": res["mu"][i]})
        else:
            res = sobol_analyze.analyze(prob, y, calc_second_order=False, seed=design.seed)
            for i, k in enumerate(keys):
                rows.append({"output": out, "param": k, "S1": res["S1"][i],
                             "S1_conf": res["S1_conf"][i], "ST": res["ST"][i],
                             "ST_conf": res["ST_conf"][i]})
    table = pd.DataFrame(rows)
    score = "mu_star" if design.method == "morris" else "ST"
    table["rank"] = table.groupby("output")[score].rank(ascending=False, method="first")
    return table.sort_values(["output", "rank"]).reset_index(drop=True)


def ranking_plot(table: pd.DataFrame, method: str, out: Path) -> Path:
    """Bar chart: each parameter's index for each output, scaled to the largest."""
    import matplotlib.pyplot as plt

    from analysis import plots

    score = "mu_star" if method == "morris" else "ST"
    wide = table.pivot(index="param", columns="output", values=score)
    wide = wide / wide.max().replace(0, np.nan)
    wide = wide.loc[wide.mean(axis=1).sort_values().index]
    fig, ax = plt.subplots(figsize=(9, 0.6 + 0.45 * len(wide) * max(1, len(wide.columns)) / 3))
    wide.plot.barh(ax=ax, width=0.8)
    ax.set_xlabel(f"{score} relative to the largest for each output")
    ax.legend(fontsize=7)
    ax.grid(axis="x", alpha=0.3)
    return plots.save(fig, out)


def format_ranking(table: pd.DataFrame, method: str) -> str:
    score = "mu_star" if method == "morris" else "ST"
    lines = []
    for out, g in table.groupby("output", sort=False):
        lines.append(f"{out}:")
        for _, r in g.iterrows():
            lines.append(f"  {int(r['rank'])}. {r['param']:<40} {score} = {r[score]:.4g}")
    return "\n".join(lines)


def add_sensitivity_parser(sub: Any) -> None:
    """Register `run.py sensitivity`."""
    shared = shared_options("days", "scale", "seed", "workers", "scheduler", "out", "force",
                            days=14, scale=0.05,
                            help={"seed": "the one seed of every sample point, 0 to 2**63 - 1 "
                                  "(1)", "out": "batch folder (default results/sensitivity_"
                                  "<scenario>_<N>d_scale<F>_seed<S>_<method>_<hash>)"})
    p = sub.add_parser("sensitivity", parents=[shared],
                       help="rank the assumptions that move the results",
                       description="Sensitivity analysis with SALib: Morris screening "
                       "(default) or Sobol indices of the chosen parameters on response time "
                       "and coverage. Runs through the batch machinery (any backend, "
                       "--resume).")
    p.add_argument("scenario", metavar="SCENARIO")
    p.add_argument("--param", action="append", required=True, metavar="KEY=LOW:HIGH",
                   help="a numeric parameter and its range (repeat for each)")
    p.add_argument("--method", choices=("morris", "sobol"), default="morris")
    p.add_argument("--trajectories", type=positive_int, default=6,
                   help="Morris trajectories, or the Sobol base sample size (a power of 2)")
    p.add_argument("--resume", action="store_true")
    p.set_defaults(func=cmd_sensitivity)


def cmd_sensitivity(args: argparse.Namespace) -> int:
    """`run.py sensitivity`: 0 done, 1 some sample runs failed, 2 bad input."""
    if args.trajectories < 2:
        raise ScenarioError("command line", "--trajectories",
                            f"expected at least 2, got {args.trajectories}")
    if args.method == "sobol" and args.trajectories & (args.trajectories - 1):
        raise ScenarioError("command line", "--trajectories", "expected a power of 2 for "
                            f"--method sobol, got {args.trajectories}")
    check_scheduler_workers(args)
    scenario = load(args.scenario)
    bounds = {k: (r.low, r.high) for k, r in parse_ranges(args.param).items()}
    samples = make_sample(bounds, args.method, args.trajectories, args.seed)
    design = SampleDesign(scenario, bounds, args.method, samples, args.seed, args.days,
                          args.scale)
    out = Path(args.out) if args.out else result_folder(
        "sensitivity", [scenario.name], args.days, args.scale, args.seed, args.method,
        {"design": design.describe(), "model": code_version()["source_sha256"]})
    options = {k: v for k, v in vars(args).items() if k != "func"}
    report = run_batch(design, out, args.workers or all_cores(), args.scheduler, args.resume,
                       " ".join(["run.py", *sys.argv[1:]]), options, force=args.force)
    print(format_report(report, design, out), file=sys.stderr)
    if report.failed:
        print(f"error: {len(report.failed)} sample runs failed; the indices need them all "
              "(see the summary above; add --resume to run them again)", file=sys.stderr)
        return 1
    table = analyse(design, load_batch(out))
    csv = out / f"sensitivity_{args.method}.csv"
    write_atomic(csv, lambda p: table.to_csv(p, index=False))
    png = ranking_plot(table, args.method, out / "figures" / f"sensitivity_{args.method}")
    print(format_ranking(table, args.method))
    print(f"\nWrote {csv} and {png}")
    return 0
